import { nextPeriodStart, periodStart } from '@marketdata/domain';
import { describe, expect, it } from 'vitest';
import {
  candleSpec,
  candleSpecOfStreamType,
  previousPeriodStart,
  secondsWindowStart,
} from '../src/model/candle-periods.js';

const utc = (text: string): number => Date.parse(`${text}Z`);
const iso = (ms: number): string => new Date(ms).toISOString().slice(0, 19);

describe('candle periods (UTC, as Upbit cuts them)', () => {
  it('weeks start on Monday 00:00 UTC (the documented first_day_of_period 2025-06-30 is a Monday)', () => {
    const weeks = candleSpec('weeks');
    expect(iso(periodStart(weeks, utc('2025-07-02T13:00:00')))).toBe('2025-06-30T00:00:00');
    expect(iso(periodStart(weeks, utc('2025-06-30T00:00:00')))).toBe('2025-06-30T00:00:00');
    expect(iso(periodStart(weeks, utc('2025-06-29T23:59:59')))).toBe('2025-06-23T00:00:00');
    expect(iso(periodStart(weeks, utc('1970-01-01T00:00:00')))).toBe('1969-12-29T00:00:00');
    expect(iso(nextPeriodStart(weeks, utc('2025-06-30T00:00:00')))).toBe('2025-07-07T00:00:00');
  });

  it('months and years start on the first day, and step by calendar', () => {
    const months = candleSpec('months');
    const years = candleSpec('years');
    expect(iso(periodStart(months, utc('2024-02-29T23:59:59')))).toBe('2024-02-01T00:00:00');
    expect(iso(nextPeriodStart(months, utc('2024-12-01T00:00:00')))).toBe('2025-01-01T00:00:00');
    expect(iso(previousPeriodStart(months, utc('2025-01-01T00:00:00')))).toBe('2024-12-01T00:00:00');
    expect(iso(periodStart(years, utc('2025-12-31T23:59:59')))).toBe('2025-01-01T00:00:00');
    expect(iso(previousPeriodStart(years, utc('2025-01-01T00:00:00')))).toBe('2024-01-01T00:00:00');
  });

  it('minute candles sit on the hour grid; 240-minute candles start at 00/04/08/... UTC (09/13/17 KST)', () => {
    expect(iso(periodStart(candleSpec('minutes', 5), utc('2026-03-11T14:43:59')))).toBe('2026-03-11T14:40:00');
    expect(iso(periodStart(candleSpec('minutes', 240), utc('2026-03-11T14:43:59')))).toBe('2026-03-11T12:00:00');
    expect(iso(periodStart(candleSpec('minutes', 60), utc('2026-03-11T14:43:59')))).toBe('2026-03-11T14:00:00');
    expect(iso(periodStart(candleSpec('days'), utc('2026-03-11T14:43:59')))).toBe('2026-03-11T00:00:00');
    expect(periodStart(candleSpec('seconds'), utc('2026-03-11T14:43:59') + 999)).toBe(utc('2026-03-11T14:43:59'));
  });

  it('the seconds window is three calendar months back', () => {
    expect(iso(secondsWindowStart(utc('2026-05-31T10:00:00')))).toBe('2026-03-03T10:00:00');
    expect(iso(secondsWindowStart(utc('2026-03-11T14:40:59')))).toBe('2025-12-11T14:40:59');
  });

  it('stream types map to the documented candle units only', () => {
    expect(candleSpecOfStreamType('candle.1s')).toEqual({ unit: 'seconds', size: 1 });
    expect(candleSpecOfStreamType('candle.240m')).toEqual({ unit: 'minutes', size: 240 });
    for (const bad of ['candle.2m', 'candle.1d', 'candle.1m ', 'candle.m', 'ticker']) {
      expect(candleSpecOfStreamType(bad), bad).toBeUndefined();
    }
  });

  it('rejects an interval Upbit does not have with a ConfigError', () => {
    expect(() => candleSpec('minutes', 2)).toThrow(expect.objectContaining({ code: 'CONFIG' }));
    expect(() => candleSpec('days', 3)).toThrow(/size 1/);
    expect(() => candleSpec('hours')).toThrow(/unknown candle unit/);
  });
});
