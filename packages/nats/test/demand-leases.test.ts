import type { MarketCode, StreamKind } from '@marketdata/domain';
import { FakeClock, MemoryLogger } from '@marketdata/domain/testing';
import { describe, expect, it } from 'vitest';
import { DemandLeases, type FeedKey } from '../src/gateway/demand-leases.js';
import { decodeDemand, encodeDemand } from '../src/wire/messages.js';

const code = (text: string): MarketCode => text as MarketCode;
const none = { ticker: [], trade: [], orderbook: [] };

function setUp(limits: { maxFeedsPerConsumer?: number; maxConsumers?: number } = {}) {
  const clock = new FakeClock();
  const changes: { added: string[]; removed: string[] }[] = [];
  const label = (feeds: readonly FeedKey[]) => feeds.map((f) => `${f.kind}:${f.symbol}`).sort();
  const leases = new DemandLeases({
    clock,
    logger: new MemoryLogger(),
    onChange: (added, removed) => changes.push({ added: label(added), removed: label(removed) }),
    sweepEveryMs: 1_000,
    maxLeaseMs: 60_000,
    maxFeedsPerConsumer: limits.maxFeedsPerConsumer ?? 100,
    maxConsumers: limits.maxConsumers ?? 10,
  });
  leases.start();
  const announce = (consumer: string, leaseMs: number, feeds: Partial<Record<StreamKind, string[]>>) =>
    leases.announce(decodeDemand(encodeDemand({ consumer, leaseMs, feeds: { ...none, ...mapValues(feeds) } })));
  return { clock, leases, changes, announce };
}

function mapValues(feeds: Partial<Record<StreamKind, string[]>>): Partial<Record<StreamKind, MarketCode[]>> {
  return Object.fromEntries(Object.entries(feeds).map(([kind, list]) => [kind, list.map(code)]));
}

describe('demand leases (gateway side)', () => {
  it('subscribes a feed once for many consumers and releases it with the last one', () => {
    const { leases, changes, announce } = setUp();
    announce('a', 15_000, { ticker: ['KRW-BTC', 'KRW-ETH'] });
    announce('b', 15_000, { ticker: ['KRW-BTC'], trade: ['KRW-BTC'] });
    expect(changes).toEqual([
      { added: ['ticker:KRW-BTC', 'ticker:KRW-ETH'], removed: [] },
      { added: ['trade:KRW-BTC'], removed: [] },
    ]);
    // An announcement replaces the consumer's previous one (as Upbit's own subscription does).
    announce('a', 15_000, { ticker: ['KRW-XRP'] });
    expect(changes.at(-1)).toEqual({ added: ['ticker:KRW-XRP'], removed: ['ticker:KRW-ETH'] });
    announce('b', 0, {});
    expect(changes.at(-1)).toEqual({ added: [], removed: ['ticker:KRW-BTC', 'trade:KRW-BTC'] });
    expect([leases.consumers(), leases.feeds()]).toEqual([1, 1]);
  });

  it('drops a consumer that stops renewing when its lease runs out, and keeps one that renews', () => {
    const { clock, leases, changes, announce } = setUp();
    announce('crashed', 3_000, { orderbook: ['KRW-BTC'] });
    announce('alive', 3_000, { ticker: ['KRW-ETH'] });
    for (let i = 0; i < 3; i++) {
      clock.advance(1_000);
      announce('alive', 3_000, { ticker: ['KRW-ETH'] });
    }
    expect(changes.at(-1)).toEqual({ added: [], removed: ['orderbook:KRW-BTC'] });
    expect(leases.wanted()).toEqual([{ kind: 'ticker', symbol: 'KRW-ETH' }]);
  });

  it('cuts a lease to the maximum', () => {
    const { clock, leases, announce } = setUp();
    announce('greedy', 10_000_000, { ticker: ['KRW-BTC'] });
    clock.advance(61_000);
    expect(leases.consumers()).toBe(0);
  });

  it('refuses an announcement with too many feeds, and consumers beyond the limit', () => {
    const { leases, changes, announce } = setUp({ maxFeedsPerConsumer: 2, maxConsumers: 1 });
    announce('hog', 15_000, { ticker: ['KRW-BTC', 'KRW-ETH', 'KRW-XRP'] });
    announce('first', 15_000, { ticker: ['KRW-BTC'] });
    announce('second', 15_000, { ticker: ['KRW-ETH'] });
    expect(changes).toEqual([{ added: ['ticker:KRW-BTC'], removed: [] }]);
    expect(leases.refused()).toBe(2);
  });

  it('refuses a demand message with a bad market code or a negative lease (the gateway ignores it)', () => {
    const text = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
    expect(() => decodeDemand(text({ v: 1, consumer: 'x', leaseMs: 1, feeds: { ticker: ['krw-btc'] } }))).toThrow(
      /ticker\[0\] must be a market code/,
    );
    expect(() => decodeDemand(text({ v: 1, consumer: 'x', leaseMs: -1, feeds: {} }))).toThrow(/leaseMs/);
  });
});
