import { isNetworkError, type Ticker } from '@marketdata/domain';
import { flushMicrotasks } from '@marketdata/domain/testing';
import { afterEach, describe, expect, it } from 'vitest';
import type { BackboneConfigInput } from '../../src/index.js';
import { tickAt } from '../support/fixture-tickers.js';
import { createHarness, type Harness, learnRhythm } from '../support/harness.js';

// Wall-clock jumps (NTP steps, manual changes) while tickers are cached or streaming. `FakeClock.jumpWall` moves the
// wall clock only; monotonic time and timers are untouched, as on a real machine. The `Clock` port says what to
// expect: wall time can jump, durations are measured on monotonic time. Upbit's clock does not jump with ours, so
// exchange times below follow the true time (the wall clock minus the jumps made so far).

const HOUR = 3_600_000;

interface JumpHarness extends Harness {
  /** Moves the local wall clock only. */
  jump(ms: number): void;
  /** A WebSocket tick received now, stamped by the exchange at the true time. */
  pushTrue(symbol: string): void;
}

let harness: JumpHarness | undefined;

function createJumpHarness(config: BackboneConfigInput = {}, withWebSocket = true): JumpHarness {
  const base = createHarness(config, withWebSocket);
  let jumped = 0;
  const created: JumpHarness = {
    ...base,
    jump(ms) {
      base.clock.jumpWall(ms);
      jumped += ms;
    },
    pushTrue(symbol) {
      const exchangeNow = base.clock.now() - jumped;
      base.websocket.push(
        tickAt(symbol, 'websocket', base.clock, { exchangeTimestamp: exchangeNow, tradeTimestamp: exchangeNow }),
      );
    },
  };
  harness = created;
  return created;
}

afterEach(async () => {
  if (harness === undefined) return;
  await harness.md.close();
  expect(harness.clock.pendingTimerCount()).toBe(0);
  harness = undefined;
});

function expectSaneFigures(ticker: Ticker): void {
  expect(Number.isFinite(ticker.ageMs)).toBe(true);
  expect(ticker.processingTimeMs).toBeGreaterThanOrEqual(0);
  expect(ticker.confidence).toBeGreaterThanOrEqual(0);
  expect(ticker.confidence).toBeLessThanOrEqual(1);
  expect(['high', 'medium', 'low']).toContain(ticker.quality);
}

const STALE_NOTE = /last update \d+ ms ago/;

describe('cache TTL across wall-clock jumps (the cache ages on monotonic time)', () => {
  it('a backward jump does not keep a value past its TTL', async () => {
    const { md, rest, clock, jump } = createJumpHarness({ cacheTtlMs: 10_000 }, false);
    await md.getTicker('KRW-ETH');
    jump(-HOUR);
    clock.advance(10_001);
    // REST fails: the cache would be the fallback, but its value is past the TTL.
    rest.failNext(1);
    await expect(md.getTicker('KRW-ETH')).rejects.toSatisfy(isNetworkError);
    expect(md.stats().cache.expired).toBe(1);
  });

  it('a forward jump does not expire a value that is still young', async () => {
    const { md, rest, clock, jump } = createJumpHarness({ cacheTtlMs: 10_000 }, false);
    await md.getTicker('KRW-ETH');
    jump(HOUR);
    clock.advance(100);
    const hit = await md.getTicker('KRW-ETH');
    expect(hit).toMatchObject({ source: 'cache', quality: 'high' });
    expectSaneFigures(hit);
    expect(rest.callCount()).toBe(1);
  });
});

describe('WebSocket staleness across wall-clock jumps', () => {
  // The stream delivers the symbol every 10 s (the freshness judge learns it from the arrivals); the one rule: older
  // than staleFactor (3) x 10 s = 30 s is stale, measured from the monotonic receive time the adapter stamped.
  function quietSymbol(current: JumpHarness): void {
    learnRhythm(current, 'KRW-BTC', 10_000);
    current.pushTrue('KRW-BTC');
  }

  it.each([
    ['without a jump', 0],
    ['after the wall clock jumps back 1 h', -HOUR],
  ])('a value received 40 s ago is graded stale %s', async (_, jumpMs) => {
    const current = createJumpHarness();
    const { md, clock, jump } = current;
    quietSymbol(current);
    clock.advance(40_000);
    // Seen once before the jump (as a busy application would have).
    expect((await md.getTicker('KRW-BTC', { source: 'websocket' })).quality).toBe('low');
    jump(jumpMs);
    const ticker = await md.getTicker('KRW-BTC', { source: 'websocket' });
    expectSaneFigures(ticker);
    expect(ticker.quality).toBe('low');
    expect(ticker.qualityNotes.some((note) => STALE_NOTE.test(note))).toBe(true);
  });

  it.each([
    ['without a jump', 0],
    ['after the wall clock jumps back 1 h', -HOUR],
  ])('a hot symbol whose stream went quiet 40 s ago is confirmed by REST %s', async (_, jumpMs) => {
    const current = createJumpHarness();
    const { md, clock, jump } = current;
    quietSymbol(current);
    clock.advance(40_000);
    jump(jumpMs);
    const sources = await current.requestEvery('KRW-BTC', 100, 8);
    expect(md.stats().routing.subscriptions.active).toBe(1);
    expect(sources).not.toContain('websocket');
    expect(md.stats().routing.decisions['hot-websocket-fresh']).toBeUndefined();
    expect(md.stats().routing.decisions['websocket-stale-confirm-by-rest']).toBeGreaterThan(0);
  });

  it.each([
    ['without a jump', 0],
    ['after the wall clock jumps back 1 h', -HOUR],
  ])('the cache does not make a 25 s old value young again %s', async (_, jumpMs) => {
    const current = createJumpHarness();
    const { md, clock, jump } = current;
    quietSymbol(current);
    clock.advance(25_000);
    jump(jumpMs);
    // The WebSocket hands out its latest value, 25 s old, which the facade also caches.
    await md.getTicker('KRW-BTC', { source: 'websocket' });
    // A cold request: a cache hit older than the symbol's 10 s interval is not fresh, so REST is asked.
    const next = await md.getTicker('KRW-BTC');
    expect(next.source).toBe('rest');
  });

  it('a forward jump does not make data received 10 ms ago look stale', async () => {
    const current = createJumpHarness();
    const { md, clock, jump } = current;
    quietSymbol(current);
    clock.advance(10);
    jump(HOUR);
    const ticker = await md.getTicker('KRW-BTC', { source: 'websocket' });
    expectSaneFigures(ticker);
    expect(ticker.qualityNotes.filter((note) => STALE_NOTE.test(note))).toEqual([]);
    expect(ticker.quality).toBe('high');
  });
});

describe('future timestamps and negative ages after a backward jump', () => {
  it('flags a fresh answer whose exchange time is ahead of our clock, counts it, and grades it low', async () => {
    const { md, clock, jump } = createJumpHarness({}, false);
    jump(-HOUR);
    const ahead = await md.getTicker('KRW-ETH');
    expectSaneFigures(ahead);
    expect(ahead.source).toBe('rest');
    expect(ahead.quality).toBe('low');
    expect(ahead.qualityNotes.some((note) => note.includes('ahead of the local clock'))).toBe(true);
    // Documented: the age is negative when the exchange clock is ahead of ours, and then it is flagged.
    expect(ahead.ageMs).toBeLessThan(0);
    expect(md.stats().quality.issues['future-timestamp']).toBe(1);

    // The clock is corrected: the next fresh answer is fine again.
    jump(HOUR);
    clock.advance(2_000);
    const fixed = await md.getTicker('KRW-ETH');
    expect(fixed).toMatchObject({ source: 'rest', quality: 'high' });
    expect(fixed.ageMs).toBeGreaterThanOrEqual(0);
  });

  it('never hands out a negative age on a value graded high, even for a value first seen before the jump', async () => {
    const current = createJumpHarness();
    const { md, clock, jump } = current;
    current.pushTrue('KRW-BTC');
    const before = await md.getTicker('KRW-BTC', { source: 'websocket' });
    expect(before.quality).toBe('high');
    expect(before.ageMs).toBeGreaterThanOrEqual(0);
    jump(-HOUR);
    clock.advance(10);
    const after = await md.getTicker('KRW-BTC', { source: 'websocket' });
    expectSaneFigures(after);
    expect({ quality: after.quality, negativeAge: after.ageMs < 0 }).not.toEqual({
      quality: 'high',
      negativeAge: true,
    });
  });
});

describe('a ticker stream across jumps forward and backward', () => {
  it('keeps delivering, grades by receipt time, and flags what is ahead of the local clock', async () => {
    const current = createJumpHarness();
    const { md, clock, jump } = current;
    const stream = md.watchTickers(['KRW-BTC']);
    const deliver = async (): Promise<Ticker> => {
      const next = stream.next();
      current.pushTrue('KRW-BTC');
      await flushMicrotasks();
      const result = await next;
      if (result.done === true) throw new Error('the stream ended');
      expectSaneFigures(result.value);
      return result.value;
    };

    const normal = await deliver();
    expect(normal.quality).toBe('high');

    clock.advance(500);
    jump(HOUR);
    // Our clock is an hour ahead: the age says so, but the value was just received, so it is not stale.
    const ahead = await deliver();
    expect(ahead.ageMs).toBeGreaterThanOrEqual(HOUR);
    expect(ahead.quality).toBe('high');

    clock.advance(500);
    jump(-2 * HOUR);
    // Now an hour behind: Upbit's times are in our future, which the quality check flags.
    const behind = await deliver();
    expect(behind.ageMs).toBeLessThan(0);
    expect(behind.quality).toBe('low');
    expect(behind.qualityNotes.some((note) => note.includes('ahead of the local clock'))).toBe(true);

    expect(md.stats().streams.delivered.ticker).toBe(3);
    expect(md.stats().quality.issues['future-timestamp']).toBe(1);
    await stream.return?.();
    expect(md.stats().streams.active).toBe(0);
  });
});
