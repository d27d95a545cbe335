import type { CandleInterval } from './types/candle.js';

// Candle periods in UTC as Upbit cuts them: seconds and minutes on the epoch grid (240-minute candles start at 00,
// 04, 08 ... UTC = 09, 13, 17 ... KST), days at 00:00 UTC (09:00 KST), weeks on Mondays (Upbit's documented
// `first_day_of_period` example, 2025-06-30, is a Monday), months and years on their first day. The interval is
// taken as given: checking it (`isValidCandleInterval`) and reporting a bad one is the caller's business.

const SECOND_MS = 1000;
const MINUTE_MS = 60 * SECOND_MS;
const DAY_MS = 24 * 60 * MINUTE_MS;
const WEEK_MS = 7 * DAY_MS;

/**
 * Start (UTC epoch ms) of the candle period of `interval` that contains the instant `ms`.
 *
 * @example periodStart({ unit: 'weeks', size: 1 }, Date.UTC(2025, 6, 2, 13)) === Date.UTC(2025, 5, 30) // a Monday
 */
export function periodStart(interval: CandleInterval, ms: number): number {
  switch (interval.unit) {
    case 'seconds':
      return Math.floor(ms / SECOND_MS) * SECOND_MS;
    case 'minutes': {
      const length = interval.size * MINUTE_MS;
      return Math.floor(ms / length) * length;
    }
    case 'days':
      return Math.floor(ms / DAY_MS) * DAY_MS;
    case 'weeks': {
      const day = Math.floor(ms / DAY_MS);
      // 1970-01-01 was a Thursday: the Monday-based weekday is (day + 3) mod 7.
      const weekday = (((day + 3) % 7) + 7) % 7;
      return (day - weekday) * DAY_MS;
    }
    case 'months': {
      const date = new Date(ms);
      return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
    }
    case 'years':
      return Date.UTC(new Date(ms).getUTCFullYear(), 0, 1);
  }
}

/**
 * Start (UTC epoch ms) of the candle period of `interval` after the one that contains the instant `ms`. Any instant
 * will do, a period's own start included: `nextPeriodStart(i, periodStart(i, ms)) === nextPeriodStart(i, ms)`.
 */
export function nextPeriodStart(interval: CandleInterval, ms: number): number {
  const start = periodStart(interval, ms);
  switch (interval.unit) {
    case 'seconds':
      return start + SECOND_MS;
    case 'minutes':
      return start + interval.size * MINUTE_MS;
    case 'days':
      return start + DAY_MS;
    case 'weeks':
      return start + WEEK_MS;
    case 'months': {
      const date = new Date(start);
      return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1);
    }
    case 'years':
      return Date.UTC(new Date(start).getUTCFullYear() + 1, 0, 1);
  }
}
