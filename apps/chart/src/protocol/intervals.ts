/**
 * The chart's intervals, as the picker shows them. Pure (shared by the server and the page): no Node, no DOM.
 * `1M` is a calendar month (UTC), `1w` a week starting on Monday 00:00 UTC, `1d` a day at 00:00 UTC (Upbit's own
 * period boundaries, see packages/upbit-sim/README.md "Candles").
 */
export const CHART_INTERVALS = ['1s', '1m', '5m', '15m', '1h', '4h', '1d', '1w', '1M'] as const;
export type ChartInterval = (typeof CHART_INTERVALS)[number];

export const DEFAULT_INTERVAL: ChartInterval = '1m';

export function isChartInterval(value: unknown): value is ChartInterval {
  return typeof value === 'string' && (CHART_INTERVALS as readonly string[]).includes(value);
}

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Fixed period lengths; months have none. */
const FIXED_MS: Readonly<Record<Exclude<ChartInterval, '1M'>, number>> = {
  '1s': SECOND,
  '1m': MINUTE,
  '5m': 5 * MINUTE,
  '15m': 15 * MINUTE,
  '1h': HOUR,
  '4h': 4 * HOUR,
  '1d': DAY,
  '1w': 7 * DAY,
};

/** 1970-01-01 was a Thursday: weeks (Monday 00:00 UTC) are offset by four days from the epoch. */
const MONDAY_OFFSET_MS = 4 * DAY;

/** Start (UTC epoch ms) of the period of `interval` that contains `timeMs`. */
export function periodStart(interval: ChartInterval, timeMs: number): number {
  if (interval === '1M') {
    const date = new Date(timeMs);
    return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
  }
  if (interval === '1w') {
    return Math.floor((timeMs - MONDAY_OFFSET_MS) / FIXED_MS['1w']) * FIXED_MS['1w'] + MONDAY_OFFSET_MS;
  }
  const length = FIXED_MS[interval];
  return Math.floor(timeMs / length) * length;
}

/** Start of the period after the one starting at `openTime`. */
export function nextPeriodStart(interval: ChartInterval, openTime: number): number {
  if (interval === '1M') {
    const date = new Date(openTime);
    return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1);
  }
  return openTime + FIXED_MS[interval];
}
