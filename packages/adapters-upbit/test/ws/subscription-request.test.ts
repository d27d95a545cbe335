import { createSeededRandom, type MarketCode, parseMarketCode } from '@marketdata/domain';
import { FakeClock } from '@marketdata/domain/testing';
import { fixtureJson } from '@marketdata/fixtures';
import { describe, expect, it } from 'vitest';
import { Demand } from '../../src/ws/demand.js';
import { newTicket, subscriptionSet } from '../../src/ws/protocol/subscription-request.js';
import { buildSubscriptionRequest } from '../../src/ws/wire.js';

const codes = (...list: string[]): MarketCode[] => list.map((code) => parseMarketCode(code));

describe('buildSubscriptionRequest', () => {
  it('has the shape of the recorded request (ticket, one entry per type, format last)', () => {
    const recorded = fixtureJson('ws-subscribe-request.json') as Record<string, unknown>[];
    const set = {
      orderbook: ['KRW-BTC', 'KRW-ETH', 'KRW-XRP', 'KRW-USDS', 'BTC-ETH', 'USDT-BTC', 'BTC-BERA'],
      ticker: ['KRW-BTC'],
      trade: ['KRW-BTC'],
    };
    const built = JSON.parse(buildSubscriptionRequest(set, { ticket: 'T', format: 'DEFAULT' })) as Record<
      string,
      unknown
    >[];
    const byType = (items: Record<string, unknown>[]) =>
      Object.fromEntries(items.filter((item) => 'type' in item).map((item) => [item.type, item.codes]));
    expect(byType(built)).toEqual(byType(recorded));
    expect(Object.keys(built[0] ?? {})).toEqual(['ticket']);
    expect(built.at(-1)).toEqual({ format: 'DEFAULT' });
    expect(recorded.at(-1)).toEqual({ format: 'DEFAULT' });
  });

  it('leaves out kinds without codes and adds the orderbook unit suffix', () => {
    const text = buildSubscriptionRequest(
      { ticker: [], trade: [], orderbook: ['KRW-BTC', 'KRW-ETH'] },
      { ticket: 'T', format: 'SIMPLE', orderBookDepth: 15 },
    );
    expect(JSON.parse(text)).toEqual([
      { ticket: 'T' },
      { type: 'orderbook', codes: ['KRW-BTC.15', 'KRW-ETH.15'] },
      { format: 'SIMPLE' },
    ]);
  });

  it('tickets differ per request and come from the injected randomness', () => {
    const random = createSeededRandom(7);
    const tickets = new Set(Array.from({ length: 50 }, () => newTicket(random)));
    expect(tickets.size).toBe(50);
    expect(newTicket(createSeededRandom(7))).toBe(newTicket(createSeededRandom(7)));
  });
});

describe('Demand', () => {
  it('counts references and reports only entries and exits (no linger)', () => {
    const changes: string[] = [];
    const demand = new Demand(new FakeClock(), 0, (kind, added, removed) =>
      changes.push(`${kind} +${added.join(',')} -${removed.join(',')}`),
    );
    const a = demand.acquire('ticker', codes('KRW-BTC', 'KRW-ETH', 'KRW-BTC'));
    const b = demand.acquire('ticker', codes('KRW-BTC'));
    a();
    a(); // idempotent
    expect(demand.wireSet().ticker).toEqual(['KRW-BTC']);
    b();
    expect(demand.isEmpty).toBe(true);
    expect(changes).toEqual(['ticker +KRW-BTC,KRW-ETH -', 'ticker + -KRW-ETH', 'ticker + -KRW-BTC']);
  });

  it('keeps kinds apart and lists every symbol once', () => {
    const demand = new Demand(new FakeClock(), 0, () => {});
    demand.acquire('trade', codes('KRW-XRP'));
    demand.acquire('orderbook', codes('KRW-XRP', 'BTC-ETH'));
    demand.acquire('candle.1m', codes('KRW-XRP'));
    expect(demand.wireSet()).toEqual(
      subscriptionSet({ trade: ['KRW-XRP'], orderbook: ['BTC-ETH', 'KRW-XRP'], 'candle.1m': ['KRW-XRP'] }),
    );
    expect(demand.wireSet()['candle.5m']).toEqual([]);
    expect(demand.allSymbols()).toEqual(['BTC-ETH', 'KRW-XRP']);
  });

  it('a released symbol stays on the wire for lingerMs; taken again meanwhile, nothing changes on the wire', () => {
    const clock = new FakeClock();
    const changes: string[] = [];
    const demand = new Demand(clock, 30_000, (kind, added, removed) =>
      changes.push(`${kind} +${added.join(',')} -${removed.join(',')}`),
    );
    const release = demand.acquire('ticker', codes('KRW-BTC', 'KRW-ETH'));
    release();
    clock.advance(29_999);
    expect(demand.wireSet().ticker).toEqual(['KRW-BTC', 'KRW-ETH']);
    expect(demand.lingeringCount).toBe(2);
    const again = demand.acquire('ticker', codes('KRW-BTC'));
    clock.advance(1);
    expect(demand.wireSet().ticker).toEqual(['KRW-BTC']);
    expect(changes).toEqual(['ticker +KRW-BTC,KRW-ETH -', 'ticker + -KRW-ETH']);
    again();
    clock.advance(30_000);
    expect(demand.isEmpty).toBe(true);
    expect(clock.pendingTimerCount()).toBe(0);
  });
});
