import type { StreamRefusal, Trade } from '@marketdata/domain';
import { createSeededRandom } from '@marketdata/domain';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { subscriptionSet } from '../../src/ws/protocol/subscription-request.js';
import { captureProcessFailures } from '../support/process-failures.js';
import { BTC, codes, ETH, type Harness, startHarness, until } from './support/harness.js';

// What comes from upstream: a server that goes away and returns, error frames, malformed frames, and a churning
// set of 250 markets. Drops, stalls and idle closes are in source-resilience.test.ts.

let harness: Harness | undefined;
const failures = captureProcessFailures();
afterAll(() => failures.dispose());

afterEach(async () => {
  await harness?.close();
  harness = undefined;
  expect(failures.seen).toEqual([]);
});

async function start(...args: Parameters<typeof startHarness>): Promise<Harness> {
  harness = await startHarness(...args);
  return harness;
}

/** Collects trades in the background, as a consumer would. */
function collect(iterable: AsyncIterable<Trade>): { trades: Trade[]; stop: () => Promise<void> } {
  const trades: Trade[] = [];
  const iterator = iterable[Symbol.asyncIterator]();
  const loop = (async () => {
    for (let next = await iterator.next(); next.done !== true; next = await iterator.next()) trades.push(next.value);
  })();
  return {
    trades,
    stop: async () => {
      await iterator.return?.();
      await loop;
    },
  };
}

describe('server restarted on the same port', () => {
  it('retries with growing backoff while refused (each refusal a NetworkError), then restores everything', async () => {
    const { source, server, clock, logger } = await start({ backoff: { baseMs: 1_000, maxMs: 8_000, minMs: 100 } });
    const errors: unknown[] = [];
    const consumer = collect(source.watchTrades([BTC, ETH], { onError: (error) => errors.push(error) }));
    await until(() => consumer.trades.length === 2);
    await server.stop();
    const retryDelays: number[] = [];
    for (let i = 0; i < 5; i++) {
      await until(() => source.status().nextAttemptAtMonotonic !== undefined);
      retryDelays.push((source.status().nextAttemptAtMonotonic ?? 0) - clock.monotonic());
      clock.advance(8_000);
      if (i > 0) await until(() => errors.length === i);
    }
    await until(() => source.status().nextAttemptAtMonotonic !== undefined && errors.length === 5);
    // Full jitter under caps of 1, 2, 4, 8 and 8 s: bounded, never 0.
    retryDelays.forEach((delay, i) => {
      expect(delay).toBeGreaterThanOrEqual(100);
      expect(delay).toBeLessThan(Math.min(8_000, 1_000 * 2 ** i));
    });
    expect(source.status().gaps).toHaveLength(1);
    expect(errors.every((error) => (error as Error).name === 'NetworkError')).toBe(true);
    expect((errors[0] as Error).message).toContain('ECONNREFUSED');
    expect(source.status().refusal).toMatchObject({ kind: 'unreachable', repeats: 5 });
    expect(logger.find('warn', 'refusal')).toHaveLength(5);
    await server.restart();
    clock.advance(8_000);
    await until(() => consumer.trades.length === 2 && server.subscriptions().length === 1);
    expect(server.subscriptions()[0]?.codes.trade).toEqual(['KRW-BTC', 'KRW-ETH']);
    server.publish('trade', 'KRW-ETH');
    await until(() => consumer.trades.length === 3);
    expect(source.status()).toMatchObject({ state: 'open', reconnects: 1, connectAttempts: 7, refusal: undefined });
    expect(source.status().gaps[0]?.endedAt).toBeDefined();
    await consumer.stop();
  });
});

describe('Upbit error frames', () => {
  it('become typed UpstreamErrors for observers, listeners and pending calls; the stream goes on', async () => {
    const { source, server, clock } = await start();
    const refusals: StreamRefusal[] = [];
    const watcherErrors: unknown[] = [];
    source.observe({ onRefusal: (refusal) => refusals.push(refusal) });
    const consumer = collect(source.watchTrades([BTC], { onError: (error) => watcherErrors.push(error) }));
    await until(() => consumer.trades.length === 1);
    server.stall(true); // so the next getTicker stays pending
    const pending = source.getTicker(ETH).catch((error: unknown) => error);
    await until(() => server.requests.length === 2);
    server.stall(false);
    server.sendError('INVALID_PARAM', 'nope 은 지원하지 않는 타입입니다.');
    const error = await pending;
    expect(error).toMatchObject({
      name: 'UpstreamError',
      upstreamName: 'INVALID_PARAM',
      upstreamMessage: 'nope 은 지원하지 않는 타입입니다.',
      channel: 'websocket',
    });
    expect(refusals).toEqual([{ kind: 'error-frame', error, atMonotonic: 0, retryAtMonotonic: 1_000, repeats: 1 }]);
    expect(watcherErrors).toEqual([error]);
    expect(source.status().refusal).toEqual(refusals[0]);
    // Upbit closes with 1000 after an error frame: the adapter reconnects once the hold (1 s) is over.
    await until(() => source.state === 'reconnecting');
    clock.advance(999);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(server.totalConnections).toBe(1);
    clock.advance(1);
    await until(() => source.state === 'open' && server.subscriptions().length === 1);
    server.publish('trade', 'KRW-BTC');
    await until(() => consumer.trades.length === 2);
    expect(source.status().refusal).toBeUndefined(); // data flows again
    await consumer.stop();
  });
});

describe('malformed frames', () => {
  it('1% malformed: every valid frame still arrives, each bad one is counted, logged once per kind', async () => {
    const { source, server, logger } = await start({ tradeQueueSize: 5_000 });
    const consumer = collect(source.watchTrades([BTC]));
    await until(() => consumer.trades.length === 1);
    const random = createSeededRandom(9);
    let valid = 0;
    let bad = 0;
    for (let i = 0; i < 1_000; i++) {
      if (random.next() < 0.01) {
        bad++;
        // Alternating kinds of damage: cut JSON, and a trade with its price as text.
        server.sendRaw(bad % 2 === 0 ? '{"ty":"trade","cd":"KRW-BTC","tp":' : '{"ty":"trade","cd":"KRW-BTC","tp":"x"}');
      } else {
        valid++;
        server.publish('trade', 'KRW-BTC');
      }
    }
    expect(bad).toBeGreaterThan(0);
    await until(() => consumer.trades.length === valid + 1);
    const status = source.status();
    expect(status.malformedFrames).toBe(bad);
    expect(status.malformedByKind).toEqual({ json: Math.floor(bad / 2), trade: Math.ceil(bad / 2) });
    const warnings = logger.find('warn', 'Malformed');
    expect(warnings.map((w) => w.fields.kind).sort()).toEqual(['json', 'trade']);
    expect(warnings[0]?.fields.sample).toEqual(expect.stringContaining('KRW-BTC'));
    await consumer.stop();
  });
});

describe('subscription churn', () => {
  it('250 markets, 100 changes: once the linger is over, the server holds exactly the demanded set', async () => {
    const { source, server, pump } = await start({}, { snapshots: false });
    const markets = codes(250);
    const random = createSeededRandom(5);
    const held: { kind: 'ticker' | 'trade' | 'orderbook'; symbols: typeof markets; release: () => void }[] = [];
    for (const kind of ['ticker', 'trade', 'orderbook'] as const) {
      held.push({ kind, symbols: markets, ...source.subscribe(kind, markets) });
    }
    for (let change = 0; change < 100; change++) {
      if (held.length > 0 && random.next() < 0.45) {
        const [gone] = held.splice(Math.floor(random.next() * held.length), 1);
        gone?.release();
      } else {
        const kind = (['ticker', 'trade', 'orderbook'] as const)[Math.floor(random.next() * 3)] ?? 'ticker';
        const symbols = markets.filter(() => random.next() < 0.3);
        held.push({ kind, symbols, ...source.subscribe(kind, symbols) });
      }
      if (change % 3 === 0) await new Promise((resolve) => setImmediate(resolve)); // some changes share a tick
    }
    const expected = { ticker: new Set<string>(), trade: new Set<string>(), orderbook: new Set<string>() };
    for (const entry of held) for (const symbol of entry.symbols) expected[entry.kind].add(symbol);
    const sorted = (set: Set<string>) => [...set].sort();
    const want = subscriptionSet({
      ticker: sorted(expected.ticker),
      trade: sorted(expected.trade),
      orderbook: sorted(expected.orderbook),
    });
    await pump(31_000, 500); // past the linger of every released symbol
    await until(() => JSON.stringify(server.subscriptions()[0]?.codes) === JSON.stringify(want));
    expect(source.status().subscriptions).toEqual(want);
    expect(server.requests.length).toBeLessThan(100);
    expect(server.requests.length).toBe(source.status().requestsSent);
  });
});
