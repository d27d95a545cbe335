import type { CandleStreamKind } from './ports/stream-status.js';
import type { CandleInterval, CandleUnit } from './types/candle.js';

/** Valid `CandleInterval.size` values per unit (Upbit's endpoints). */
export const CANDLE_SIZES: Readonly<Record<CandleUnit, readonly number[]>> = {
  seconds: [1],
  minutes: [1, 3, 5, 10, 15, 30, 60, 240],
  days: [1],
  weeks: [1],
  months: [1],
  years: [1],
};

/** Every WebSocket candle stream kind, shortest interval first. */
export const CANDLE_STREAM_KINDS: readonly CandleStreamKind[] = [
  'candle.1s',
  'candle.1m',
  'candle.3m',
  'candle.5m',
  'candle.10m',
  'candle.15m',
  'candle.30m',
  'candle.60m',
  'candle.240m',
];

const INTERVAL_OF: Readonly<Record<CandleStreamKind, CandleInterval>> = {
  'candle.1s': { unit: 'seconds', size: 1 },
  'candle.1m': { unit: 'minutes', size: 1 },
  'candle.3m': { unit: 'minutes', size: 3 },
  'candle.5m': { unit: 'minutes', size: 5 },
  'candle.10m': { unit: 'minutes', size: 10 },
  'candle.15m': { unit: 'minutes', size: 15 },
  'candle.30m': { unit: 'minutes', size: 30 },
  'candle.60m': { unit: 'minutes', size: 60 },
  'candle.240m': { unit: 'minutes', size: 240 },
};

/** True for a unit Upbit has and a size that unit comes in. */
export function isValidCandleInterval(interval: CandleInterval): boolean {
  const sizes = Object.hasOwn(CANDLE_SIZES, interval.unit) ? CANDLE_SIZES[interval.unit] : undefined;
  return sizes?.includes(interval.size) === true;
}

/** True for one of Upbit's WebSocket candle types (`candle.1s`, `candle.1m` … `candle.240m`). */
export function isCandleStreamKind(kind: unknown): kind is CandleStreamKind {
  return typeof kind === 'string' && Object.hasOwn(INTERVAL_OF, kind);
}

/** The interval a candle stream carries (`candle.5m` → minutes, 5). */
export function candleStreamInterval(kind: CandleStreamKind): CandleInterval {
  return INTERVAL_OF[kind];
}

/**
 * The WebSocket stream kind of an interval, or undefined when Upbit streams no such candle (days and longer, or an
 * invalid size).
 */
export function candleStreamKind(interval: CandleInterval): CandleStreamKind | undefined {
  if (interval.unit === 'seconds') return interval.size === 1 ? 'candle.1s' : undefined;
  if (interval.unit !== 'minutes') return undefined;
  const kind = `candle.${interval.size}m`;
  return isCandleStreamKind(kind) ? kind : undefined;
}
