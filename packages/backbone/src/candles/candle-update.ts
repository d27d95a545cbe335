import type { Candle, MarketCode } from '@marketdata/domain';
import type { CandleIntervalName } from '../facade/market-data-results.js';
import type { Grade } from '../unifier/grade-record.js';

/** A candle of a watched series, and whether its period is over. */
export interface SeriesCandle extends Candle {
  /**
   * False while the period runs (the candle may still change); true once it ended: a later candle arrived or the
   * period's end passed (plus a short grace for Upbit's last frame). A closed candle is only ever updated by a late
   * frame or a gap backfill, which comes as another `candle` event for the same `openTime`.
   */
  readonly closed: boolean;
}

/**
 * What `watchCandles` delivers, per symbol, in order. A consumer rebuilds the chart from these alone: on `history`
 * replace the symbol's series with `candles`; on `candle` put `candle` at its `openTime` (replacing the one there).
 * Periods without a trade have no candle (Upbit's rule): a missing period is not a hole.
 *
 * Every event is graded like any value the facade hands out: `source` is where its candle data came from (`rest`
 * for history and backfills, `websocket` for the live stream, the ticker stream's day fields included), quality is
 * lowered for a suspended, delisted or warned market, for data that fails its checks, and for a history that could
 * not be had (the series then starts from the live candles, and says so).
 */
export type CandleUpdate = CandleHistoryUpdate | CandleChangeUpdate;

export interface CandleHistoryUpdate extends Grade {
  readonly type: 'history';
  readonly symbol: MarketCode;
  readonly interval: CandleIntervalName;
  /** The series so far, oldest first: REST history joined with what the live stream delivered meanwhile. */
  readonly candles: readonly SeriesCandle[];
}

export interface CandleChangeUpdate extends Grade {
  readonly type: 'candle';
  readonly symbol: MarketCode;
  readonly interval: CandleIntervalName;
  /** The candle's whole new state (not a difference). */
  readonly candle: SeriesCandle;
}
