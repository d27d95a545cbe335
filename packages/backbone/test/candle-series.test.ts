import { type Candle, nextPeriodStart, periodStart } from '@marketdata/domain';
import { describe, expect, it } from 'vitest';
import { INTERVALS, parseInterval } from '../src/candles/candle-intervals.js';
import { aggregate, combine, isNewerState } from '../src/candles/candle-merge.js';
import { CandleSeries } from '../src/candles/candle-series.js';
import { exactSum } from '../src/candles/decimal-sum.js';
import { candleAt } from './support/fake-market-rest.js';

const MINUTE = { unit: 'minutes', size: 1 } as const;
const T0 = Date.UTC(2026, 2, 11, 14, 0);
const at = (wall: number, monotonic: number) => ({ now: () => wall, monotonic: () => monotonic });

function candle(minute: number, volume: number, receivedAtMonotonic: number, changes: Partial<Candle> = {}): Candle {
  return candleAt('KRW-BTC', MINUTE, T0 + minute * 60_000, at(T0, receivedAtMonotonic), { volume, ...changes });
}

function series(): CandleSeries {
  return new CandleSeries({ interval: INTERVALS['1m'], keep: 100, closeGraceMs: 2_000 });
}

describe('the merge rule', () => {
  it('keeps the state with more volume whatever the arrival order; at equal volume the later receipt', () => {
    expect(isNewerState(candle(0, 1, 10), candle(0, 2, 5))).toBe(true);
    expect(isNewerState(candle(0, 2, 5), candle(0, 1, 10))).toBe(false);
    expect(isNewerState(candle(0, 1, 5), candle(0, 1, 10, { close: 1 }))).toBe(true);
    expect(isNewerState(candle(0, 1, 10), candle(0, 1, 5, { close: 1 }))).toBe(false);
  });
});

describe('CandleSeries', () => {
  it('holds each period once, ignores repeats and older states, and reports changes with the closed flag', () => {
    const s = series();
    s.load([candle(0, 1, 1), candle(1, 1, 1), candle(2, 1, 1)], T0 + 2 * 60_000 + 10);
    expect(s.snapshot().map((c) => [c.openTime - T0, c.closed])).toEqual([
      [0, true],
      [60_000, true],
      [120_000, false],
    ]);
    const now = T0 + 2 * 60_000 + 500;
    // The same state again (a repeated frame): nothing to report.
    expect(s.merge(candle(2, 1, 2), now)).toEqual([]);
    // An older state of the open candle (a REST page answered late): ignored.
    expect(s.merge(candle(2, 0.5, 3), now)).toEqual([]);
    // A newer state: reported open.
    expect(s.merge(candle(2, 2, 4), now).map((c) => [c.volume, c.closed])).toEqual([[2, false]]);
    // The next period: the previous one closes, the new one opens (both reported, in order).
    expect(s.merge(candle(3, 1, 5), T0 + 3 * 60_000 + 1).map((c) => [c.openTime - T0, c.closed])).toEqual([
      [120_000, true],
      [180_000, false],
    ]);
    // A late state of a closed candle is a correction, reported closed; a missing period is inserted in order.
    expect(s.merge(candle(2, 3, 6), T0 + 3 * 60_000 + 2).map((c) => [c.volume, c.closed])).toEqual([[3, true]]);
    const backfilled = candle(1, 1, 1, { openTime: T0 + 90_000 });
    expect(s.merge(backfilled, T0 + 3 * 60_000 + 3).map((c) => c.closed)).toEqual([true]);
    expect(s.snapshot().map((c) => c.openTime - T0)).toEqual([0, 60_000, 90_000, 120_000, 180_000]);
  });

  it('closes the newest candle once its period and the grace are over (a quiet market sends nothing more)', () => {
    const s = series();
    s.merge(candle(0, 1, 1), T0 + 1_000);
    expect(s.nextCloseAt()).toBe(T0 + 62_000);
    expect(s.closeDue(T0 + 61_999)).toEqual([]);
    expect(s.closeDue(T0 + 62_000).map((c) => c.closed)).toEqual([true]);
    expect(s.closeDue(T0 + 70_000)).toEqual([]);
    expect(s.nextCloseAt()).toBeUndefined();
    // A candle that arrives after its period is over is closed at once.
    expect(s.merge(candle(1, 1, 2), T0 + 125_000).map((c) => [c.openTime - T0, c.closed])).toEqual([[60_000, true]]);
  });

  it('keeps at most `keep` candles, the newest', () => {
    const s = new CandleSeries({ interval: INTERVALS['1m'], keep: 3, closeGraceMs: 0 });
    s.load(
      Array.from({ length: 10 }, (_, i) => candle(i, 1, i)),
      T0,
    );
    expect(s.snapshot().map((c) => (c.openTime - T0) / 60_000)).toEqual([7, 8, 9]);
  });
});

describe('candle periods in UTC', () => {
  it('cuts seconds, minutes, days, Monday weeks, months and years', () => {
    const t = Date.UTC(2026, 2, 11, 14, 41, 59, 500); // a Wednesday
    expect(periodStart(INTERVALS['1s'], t)).toBe(Date.UTC(2026, 2, 11, 14, 41, 59));
    expect(periodStart(INTERVALS['240m'], t)).toBe(Date.UTC(2026, 2, 11, 12));
    expect(periodStart(INTERVALS['1d'], t)).toBe(Date.UTC(2026, 2, 11));
    expect(periodStart(INTERVALS['1w'], t)).toBe(Date.UTC(2026, 2, 9));
    expect(periodStart(INTERVALS['1M'], t)).toBe(Date.UTC(2026, 2, 1));
    expect(periodStart(INTERVALS['1y'], t)).toBe(Date.UTC(2026, 0, 1));
    expect(nextPeriodStart(INTERVALS['1M'], Date.UTC(2026, 11, 31))).toBe(Date.UTC(2027, 0, 1));
    expect(nextPeriodStart(INTERVALS['1w'], t)).toBe(Date.UTC(2026, 2, 16));
  });

  it('parses names, aliases and { unit, size }, and refuses the rest', () => {
    expect(parseInterval('4h', 'x').name).toBe('240m');
    expect(parseInterval({ unit: 'minutes', size: 15 }, 'x').name).toBe('15m');
    expect(parseInterval({ unit: 'days' }, 'x').name).toBe('1d');
    for (const bad of ['2m', { unit: 'minutes', size: 2 }, { unit: 'days', size: 2 }, null, 5]) {
      expect(() => parseInterval(bad, 'getCandles')).toThrow(/Invalid candle interval/);
    }
  });
});

describe('exact sums and aggregates', () => {
  it('adds the decimals Upbit wrote exactly', () => {
    expect(exactSum([0.1, 0.2])).toBe(0.3);
    expect(exactSum([1e-8, 2e-8, 3e21])).toBe(3e21);
    expect(exactSum([12.34567891, 0.00000009])).toBe(12.345679);
    expect(exactSum([-1.5, 0.25])).toBe(-1.25);
    expect(exactSum([])).toBe(0);
    expect(exactSum([1, Number.NaN])).toBeNaN();
  });

  it('aggregates consecutive candles and combines an earlier part with the latest', () => {
    const days = [
      candle(0, 0.1, 1, { open: 10, high: 12, low: 9, close: 11, turnover: 1.1 }),
      candle(1, 0.2, 1, { open: 11, high: 15, low: 10, close: 14, turnover: 2.2 }),
    ];
    const before = aggregate(days);
    expect(before).toMatchObject({ open: 10, high: 15, low: 9, close: 14, volume: 0.3, turnover: 3.3 });
    const today = aggregate([candle(2, 0.4, 1, { open: 14, high: 14.5, low: 8, close: 13, turnover: 4.4 })]);
    expect(today && combine(before, today)).toMatchObject({
      open: 10,
      high: 15,
      low: 8,
      close: 13,
      volume: 0.7,
      turnover: 7.7,
    });
    expect(aggregate([])).toBeUndefined();
  });
});
