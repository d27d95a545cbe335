import type { Candle } from '@marketdata/domain';
import { exactSum } from './decimal-sum.js';

/**
 * Whether `incoming` is a newer state of the same period's candle than `held`. Arrival order says little when two
 * channels meet (a REST page answered after a WebSocket frame may hold an older state, or the same), so the state
 * itself decides: a candle only accumulates trades, and every trade adds volume, so the state with more volume is
 * newer. At equal volume (the same trades) the one received last wins, which is Upbit's own rule for repeated frames
 * ("the last one wins"). Whether Upbit ever corrects a candle downwards is not on record; such a correction would be
 * kept out by this rule until the period's volume grows past it.
 */
export function isNewerState(held: Candle, incoming: Candle): boolean {
  if (incoming.volume !== held.volume) return incoming.volume > held.volume;
  return incoming.receivedAtMonotonic >= held.receivedAtMonotonic;
}

/** True when two states of a candle carry the same market data (whatever their receipt). */
export function sameCandleData(a: Candle, b: Candle): boolean {
  return (
    a.openTime === b.openTime &&
    a.open === b.open &&
    a.high === b.high &&
    a.low === b.low &&
    a.close === b.close &&
    a.volume === b.volume &&
    a.turnover === b.turnover
  );
}

export interface Aggregate {
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
  readonly turnover: number;
  /** Start of the first candle aggregated. */
  readonly firstOpenTime: number;
  /** Time of the last candle's last trade (or its exchange time). */
  readonly lastTradeTimestamp: number;
}

/** Several consecutive candles as one (open of the first, close of the last, extremes, sums); undefined for none. */
export function aggregate(candles: readonly Candle[]): Aggregate | undefined {
  const sorted = [...candles].sort((a, b) => a.openTime - b.openTime);
  const first = sorted[0];
  const last = sorted.at(-1);
  if (first === undefined || last === undefined) return undefined;
  let high = first.high;
  let low = first.low;
  for (const candle of sorted) {
    high = Math.max(high, candle.high);
    low = Math.min(low, candle.low);
  }
  return {
    open: first.open,
    high,
    low,
    close: last.close,
    volume: exactSum(sorted.map((candle) => candle.volume)),
    turnover: exactSum(sorted.map((candle) => candle.turnover)),
    firstOpenTime: first.openTime,
    lastTradeTimestamp: last.lastTradeTimestamp ?? last.exchangeTimestamp,
  };
}

/** `before` (the period's earlier part) followed by `latest` (its current part) as one. */
export function combine(before: Aggregate | undefined, latest: Aggregate): Aggregate {
  if (before === undefined) return latest;
  return {
    open: before.open,
    high: Math.max(before.high, latest.high),
    low: Math.min(before.low, latest.low),
    close: latest.close,
    volume: exactSum([before.volume, latest.volume]),
    turnover: exactSum([before.turnover, latest.turnover]),
    firstOpenTime: before.firstOpenTime,
    lastTradeTimestamp: latest.lastTradeTimestamp,
  };
}
