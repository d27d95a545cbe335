import type { MarketCode } from '../market-code.js';
import type { EpochMs, Provenance } from './common.js';

/**
 * Candle units, as Upbit's endpoints name them (`/v1/candles/{unit}`). Valid sizes per unit (`CandleInterval.size`):
 * - `seconds`: 1 (REST `/v1/candles/seconds` serves only the last 3 months; WebSocket `candle.1s`)
 * - `minutes`: 1, 3, 5, 10, 15, 30, 60, 240 (REST `/v1/candles/minutes/{size}`; WebSocket `candle.{size}m`)
 * - `days`, `weeks`, `months`, `years`: 1 (REST only; days start 00:00 UTC, weeks on Monday, months and years on
 *   the first day; year candles documented since 2024-10-30)
 */
export type CandleUnit = 'seconds' | 'minutes' | 'days' | 'weeks' | 'months' | 'years';

/** A candle interval: a unit and how many of it (e.g. `{ unit: "minutes", size: 1 }`). */
export interface CandleInterval {
  readonly unit: CandleUnit;
  /** Minutes per candle for `minutes` (1, 3, 5, 10, 15, 30, 60, 240); 1 for every other unit. */
  readonly size: number;
}

/**
 * One candle (OHLCV of one period). Upbit makes a candle only for a period in which a trade happened: a period
 * without trades has no candle at all (lists skip it). The optional fields exist only for the units that carry them.
 */
export interface Candle extends Provenance {
  readonly symbol: MarketCode;
  readonly interval: CandleInterval;
  /** Period start, UTC epoch ms (`candle_date_time_utc`). */
  readonly openTime: EpochMs;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  /** Last trade price of the period so far (`trade_price`). */
  readonly close: number;
  /** Base-currency volume (`candle_acc_trade_volume`). */
  readonly volume: number;
  /** Quote-currency turnover (`candle_acc_trade_price`). */
  readonly turnover: number;
  /**
   * Time of the period's last trade (REST `timestamp`, documented as "the time the candle's last tick was stored";
   * equals `exchangeTimestamp` there). Undefined on WebSocket candles: Upbit documents their `timestamp` only as
   * "timestamp", so `exchangeTimestamp` carries it without claiming it is the last trade's.
   */
  readonly lastTradeTimestamp?: EpochMs | undefined;
  /** `days` only: the previous day's close (`prev_closing_price`). */
  readonly prevClose?: number | undefined;
  /** `days` only: signed change against `prevClose` (`change_price`; negative below it). */
  readonly changePrice?: number | undefined;
  /** `days` only: signed change rate against `prevClose` (`change_rate`; 0.01 = +1%). */
  readonly changeRate?: number | undefined;
  /** `weeks`, `months`, `years` only: the period's first day, `yyyy-MM-dd` as Upbit writes it (`first_day_of_period`). */
  readonly firstDayOfPeriod?: string | undefined;
}
