import { isChannelUnavailableError, type Ticker } from '@marketdata/domain';
import { flushMicrotasks } from '@marketdata/domain/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { tickAt } from './support/fixture-tickers.js';
import { createHarness, type Harness } from './support/harness.js';

// The stream supervisor with default settings, on fake sources and a fake clock: what an `auto` ticker stream does
// when its WebSocket cannot serve (never opens, stalls while heartbeats are answered, a quiet market), and how it
// comes back.

let harness: Harness | undefined;

afterEach(async () => {
  if (harness === undefined) return;
  await harness.md.close();
  expect(harness.clock.pendingTimerCount()).toBe(0);
  harness = undefined;
});

/** Collects what a stream hands out, as it comes. */
function collect(stream: AsyncIterableIterator<Ticker>): Ticker[] {
  const got: Ticker[] = [];
  void (async () => {
    for await (const ticker of stream) got.push(ticker);
  })().catch(() => undefined);
  return got;
}

/** Advances the clock in `stepMs` steps until `done()` or `limitMs`; returns the time it took (undefined: never). */
async function until(h: Harness, done: () => boolean, limitMs: number, stepMs = 50): Promise<number | undefined> {
  for (let elapsed = 0; elapsed <= limitMs; elapsed += stepMs) {
    await flushMicrotasks();
    if (done()) return elapsed;
    h.clock.advance(stepMs);
  }
  return undefined;
}

/** The REST source answers a state newer than anything streamed so far (the market moved on). */
function restMovesOn(h: Harness, symbol: string, byMs: number): void {
  const now = h.clock.now();
  h.rest.changes.set(symbol, { exchangeTimestamp: now + byMs, tradeTimestamp: now + byMs });
}

describe('an auto ticker stream whose WebSocket cannot serve', () => {
  it('continues from REST within 3 s when the socket never opens, and returns once it delivers', async () => {
    harness = createHarness();
    const h = harness;
    h.websocket.connection('connecting', 'upgrade unanswered');
    const got = collect(h.md.watchTickers(['KRW-BTC']));
    restMovesOn(h, 'KRW-BTC', 0);
    const firstFallback = await until(h, () => got.length > 0, 3_000);
    expect(firstFallback).toBeDefined();
    expect(firstFallback).toBeLessThanOrEqual(1_250);
    console.log(`socket never opens: first REST tick after ${firstFallback} ms`);
    expect(got[0]).toMatchObject({ source: 'rest', quality: 'medium' });
    expect(got[0]?.qualityNotes[0]).toBe('fallback from websocket: KRW-BTC: websocket connecting');
    expect(h.md.health().reasons).toContainEqual(expect.stringContaining('watchTickers on rest fallback for KRW-BTC'));

    h.websocket.connection('open');
    h.clock.advance(10);
    h.push('KRW-BTC', { exchangeTimestamp: h.clock.now() + 100 });
    await flushMicrotasks();
    expect(got.at(-1)).toMatchObject({ source: 'websocket', quality: 'high' });
    const polls = h.rest.callCount('getTickers');
    for (let i = 0; i < 50; i++) {
      h.clock.advance(100);
      h.push('KRW-BTC', { exchangeTimestamp: h.clock.now() + 100 });
      await flushMicrotasks();
    }
    expect(h.rest.callCount('getTickers')).toBe(polls);
    expect(h.md.health().fallbacks).toEqual([]);
  });

  it('continues from REST within 3 s when data stops while heartbeats are answered, naming the silence', async () => {
    harness = createHarness();
    const h = harness;
    const got = collect(h.md.watchTickers(['KRW-BTC']));
    for (let i = 0; i < 30; i++) {
      h.clock.advance(100);
      h.push('KRW-BTC', { exchangeTimestamp: h.clock.now() });
    }
    await flushMicrotasks();
    const streamed = got.length;
    expect(streamed).toBeGreaterThan(0);
    restMovesOn(h, 'KRW-BTC', 500);
    const firstFallback = await until(
      h,
      () => {
        h.websocket.heartbeat();
        return got.length > streamed;
      },
      3_000,
    );
    expect(firstFallback).toBeDefined();
    expect(firstFallback).toBeLessThanOrEqual(1_300);
    console.log(`data stall at a 100 ms rhythm: first REST tick after ${firstFallback} ms`);
    expect(got.at(-1)?.source).toBe('rest');
    expect(got.at(-1)?.qualityNotes[0]).toMatch(
      /^fallback from websocket: KRW-BTC: last update \d+ ms ago, expected every 100 ms$/,
    );
    expect(h.websocket.status().state).toBe('open');
  });

  it('stays on the WebSocket for a quiet symbol while the connection delivers others', async () => {
    harness = createHarness();
    const h = harness;
    collect(h.md.watchTickers(['KRW-BTC', 'KRW-ZRX']));
    h.push('KRW-ZRX');
    for (let i = 0; i < 100; i++) {
      h.clock.advance(100);
      h.push('KRW-BTC', { exchangeTimestamp: h.clock.now() });
      await flushMicrotasks();
    }
    expect(h.rest.callCount()).toBe(0);
    expect(h.md.health()).toMatchObject({ status: 'ok', fallbacks: [] });
  });

  it('asks REST about a quiet symbol alone on its connection, less and less often once REST confirms it', async () => {
    harness = createHarness();
    const h = harness;
    const got = collect(h.md.watchTickers(['KRW-ZRX']));
    h.push('KRW-ZRX');
    await flushMicrotasks();
    expect(got).toHaveLength(1);
    const polledAt: number[] = [];
    const startedAt = h.clock.monotonic();
    for (let elapsed = 0; elapsed < 120_000; elapsed += 250) {
      h.clock.advance(250);
      h.websocket.heartbeat();
      await flushMicrotasks();
      while (polledAt.length < h.rest.callCount('getTickers')) polledAt.push(h.clock.monotonic() - startedAt);
    }
    // REST repeats the stream's state (no trade since): nothing more is handed out, and each confirmation makes
    // the next check wait three times the silence it confirmed.
    expect(got).toHaveLength(1);
    expect(polledAt.length).toBeGreaterThanOrEqual(2);
    expect(polledAt.length).toBeLessThanOrEqual(4);
    console.log(`a quiet symbol alone, 2 min: REST asked at ${polledAt.join(', ')} ms`);
    expect(h.md.health().status).not.toBe('down');
  });

  it('ends a strict stream with a typed error when data stops', async () => {
    harness = createHarness();
    const h = harness;
    const stream = h.md.watchTickers(['KRW-BTC'], { source: 'websocket', strict: true });
    for (let i = 0; i < 10; i++) {
      h.clock.advance(100);
      h.push('KRW-BTC', { exchangeTimestamp: h.clock.now() });
    }
    expect(await stream.next()).toMatchObject({ done: false, value: { source: 'websocket' } });
    const next = stream.next();
    next.catch(() => undefined);
    h.clock.advance(1_500);
    await flushMicrotasks();
    const error = await next.then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toSatisfy(isChannelUnavailableError);
    expect(String(error)).toMatch(/The WebSocket cannot serve KRW-BTC: last update \d+ ms ago/);
    expect(h.rest.callCount()).toBe(0);
  });

  it('never hands out a repeat or an older state across a switch', async () => {
    harness = createHarness();
    const h = harness;
    const got = collect(h.md.watchTickers(['KRW-ETH']));
    const base = h.clock.now();
    h.push('KRW-ETH', { exchangeTimestamp: base });
    h.websocket.connection('reconnecting', 'drop');
    // REST first repeats the streamed state, then moves on.
    h.rest.changes.set('KRW-ETH', { exchangeTimestamp: base });
    await until(h, () => h.rest.callCount('getTickers') > 0, 2_000);
    restMovesOn(h, 'KRW-ETH', 0);
    const moved = h.clock.now();
    await until(h, () => got.length > 1, 2_000);
    // The WebSocket is back with a SNAPSHOT older than what REST gave, then a newer REALTIME.
    h.websocket.connection('open');
    h.websocket.push(tickAt('KRW-ETH', 'websocket', h.clock, { exchangeTimestamp: moved - 1 }), 'SNAPSHOT');
    h.websocket.push(tickAt('KRW-ETH', 'websocket', h.clock, { exchangeTimestamp: moved + 5 }));
    await flushMicrotasks();
    expect(got.map((t) => `${t.source}@${t.exchangeTimestamp - base}`)).toEqual([
      'websocket@0',
      `rest@${moved - base}`,
      `websocket@${moved + 5 - base}`,
    ]);
  });
});
