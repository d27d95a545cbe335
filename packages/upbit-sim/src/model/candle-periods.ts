import { configError } from '../config-error.js';
import { DAY_MS, MINUTE_MS } from '../format/time-text.js';

/**
 * Candle units and their periods, all in UTC as Upbit cuts them: minute candles on the epoch grid (so 240-minute
 * candles start at 00, 04, 08 ... UTC = 09, 13, 17 ... KST), days at 00:00 UTC (09:00 KST), weeks on Mondays
 * (Upbit's documented `first_day_of_period` example, 2025-06-30, is a Monday), months and years on the first day.
 * A period's start and the next one's are the domain's `periodStart` / `nextPeriodStart`; this file keeps the
 * simulator's own checks (`candleSpec`), the step back and the seconds window.
 */
export type CandleUnit = 'seconds' | 'minutes' | 'days' | 'weeks' | 'months' | 'years';

/** A candle interval: `size` is the number of minutes for `minutes` and 1 for every other unit. */
export interface CandleSpec {
  readonly unit: CandleUnit;
  readonly size: number;
}

export const CANDLE_UNITS: readonly CandleUnit[] = ['seconds', 'minutes', 'days', 'weeks', 'months', 'years'];
/** The documented minute units (REST `/v1/candles/minutes/{unit}`, WebSocket `candle.{unit}m`). */
export const MINUTE_SIZES: readonly number[] = [1, 3, 5, 10, 15, 30, 60, 240];

const SECOND_MS = 1000;
const WEEK_MS = 7 * DAY_MS;

/** Checks a spec (`size` must be a documented minute unit for minutes, 1 otherwise) and returns it normalised. */
export function candleSpec(unit: string, size = 1): CandleSpec {
  const known = CANDLE_UNITS.find((u) => u === unit);
  if (known === undefined) throw configError('interval.unit', `unknown candle unit ${JSON.stringify(unit)}`, unit);
  if (known === 'minutes') {
    if (!MINUTE_SIZES.includes(size)) {
      throw configError('interval.size', `minute candles come in ${MINUTE_SIZES.join(', ')} minutes, got ${size}`);
    }
    return { unit: known, size };
  }
  if (size !== 1) throw configError('interval.size', `${known} candles have size 1, got ${size}`, size);
  return { unit: known, size: 1 };
}

/** Start of the period before the one starting at `start`. */
export function previousPeriodStart(spec: CandleSpec, start: number): number {
  switch (spec.unit) {
    case 'seconds':
      return start - SECOND_MS;
    case 'minutes':
      return start - spec.size * MINUTE_MS;
    case 'days':
      return start - DAY_MS;
    case 'weeks':
      return start - WEEK_MS;
    case 'months': {
      const d = new Date(start);
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 1, 1);
    }
    case 'years':
      return Date.UTC(new Date(start).getUTCFullYear() - 1, 0, 1);
  }
}

/** `now` minus three calendar months (UTC): the oldest instant the seconds endpoint serves (documented window). */
export function secondsWindowStart(now: number): number {
  const d = new Date(now);
  return Date.UTC(
    d.getUTCFullYear(),
    d.getUTCMonth() - 3,
    d.getUTCDate(),
    d.getUTCHours(),
    d.getUTCMinutes(),
    d.getUTCSeconds(),
    d.getUTCMilliseconds(),
  );
}

/** The WebSocket candle types (documented): `candle.1s` and `candle.{1,3,5,10,15,30,60,240}m`. */
export function candleSpecOfStreamType(type: string): CandleSpec | undefined {
  if (type === 'candle.1s') return { unit: 'seconds', size: 1 };
  const match = /^candle\.(\d+)m$/.exec(type);
  if (match === null) return undefined;
  const size = Number(match[1]);
  return MINUTE_SIZES.includes(size) ? { unit: 'minutes', size } : undefined;
}

export function streamTypeOf(spec: CandleSpec): string {
  return spec.unit === 'seconds' ? 'candle.1s' : `candle.${spec.size}m`;
}
