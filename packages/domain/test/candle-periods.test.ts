import { describe, expect, it } from 'vitest';
import { type CandleInterval, type CandleUnit, nextPeriodStart, periodStart } from '../src/index.js';

const at = (text: string): number => Date.parse(`${text}Z`);
const one = (unit: CandleUnit, size = 1): CandleInterval => ({ unit, size });

describe('candle periods (UTC, as Upbit cuts them)', () => {
  const instant = at('2026-03-11T14:43:59.250');

  it('finds the start of the period an instant falls in', () => {
    expect(periodStart(one('seconds'), instant)).toBe(at('2026-03-11T14:43:59'));
    expect(periodStart(one('minutes', 15), instant)).toBe(at('2026-03-11T14:30:00'));
    expect(periodStart(one('minutes', 240), instant)).toBe(at('2026-03-11T12:00:00'));
    expect(periodStart(one('days'), instant)).toBe(at('2026-03-11T00:00:00'));
    expect(periodStart(one('weeks'), instant)).toBe(at('2026-03-09T00:00:00'));
    expect(periodStart(one('months'), instant)).toBe(at('2026-03-01T00:00:00'));
    expect(periodStart(one('years'), instant)).toBe(at('2026-01-01T00:00:00'));
  });

  it('starts weeks on Monday, before the epoch too', () => {
    expect(periodStart(one('weeks'), at('2025-06-30T00:00:00'))).toBe(at('2025-06-30T00:00:00'));
    expect(periodStart(one('weeks'), at('2025-06-29T23:59:59.999'))).toBe(at('2025-06-23T00:00:00'));
    expect(periodStart(one('weeks'), 0)).toBe(at('1969-12-29T00:00:00'));
  });

  it('steps to the next period from any instant in one, across month and year ends', () => {
    expect(nextPeriodStart(one('seconds'), instant)).toBe(at('2026-03-11T14:44:00'));
    expect(nextPeriodStart(one('minutes', 60), instant)).toBe(at('2026-03-11T15:00:00'));
    expect(nextPeriodStart(one('days'), instant)).toBe(at('2026-03-12T00:00:00'));
    expect(nextPeriodStart(one('weeks'), instant)).toBe(at('2026-03-16T00:00:00'));
    expect(nextPeriodStart(one('months'), at('2024-02-29T23:59:59'))).toBe(at('2024-03-01T00:00:00'));
    expect(nextPeriodStart(one('months'), at('2026-12-31T00:00:00'))).toBe(at('2027-01-01T00:00:00'));
    expect(nextPeriodStart(one('years'), instant)).toBe(at('2027-01-01T00:00:00'));
  });

  it('gives the same next start from a period start as from any instant inside it', () => {
    for (const interval of [
      one('seconds'),
      one('minutes', 3),
      one('days'),
      one('weeks'),
      one('months'),
      one('years'),
    ]) {
      const start = periodStart(interval, instant);
      const next = nextPeriodStart(interval, start);
      expect(nextPeriodStart(interval, instant)).toBe(next);
      expect(periodStart(interval, next)).toBe(next);
      expect(periodStart(interval, next - 1)).toBe(start);
    }
  });
});
