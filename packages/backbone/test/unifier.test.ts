import type { StreamStatus } from '@marketdata/domain';
import { FakeClock } from '@marketdata/domain/testing';
import { describe, expect, it } from 'vitest';
import { FreshnessJudge } from '../src/freshness/freshness-judge.js';
import { DEFAULT_BACKBONE_CONFIG } from '../src/index.js';
import { Unifier } from '../src/unifier/unifier.js';
import { code, RECORDED_AT, tickAt } from './support/fixture-tickers.js';

const OPEN: StreamStatus = {
  state: 'open',
  connectedSince: undefined,
  epoch: 1,
  lastInboundMonotonic: undefined,
  reconnects: 0,
  gaps: [],
  malformedFrames: 0,
  refusal: undefined,
};

function setup() {
  const clock = new FakeClock({ now: RECORDED_AT + 100, monotonic: 100_000 });
  const judge = new FreshnessJudge({
    clock,
    settings: DEFAULT_BACKBONE_CONFIG.freshness,
    maxSymbols: 100,
    initial: OPEN,
  });
  const unifier = new Unifier({
    clock,
    quality: DEFAULT_BACKBONE_CONFIG.quality,
    cacheTtlMs: 60_000,
    maxSymbols: 100,
    judge,
  });
  /** The stream reports REALTIME arrivals of the symbol `everyMs` apart, the last one now. */
  const rhythm = (symbol: string, everyMs: number): void => {
    for (let k = 5; k >= 0; k--) {
      judge.observer.onArrival?.('ticker', code(symbol), clock.monotonic() - k * everyMs, 'REALTIME');
    }
  };
  return { clock, judge, unifier, rhythm };
}

describe('Unifier', () => {
  it('grades channels that disagree by more than 0.1% low and counts it', () => {
    const { clock, unifier } = setup();
    const rest = tickAt('KRW-BTC', 'rest', clock);
    const first = unifier.grade(rest, { servedFrom: 'rest', startedAt: clock.monotonic() });
    expect(first.quality).toBe('high');
    clock.advance(200);
    const ws = tickAt('KRW-BTC', 'websocket', clock, { price: rest.price * 1.0015, high: rest.price * 1.01 });
    const second = unifier.grade(ws, { servedFrom: 'websocket', startedAt: clock.monotonic() });
    expect(second.quality).toBe('low');
    expect(second.qualityNotes[0]).toMatch(/websocket price .* differs from rest price .* by 0\.150%/);
    expect(unifier.counters().issues['channel-disagreement']).toBe(1);
  });

  it('does not compare channels within the threshold or values received too far apart', () => {
    const { clock, unifier } = setup();
    const rest = tickAt('KRW-ETH', 'rest', clock);
    unifier.inspect(rest);
    clock.advance(100);
    const close = tickAt('KRW-ETH', 'websocket', clock, { price: rest.price * 1.0009 });
    expect(unifier.inspect(close)).toEqual([]);
    clock.advance(5_000);
    const later = tickAt('KRW-ETH', 'rest', clock, { price: rest.price * 1.002 });
    expect(unifier.inspect(later)).toEqual([]);
    expect(unifier.counters().issues['channel-disagreement']).toBe(0);
  });

  it('does not call a one-tick move between two different trades a disagreement (low-priced market)', () => {
    const { clock, unifier } = setup();
    const rest = tickAt('KRW-DOGE', 'rest', clock, { price: 138, high: 140, low: 130 });
    unifier.inspect(rest);
    clock.advance(200);
    const nextTrade = tickAt('KRW-DOGE', 'websocket', clock, {
      price: 137,
      high: 140,
      low: 130,
      tradeTimestamp: rest.tradeTimestamp + 150,
    });
    expect(unifier.inspect(nextTrade)).toEqual([]);
    const sameTradeWrongPrice = tickAt('KRW-DOGE', 'websocket', clock, {
      price: 137,
      high: 140,
      low: 130,
      tradeTimestamp: rest.tradeTimestamp,
    });
    expect(unifier.inspect(sameTradeWrongPrice).map((issue) => issue.kind)).toEqual(['channel-disagreement']);
  });

  it('checks and counts each tick once, even when a source hands out the same object again', () => {
    const { clock, unifier } = setup();
    const tick = tickAt('KRW-XRP', 'websocket', clock, { price: 0 });
    unifier.grade(tick, { servedFrom: 'websocket', startedAt: 0 });
    unifier.grade(tick, { servedFrom: 'websocket', startedAt: 0 });
    unifier.inspect({ ...tick });
    const counters = unifier.counters();
    expect(counters.ticksChecked).toBe(2);
    expect(counters.issues['non-positive-price']).toBe(2);
    expect(counters.quality).toEqual({ high: 0, medium: 0, low: 2 });
  });

  it('hands every trade time it sees to the freshness judge, which learns the rhythm of symbols not streamed', () => {
    const { clock, unifier, judge } = setup();
    const symbol = code('KRW-DOGE');
    expect(judge.expectedIntervalMs('ticker', symbol)).toBe(1_000);
    const base = tickAt('KRW-DOGE', 'rest', clock);
    for (let i = 0; i < 30; i++) unifier.inspect({ ...base, tradeTimestamp: base.tradeTimestamp + i * 250 });
    expect(judge.expectedIntervalMs('ticker', symbol)).toBeCloseTo(250, 5);
    expect(unifier.hasSeen(symbol)).toBe(true);
    expect(unifier.hasSeen(code('KRW-ETH'))).toBe(false);
  });

  it('measures processing time on the monotonic clock', () => {
    const { clock, unifier } = setup();
    const startedAt = clock.monotonic();
    clock.advance(3);
    const ticker = unifier.grade(tickAt('KRW-BTC', 'rest', clock), { servedFrom: 'rest', startedAt });
    expect(ticker.processingTimeMs).toBe(3);
  });

  it("grades stream values by the judge's verdict: a quiet symbol may be old, a busy one may not", () => {
    const { clock, unifier, rhythm } = setup();
    rhythm('KRW-ZRX', 30_000);
    rhythm('KRW-BTC', 200);
    const quiet = tickAt('KRW-ZRX', 'websocket', clock);
    const busy = tickAt('KRW-BTC', 'websocket', clock);
    clock.advance(10_000);
    const context = { servedFrom: 'websocket', startedAt: 0 } as const;
    expect(unifier.grade(quiet, context).quality).toBe('high');
    const stale = unifier.grade(busy, context);
    expect(stale.quality).toBe('low');
    expect(stale.qualityNotes).toEqual(['last update 10000 ms ago, expected every 200 ms']);
    expect(unifier.counters().issues.stale).toBe(1);
  });

  it('grades a cache hit past the stale limit low, and a cached stream value no fresher than its stream', () => {
    const { clock, unifier, judge } = setup();
    const fromRest = tickAt('KRW-SOL', 'rest', clock);
    const fromStream = tickAt('KRW-ETH', 'websocket', clock);
    judge.observer.onArrival?.('ticker', fromStream.symbol, clock.monotonic(), 'REALTIME');
    clock.advance(100);
    judge.observer.onConnection?.({
      state: 'reconnecting',
      previous: 'open',
      reason: 'drop',
      epoch: 1,
      atMonotonic: 0,
    });
    const cached = unifier.grade(fromStream, { servedFrom: 'cache', startedAt: 0, cacheAgeMs: 100 });
    expect(cached.quality).toBe('low');
    expect(cached.qualityNotes).toContain('cached from a stream that cannot deliver (websocket reconnecting)');
    // A REST answer in the cache does not depend on the stream.
    expect(unifier.grade(fromRest, { servedFrom: 'cache', startedAt: 0, cacheAgeMs: 100 }).quality).toBe('high');
    clock.advance(2_901);
    const old = unifier.grade(fromRest, { servedFrom: 'cache', startedAt: 0, cacheAgeMs: 3_001 });
    expect(old.quality).toBe('low');
    expect(old.qualityNotes).toContain('cached 3001 ms ago, expected every 1000 ms');
  });

  it('judges time since receipt from the monotonic stamp, across wall-clock jumps either way', () => {
    const { clock, unifier } = setup();
    const quiet = tickAt('KRW-BTC', 'websocket', clock);
    const context = { servedFrom: 'websocket', startedAt: 0 } as const;
    clock.advance(40_000);
    expect(unifier.grade(quiet, context).qualityNotes).toContain('last update 40000 ms ago, expected every 1000 ms');
    clock.jumpWall(-3_600_000);
    expect(unifier.grade(quiet, context).qualityNotes).toContain('last update 40000 ms ago, expected every 1000 ms');
    // Received after a forward jump, 10 ms ago: fresh, whatever the wall clock says.
    clock.jumpWall(7_200_000);
    const fresh = tickAt('KRW-ETH', 'websocket', clock, { exchangeTimestamp: clock.now() - 3_600_000 });
    clock.advance(10);
    expect(unifier.grade(fresh, context).quality).toBe('high');
  });

  it('flags an exchange time that falls ahead of the clock after a backward jump, at every hand-out, counted once', () => {
    const { clock, unifier } = setup();
    const tick = tickAt('KRW-BTC', 'websocket', clock, { exchangeTimestamp: clock.now() });
    const context = { servedFrom: 'websocket', startedAt: 0 } as const;
    expect(unifier.grade(tick, context).quality).toBe('high');
    clock.jumpWall(-3_600_000);
    for (let i = 0; i < 3; i++) {
      const ticker = unifier.grade(tick, context);
      expect(ticker.ageMs).toBeLessThan(0);
      expect(ticker.quality).toBe('low');
      expect(ticker.qualityNotes.some((note) => note.includes('ahead of the local clock'))).toBe(true);
    }
    expect(unifier.counters().issues['future-timestamp']).toBe(1);
    // The clock is corrected: the same value is no longer ahead of it.
    clock.jumpWall(3_600_000);
    expect(unifier.grade(tick, context).quality).toBe('high');
  });
});
