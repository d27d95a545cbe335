import { describe, expect, it } from 'vitest';
import { CandleSeries } from '../../src/protocol/candle-series.js';
import type { WireCandle } from '../../src/protocol/messages.js';

const candle = (time: number, close = 100, volume = 1): WireCandle => ({
  time,
  open: 100,
  high: Math.max(100, close),
  low: Math.min(100, close),
  close,
  volume,
});

describe('CandleSeries', () => {
  it('history is sorted by time with one candle per time, the last one given winning', () => {
    const series = new CandleSeries();
    expect(series.reset([candle(3_000), candle(1_000), candle(2_000, 90), candle(2_000, 95)])).toEqual({
      kind: 'reset',
    });
    expect(series.all().map((c) => [c.time, c.close])).toEqual([
      [1_000, 100],
      [2_000, 95],
      [3_000, 100],
    ]);
  });

  it('a live update of the newest time replaces it; a later time is appended', () => {
    const series = new CandleSeries();
    series.reset([candle(1_000), candle(2_000)]);
    expect(series.upsert(candle(2_000, 120))).toEqual({
      kind: 'update',
      candle: candle(2_000, 120),
      historical: false,
    });
    expect(series.upsert(candle(3_000, 130))).toEqual({
      kind: 'update',
      candle: candle(3_000, 130),
      historical: false,
    });
    expect(series.all().map((c) => c.close)).toEqual([100, 120, 130]);
  });

  it('an update of an older time (a REST reconcile) replaces that candle as a historical update', () => {
    const series = new CandleSeries();
    series.reset([candle(1_000), candle(2_000), candle(3_000)]);
    expect(series.upsert(candle(2_000, 80))).toEqual({ kind: 'update', candle: candle(2_000, 80), historical: true });
    expect(series.all().map((c) => c.close)).toEqual([100, 80, 100]);
    expect(series.length).toBe(3);
  });

  it('a time the series lacks (a period filled in later) is inserted in order and asks for a redraw', () => {
    const series = new CandleSeries();
    series.reset([candle(1_000), candle(3_000)]);
    expect(series.upsert(candle(2_000))).toEqual({ kind: 'reset' });
    expect(series.all().map((c) => c.time)).toEqual([1_000, 2_000, 3_000]);
  });

  it('older pages add only candles before the first one held', () => {
    const series = new CandleSeries();
    series.reset([candle(5_000, 150), candle(6_000)]);
    expect(series.prepend([candle(3_000), candle(4_000), candle(5_000, 1), candle(7_000)])).toBe(2);
    expect(series.all().map((c) => [c.time, c.close])).toEqual([
      [3_000, 100],
      [4_000, 100],
      [5_000, 150],
      [6_000, 100],
    ]);
    expect(series.prepend([])).toBe(0);
  });

  it('ignores candles with numbers that are not finite', () => {
    const series = new CandleSeries();
    series.reset([candle(1_000), { ...candle(2_000), close: Number.NaN }]);
    expect(series.length).toBe(1);
    expect(series.upsert({ ...candle(3_000), volume: Number.POSITIVE_INFINITY })).toEqual({ kind: 'none' });
    expect(series.length).toBe(1);
  });

  it('keeps a long series in order under random last-wins updates', () => {
    const series = new CandleSeries();
    series.reset(Array.from({ length: 500 }, (_, i) => candle(i * 60_000)));
    let seed = 7;
    const next = (): number => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed;
    };
    const expected = new Map(series.all().map((c) => [c.time, c.close]));
    for (let i = 0; i < 2_000; i++) {
      const time = (next() % 520) * 60_000;
      const close = next() % 1_000;
      series.upsert(candle(time, close));
      expected.set(time, close);
    }
    const times = series.all().map((c) => c.time);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(new Map(series.all().map((c) => [c.time, c.close]))).toEqual(expected);
  });
});
