import { DataValidationError } from '@marketdata/domain';
import type { CandleIntervalName } from '../facade/market-data-results.js';

// Candle intervals as the facade names them, and their periods, in UTC as Upbit cuts them: seconds and minutes on
// the epoch grid (240-minute candles start at 00, 04, 08 ... UTC), days at 00:00 UTC (09:00 KST), weeks on Mondays
// (Upbit's documented `first_day_of_period` example is a Monday), months and years on their first day.

export type CandlePeriodUnit = 'seconds' | 'minutes' | 'days' | 'weeks' | 'months' | 'years';

export interface IntervalSpec {
  readonly name: CandleIntervalName;
  readonly unit: CandlePeriodUnit;
  /** Minutes per candle for `minutes`; 1 otherwise. */
  readonly size: number;
  /** The WebSocket candle stream of this interval (`candle.1m`), undefined when Upbit streams none (days and up). */
  readonly streamType: string | undefined;
}

const SECOND_MS = 1000;
const MINUTE_MS = 60 * SECOND_MS;
export const DAY_MS = 24 * 60 * MINUTE_MS;

const MINUTE_SIZES = [1, 3, 5, 10, 15, 30, 60, 240] as const;

function spec(name: CandleIntervalName, unit: CandlePeriodUnit, size = 1): IntervalSpec {
  const streamType = unit === 'seconds' ? 'candle.1s' : unit === 'minutes' ? `candle.${size}m` : undefined;
  return { name, unit, size, streamType };
}

export const INTERVALS: Readonly<Record<CandleIntervalName, IntervalSpec>> = {
  '1s': spec('1s', 'seconds'),
  '1m': spec('1m', 'minutes', 1),
  '3m': spec('3m', 'minutes', 3),
  '5m': spec('5m', 'minutes', 5),
  '10m': spec('10m', 'minutes', 10),
  '15m': spec('15m', 'minutes', 15),
  '30m': spec('30m', 'minutes', 30),
  '60m': spec('60m', 'minutes', 60),
  '240m': spec('240m', 'minutes', 240),
  '1d': spec('1d', 'days'),
  '1w': spec('1w', 'weeks'),
  '1M': spec('1M', 'months'),
  '1y': spec('1y', 'years'),
};

/** Other spellings users bring (ccxt's `1h`/`4h`, the plan's `day`), mapped to ours. */
const ALIASES: Readonly<Record<string, CandleIntervalName>> = {
  '1h': '60m',
  '4h': '240m',
  '1D': '1d',
  '1W': '1w',
  '1Y': '1y',
  day: '1d',
  days: '1d',
  week: '1w',
  weeks: '1w',
  month: '1M',
  months: '1M',
  year: '1y',
  years: '1y',
};

function unitSpec(unit: unknown, size: unknown): IntervalSpec | undefined {
  if (unit === 'seconds' && (size === undefined || size === 1)) return INTERVALS['1s'];
  if (unit === 'minutes' && MINUTE_SIZES.includes(size as (typeof MINUTE_SIZES)[number])) {
    return INTERVALS[`${size as number}m` as CandleIntervalName];
  }
  if (size !== undefined && size !== 1) return undefined;
  const byUnit: Readonly<Record<string, CandleIntervalName>> = {
    days: '1d',
    weeks: '1w',
    months: '1M',
    years: '1y',
  };
  const name = typeof unit === 'string' && Object.hasOwn(byUnit, unit) ? byUnit[unit] : undefined;
  return name === undefined ? undefined : INTERVALS[name];
}

/**
 * An interval by name (`'1m'`, `'1d'`, ccxt's `'1h'`) or as the domain's `{ unit, size }`; anything else throws a
 * `DataValidationError` listing the names.
 */
export function parseInterval(input: unknown, operation: string, path = 'interval'): IntervalSpec {
  if (typeof input === 'string') {
    if (Object.hasOwn(INTERVALS, input)) return INTERVALS[input as CandleIntervalName];
    if (Object.hasOwn(ALIASES, input)) return INTERVALS[ALIASES[input] as CandleIntervalName];
  } else if (typeof input === 'object' && input !== null) {
    const { unit, size } = input as { readonly unit?: unknown; readonly size?: unknown };
    const found = unitSpec(unit, size);
    if (found !== undefined) return found;
  }
  const names = Object.keys(INTERVALS).join(', ');
  const shown = typeof input === 'string' ? JSON.stringify(input) : String(input === null ? 'null' : typeof input);
  return invalidInterval(operation, path, input, `Invalid candle interval ${shown}: expected one of ${names}`);
}

function invalidInterval(operation: string, path: string, value: unknown, message: string): never {
  throw new DataValidationError(message, { channel: 'api', operation, path, value });
}

/** Start (UTC epoch ms) of the period that contains `ms`. */
export function periodStart(interval: IntervalSpec, ms: number): number {
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

/** Start of the period after the one that contains `ms`. */
export function nextPeriodStart(interval: IntervalSpec, ms: number): number {
  const start = periodStart(interval, ms);
  switch (interval.unit) {
    case 'seconds':
      return start + SECOND_MS;
    case 'minutes':
      return start + interval.size * MINUTE_MS;
    case 'days':
      return start + DAY_MS;
    case 'weeks':
      return start + 7 * DAY_MS;
    case 'months': {
      const date = new Date(start);
      return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1);
    }
    case 'years':
      return Date.UTC(new Date(start).getUTCFullYear() + 1, 0, 1);
  }
}
