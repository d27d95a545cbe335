import type { MarketCode } from '../market-code.js';
import type { EpochMs, Provenance } from './common.js';

/** The unit of a candle interval. */
export type CandleUnit = 'minutes' | 'days' | 'weeks' | 'months';

/** A candle interval: a unit and how many of it (e.g. `{ unit: "minutes", size: 1 }`). */
export interface CandleInterval {
  readonly unit: CandleUnit;
  /** Minutes per candle for `minutes` (1, 3, 5, 10, 15, 30, 60, 240); 1 otherwise. */
  readonly size: number;
}

export interface Candle extends Provenance {
  readonly symbol: MarketCode;
  readonly interval: CandleInterval;
  /** Candle start, UTC epoch ms (`candle_date_time_utc`). */
  readonly openTime: EpochMs;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
  readonly turnover: number;
}
