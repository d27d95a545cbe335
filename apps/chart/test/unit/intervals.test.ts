import { describe, expect, it } from 'vitest';
import { CHART_INTERVALS, nextPeriodStart, periodStart } from '../../src/protocol/intervals.js';

const at = (iso: string): number => Date.parse(iso);

describe('periodStart', () => {
  it.each([
    ['1s', '2026-03-11T14:40:59.999Z', '2026-03-11T14:40:59.000Z'],
    ['1m', '2026-03-11T14:40:59.999Z', '2026-03-11T14:40:00.000Z'],
    ['5m', '2026-03-11T14:44:59.999Z', '2026-03-11T14:40:00.000Z'],
    ['15m', '2026-03-11T14:44:59.999Z', '2026-03-11T14:30:00.000Z'],
    ['1h', '2026-03-11T14:59:59.999Z', '2026-03-11T14:00:00.000Z'],
    ['4h', '2026-03-11T15:59:59.999Z', '2026-03-11T12:00:00.000Z'],
    // Days start at 00:00 UTC (09:00 KST), as Upbit's day candles.
    ['1d', '2026-03-11T23:59:59.999Z', '2026-03-11T00:00:00.000Z'],
    // 2026-03-11 is a Wednesday: its week started on Monday 2026-03-09.
    ['1w', '2026-03-11T14:40:00.000Z', '2026-03-09T00:00:00.000Z'],
    ['1w', '2026-03-09T00:00:00.000Z', '2026-03-09T00:00:00.000Z'],
    ['1w', '2026-03-08T23:59:59.999Z', '2026-03-02T00:00:00.000Z'],
    ['1M', '2026-03-31T23:59:59.999Z', '2026-03-01T00:00:00.000Z'],
    ['1M', '2024-02-29T12:00:00.000Z', '2024-02-01T00:00:00.000Z'],
  ] as const)('%s of %s is %s', (interval, time, start) => {
    expect(new Date(periodStart(interval, at(time))).toISOString()).toBe(start);
  });

  it('the next period starts where the current one ends, for every interval', () => {
    const time = at('2026-01-31T23:59:59.500Z');
    for (const interval of CHART_INTERVALS) {
      const start = periodStart(interval, time);
      const next = nextPeriodStart(interval, start);
      expect(next).toBeGreaterThan(time);
      expect(periodStart(interval, next)).toBe(next);
      expect(periodStart(interval, next - 1)).toBe(start);
    }
  });

  it('months have their own lengths', () => {
    expect(new Date(nextPeriodStart('1M', at('2026-01-01T00:00:00Z'))).toISOString()).toBe('2026-02-01T00:00:00.000Z');
    expect(new Date(nextPeriodStart('1M', at('2026-12-01T00:00:00Z'))).toISOString()).toBe('2027-01-01T00:00:00.000Z');
  });
});
