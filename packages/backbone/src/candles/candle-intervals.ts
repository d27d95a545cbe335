import { type CandleInterval, type CandleUnit, DataValidationError } from '@marketdata/domain';
import type { CandleIntervalName } from '../facade/market-data-results.js';

// Candle intervals as the facade names them. Their periods (in UTC as Upbit cuts them) are the domain's
// `periodStart` / `nextPeriodStart`, which take an `IntervalSpec` as the `CandleInterval` it is.

export interface IntervalSpec extends CandleInterval {
  readonly name: CandleIntervalName;
  /** Minutes per candle for `minutes`; 1 otherwise. */
  readonly size: number;
  /** The WebSocket candle stream of this interval (`candle.1m`), undefined when Upbit streams none (days and up). */
  readonly streamType: string | undefined;
}

export const DAY_MS = 24 * 60 * 60 * 1000;

const MINUTE_SIZES = [1, 3, 5, 10, 15, 30, 60, 240] as const;

function spec(name: CandleIntervalName, unit: CandleUnit, size = 1): IntervalSpec {
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
