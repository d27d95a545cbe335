import type { ConnectionEvent, StreamGap, Trade } from '@marketdata/domain';
import { FakeClock } from '@marketdata/domain/testing';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { subscriptionSet } from '../../src/ws/protocol/subscription-request.js';
import { captureProcessFailures } from '../support/process-failures.js';
import { BTC, ETH, type Harness, startHarness, until } from './support/harness.js';

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

describe('connection dropped (1006, no close frame)', () => {
  it('reconnects with backoff, restores the complete set, records the gap, never errors the consumer', async () => {
    const { source, server, clock } = await start();
    const states: ConnectionEvent[] = [];
    const gaps: StreamGap[] = [];
    const errors: unknown[] = [];
    source.observe({
      onConnection: (event) => states.push(event),
      onGap: (gap) => gaps.push(gap),
      onRefusal: (refusal) => errors.push(refusal),
    });
    source.subscribe('orderbook', [ETH]);
    const consumer = collect(source.watchTrades([BTC], { onError: (error) => errors.push(error) }));
    await until(() => consumer.trades.length === 1);
    server.publish('trade', 'KRW-BTC');
    await until(() => consumer.trades.length === 2);

    const droppedAt = clock.now();
    const droppedAtMonotonic = clock.monotonic();
    server.dropConnections();
    await until(() => source.state === 'reconnecting');
    expect(source.status().gaps).toEqual([
      {
        startedAt: droppedAt,
        endedAt: undefined,
        startedAtMonotonic: droppedAtMonotonic,
        endedAtMonotonic: undefined,
        reason: expect.stringContaining('1006'),
        symbols: ['KRW-BTC', 'KRW-ETH'],
      },
    ]);
    // Facts, not a grade: the last trade came on socket 1, and nothing has arrived since.
    expect(source.arrivals('trade', BTC)).toMatchObject({ lastArrivalEpoch: 1, lastArrivalMonotonic: 0 });
    clock.advance(500); // the first retry is at most backoff.baseMs away
    await until(() => server.subscriptions().length === 1);
    expect(server.subscriptions()[0]?.codes).toEqual(subscriptionSet({ trade: ['KRW-BTC'], orderbook: ['KRW-ETH'] }));
    server.publish('trade', 'KRW-BTC');
    await until(() => consumer.trades.length === 3);

    // The trade SNAPSHOT after the reconnect repeats the last trade: skipped, not delivered twice.
    expect(new Set(consumer.trades.map((t) => t.sequentialId)).size).toBe(3);
    expect(source.status().duplicateTrades).toBe(1);
    const status = source.status();
    expect(status.reconnects).toBe(1);
    expect(status.gaps[0]?.endedAt).toBeGreaterThanOrEqual(droppedAt);
    expect(status.gaps[0]?.endedAt).toBeLessThanOrEqual(droppedAt + 500);
    expect(status.gaps[0]?.endedAtMonotonic).toBe((status.gaps[0]?.endedAt ?? 0) - droppedAt + droppedAtMonotonic);
    expect(gaps.map((gap) => gap.endedAt === undefined)).toEqual([true, false]);
    expect(states.map((s) => [s.state, s.epoch])).toEqual([
      ['connecting', 0],
      ['open', 1],
      ['reconnecting', 1],
      ['open', 2],
    ]);
    expect(source.arrivals('trade', BTC)?.lastArrivalEpoch).toBe(2);
    expect(errors).toEqual([]);
    await consumer.stop();
  });
});

describe('connection stalled (open, silent)', () => {
  it('is declared dead after a heartbeat goes unanswered, replaced, and the gap starts at the last frame', async () => {
    const { source, server, clock } = await start({ pingIntervalMs: 20_000, livenessTimeoutMs: 5_000 });
    source.subscribe('ticker', [BTC]); // held for the whole test (a get…() alone would linger 30 s only)
    await source.getTicker(BTC);
    const lastFrameAt = clock.now();
    clock.advance(20_000);
    await until(() => server.pings === 1);
    await until(() => source.status().framesReceived === 2); // {"status":"UP"}
    clock.advance(5_000);
    expect(source.state).toBe('open');

    server.stall(true);
    const stalledAt = clock.now();
    clock.advance(15_000); // second PING at 40 s
    await until(() => server.pings === 2);
    clock.advance(4_999);
    expect(source.state).toBe('open');
    clock.advance(1);
    expect(source.state).toBe('reconnecting');
    const gap = source.status().gaps[0];
    expect(gap?.reason).toContain('no data and no heartbeat answer');
    expect(gap?.startedAt).toBeGreaterThan(lastFrameAt);
    expect(gap?.startedAt).toBeLessThanOrEqual(stalledAt);
    expect(harness?.logger.find('warn', 'declared dead')).toHaveLength(1);

    // The replacement socket opens and resubscribes, but the server is still silent: the gap stays open.
    clock.advance(500);
    await until(() => source.state === 'open' && server.requests.length === 2 && server.connectionCount() === 1);
    expect(source.status().gaps[0]?.endedAt).toBeUndefined();
    // Connected again but nothing delivered since the outage: the facts say so (the last arrival is on socket 1).
    expect(source.status().epoch).toBe(2);
    expect(source.arrivals('ticker', BTC)?.lastArrivalEpoch).toBe(1);
    clock.advance(1_000);
    server.stall(false);
    server.publish('ticker', 'KRW-BTC');
    await until(() => source.status().framesReceived === 3);
    expect(source.state).toBe('open');
    expect(source.status().gaps[0]?.endedAt).toBe(clock.now());
    expect(source.status().gaps[0]?.endedAtMonotonic).toBe(clock.monotonic());
    expect(source.arrivals('ticker', BTC)).toMatchObject({
      lastArrivalEpoch: 2,
      lastArrivalMonotonic: clock.monotonic(),
    });
  });

  it('with a liveness timeout longer than the ping interval, a later ping does not shorten the allowed silence', async () => {
    const { source, server, clock } = await start({ pingIntervalMs: 10_000, livenessTimeoutMs: 15_000 });
    source.subscribe('ticker', [BTC]);
    await source.getTicker(BTC);
    clock.advance(10_000); // PING 1 at 10 s arms the liveness check for 25 s
    await until(() => server.pings === 1);
    await until(() => source.status().framesReceived === 2); // {"status":"UP"} answers PING 1
    server.stall(true);
    clock.advance(10_000); // PING 2 at 20 s goes unanswered
    await until(() => server.pings === 2);
    clock.advance(5_000); // 25 s: PING 1 was answered, so the connection is still alive
    expect(source.state).toBe('open');
    clock.advance(9_999); // PING 2 (at 20 s) gets its own full allowance: the check runs at 35 s
    expect(source.state).toBe('open');
    clock.advance(1);
    expect(source.state).toBe('reconnecting');
  });

  it('a connect that never completes times out: an unreachable refusal, reported, and retried', async () => {
    const { source, server, clock } = await start({ connectTimeoutMs: 3_000 });
    await server.stop();
    // A server that accepts TCP but never answers the upgrade: a plain TCP listener on the same port.
    const net = await import('node:net');
    const sockets: import('node:net').Socket[] = [];
    const blackhole = net.createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => blackhole.listen(server.port, '127.0.0.1', resolve));
    try {
      const errors: unknown[] = [];
      source.listen('ticker', [BTC], { onRecord: () => {}, onError: (error) => errors.push(error) });
      await until(() => sockets.length === 1);
      expect(source.state).toBe('connecting');
      clock.advance(2_999);
      expect(source.state).toBe('connecting');
      clock.advance(1);
      expect(source.state).toBe('reconnecting');
      expect(source.status().refusal).toMatchObject({
        kind: 'unreachable',
        error: { name: 'TimeoutError', timeoutMs: 3_000 },
        repeats: 1,
      });
      expect(errors).toEqual([source.status().refusal?.error]);
      // Nothing was flowing yet, so nothing was missed: no gap.
      expect(source.status().gaps).toEqual([]);
      await until(() => sockets.length === 1 && source.status().nextAttemptAtMonotonic !== undefined);
      clock.advance(250);
      await until(() => sockets.length === 2);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => blackhole.close(() => resolve()));
    }
  });
});

describe('idle timeout', () => {
  it('the heartbeat keeps a connection alive past an idle timeout of 60 s', async () => {
    const clock = new FakeClock();
    const { source, server } = await start({ clock }, { clock, idleTimeoutMs: 60_000 });
    source.subscribe('ticker', [BTC]);
    await until(() => source.status().framesReceived === 1);
    for (let i = 1; i <= 8; i++) {
      clock.advance(25_000);
      await until(() => server.pings === i);
    }
    expect(server.totalConnections).toBe(1);
    expect(source.status().reconnects).toBe(0);
  });

  it("the server's idle close (1006) is an ordinary reconnect: no error reaches the consumer", async () => {
    const clock = new FakeClock();
    // The server idles out after 20 s, sooner than our 25 s heartbeat.
    const { source } = await start({ clock }, { clock, idleTimeoutMs: 20_000 });
    const errors: unknown[] = [];
    source.observe({ onRefusal: (refusal) => errors.push(refusal) });
    const iterator = source.watchTickers([BTC], { onError: (error) => errors.push(error) })[Symbol.asyncIterator]();
    await iterator.next();
    clock.advance(20_000);
    await until(() => source.state === 'reconnecting');
    expect(source.status().gaps[0]?.reason).toContain('1006');
    clock.advance(500);
    const next = await iterator.next();
    expect(next.value).toMatchObject({ symbol: 'KRW-BTC', streamType: 'SNAPSHOT' });
    expect(errors).toEqual([]);
    expect(harness?.logger.find('error')).toEqual([]);
    await iterator.return?.();
  });
});
