import { FakeClock } from '@marketdata/domain/testing';
import { describe, expect, it } from 'vitest';
import { DEFAULT_BACKBONE_CONFIG } from '../src/index.js';
import { Unifier } from '../src/unifier/unifier.js';
import { code, RECORDED_AT, tickAt } from './support/fixture-tickers.js';

function setup() {
  const clock = new FakeClock({ now: RECORDED_AT + 100 });
  const unifier = new Unifier({
    clock,
    quality: DEFAULT_BACKBONE_CONFIG.quality,
    staleFactor: 3,
    cacheTtlMs: 60_000,
    maxSymbols: 100,
  });
  return { clock, unifier };
}

describe('Unifier', () => {
  it('grades channels that disagree by more than 0.1% low and counts it', () => {
    const { clock, unifier } = setup();
    const rest = tickAt('KRW-BTC', 'rest', clock.now());
    const first = unifier.grade(rest, { servedFrom: 'rest', startedAt: clock.monotonic() });
    expect(first.quality).toBe('high');
    clock.advance(200);
    const ws = tickAt('KRW-BTC', 'websocket', clock.now(), { price: rest.price * 1.0015, high: rest.price * 1.01 });
    const second = unifier.grade(ws, { servedFrom: 'websocket', startedAt: clock.monotonic() });
    expect(second.quality).toBe('low');
    expect(second.qualityNotes[0]).toMatch(/websocket price .* differs from rest price .* by 0\.150%/);
    expect(unifier.counters().issues['channel-disagreement']).toBe(1);
  });

  it('does not compare channels within the threshold or values received too far apart', () => {
    const { clock, unifier } = setup();
    const rest = tickAt('KRW-ETH', 'rest', clock.now());
    unifier.inspect(rest);
    clock.advance(100);
    const close = tickAt('KRW-ETH', 'websocket', clock.now(), { price: rest.price * 1.0009 });
    expect(unifier.inspect(close)).toEqual([]);
    clock.advance(5_000);
    const later = tickAt('KRW-ETH', 'rest', clock.now(), { price: rest.price * 1.002 });
    expect(unifier.inspect(later)).toEqual([]);
    expect(unifier.counters().issues['channel-disagreement']).toBe(0);
  });

  it('does not call a one-tick move between two different trades a disagreement (low-priced market)', () => {
    const { clock, unifier } = setup();
    const rest = tickAt('KRW-DOGE', 'rest', clock.now(), { price: 138, high: 140, low: 130 });
    unifier.inspect(rest);
    clock.advance(200);
    const nextTrade = tickAt('KRW-DOGE', 'websocket', clock.now(), {
      price: 137,
      high: 140,
      low: 130,
      tradeTimestamp: rest.tradeTimestamp + 150,
    });
    expect(unifier.inspect(nextTrade)).toEqual([]);
    const sameTradeWrongPrice = tickAt('KRW-DOGE', 'websocket', clock.now(), {
      price: 137,
      high: 140,
      low: 130,
      tradeTimestamp: rest.tradeTimestamp,
    });
    expect(unifier.inspect(sameTradeWrongPrice).map((issue) => issue.kind)).toEqual(['channel-disagreement']);
  });

  it('checks and counts each tick once, even when a source hands out the same object again', () => {
    const { clock, unifier } = setup();
    const tick = tickAt('KRW-XRP', 'websocket', clock.now(), { price: 0 });
    unifier.grade(tick, { servedFrom: 'websocket', startedAt: 0 });
    unifier.grade(tick, { servedFrom: 'websocket', startedAt: 0 });
    unifier.inspect({ ...tick });
    const counters = unifier.counters();
    expect(counters.ticksChecked).toBe(2);
    expect(counters.issues['non-positive-price']).toBe(2);
    expect(counters.quality).toEqual({ high: 0, medium: 0, low: 2 });
  });

  it('learns a symbol rhythm from distinct trade times, within the configured bounds', () => {
    const { clock, unifier } = setup();
    const symbol = code('KRW-DOGE');
    expect(unifier.expectedIntervalMs(symbol)).toBe(1_000);
    const base = tickAt('KRW-DOGE', 'websocket', clock.now());
    for (let i = 0; i < 30; i++) {
      unifier.inspect({ ...base, tradeTimestamp: base.tradeTimestamp + i * 250 });
    }
    expect(unifier.expectedIntervalMs(symbol)).toBeCloseTo(250, 5);
    expect(unifier.expectedIntervalMs(symbol, 12_000)).toBe(12_000);
    expect(unifier.expectedIntervalMs(symbol, 5)).toBe(50);
    expect(unifier.expectedIntervalMs(symbol, 10_000_000)).toBe(60_000);
  });

  it('measures processing time on the monotonic clock', () => {
    const { clock, unifier } = setup();
    const startedAt = clock.monotonic();
    clock.advance(3);
    const ticker = unifier.grade(tickAt('KRW-BTC', 'rest', clock.now()), { servedFrom: 'rest', startedAt });
    expect(ticker.processingTimeMs).toBe(3);
  });

  it('judges time since receipt on the monotonic clock, across wall-clock jumps either way', () => {
    const { clock, unifier } = setup();
    const quiet = tickAt('KRW-BTC', 'websocket', clock.now());
    const fresh = tickAt('KRW-ETH', 'websocket', clock.now());
    const context = { servedFrom: 'websocket', startedAt: 0, streamExpectedIntervalMs: 10_000 } as const;
    clock.advance(40_000);
    expect(unifier.grade(quiet, context).quality).toBe('low');
    clock.jumpWall(-3_600_000);
    const stillStale = unifier.grade(quiet, context);
    expect(stillStale.qualityNotes).toContain('last update 40000 ms ago, expected every 10000 ms');
    // First seen after two jumps that cancel out: received 40 s ago, not 40 s minus an hour.
    clock.jumpWall(3_600_000);
    expect(unifier.grade(fresh, context).qualityNotes).toContain('last update 40000 ms ago, expected every 10000 ms');
  });

  it('flags an exchange time that falls ahead of the clock after a backward jump, at every hand-out, counted once', () => {
    const { clock, unifier } = setup();
    const tick = tickAt('KRW-BTC', 'websocket', clock.now(), { exchangeTimestamp: clock.now() });
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
