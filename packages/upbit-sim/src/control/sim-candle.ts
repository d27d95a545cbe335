import { candleAmount, candlePrice, dayChange } from '../format/candle-payloads.js';
import { candleTimeKst, candleTimeUtc, dashedDateUtc } from '../format/time-text.js';
import type { CandleRow } from '../model/candle-history.js';
import type { CandleSpec, CandleUnit } from '../model/candle-periods.js';

/**
 * A candle interval for `SimControl.candles`: `size` is minutes for `minutes` (1, 3, 5, 10, 15, 30, 60, 240) and
 * 1 (or omitted) otherwise. The domain's `CandleInterval` (`{ unit, size }`) fits as is.
 */
export interface SimCandleInterval {
  readonly unit: CandleUnit;
  readonly size?: number | undefined;
}

/**
 * One of the simulator's own candles. The numbers are those REST and WebSocket write (rounded to the same scale
 * and read back), so they compare equal, field by field, with a parsed Upbit candle of the same period.
 */
export interface SimCandle {
  readonly code: string;
  readonly unit: CandleUnit;
  readonly size: number;
  /** Candle start, UTC epoch ms (`candle_date_time_utc`). */
  readonly openTime: number;
  readonly candleDateTimeUtc: string;
  readonly candleDateTimeKst: string;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  /** `candle_acc_trade_volume` */
  readonly volume: number;
  /** `candle_acc_trade_price` */
  readonly turnover: number;
  /** `timestamp`: the candle's last trade, epoch ms. */
  readonly lastTradeTimestamp: number;
  /** Day candles: `prev_closing_price`, `change_price` (signed), `change_rate` (signed). */
  readonly prevClose?: number;
  readonly changePrice?: number;
  readonly changeRate?: number;
  /** Week, month and year candles: `first_day_of_period` (`yyyy-MM-dd`). */
  readonly firstDayOfPeriod?: string;
}

export function simCandleOf(code: string, spec: CandleSpec, row: CandleRow): SimCandle {
  const base = {
    code,
    unit: spec.unit,
    size: spec.size,
    openTime: row.start,
    candleDateTimeUtc: candleTimeUtc(row.start),
    candleDateTimeKst: candleTimeKst(row.start),
    open: Number(candlePrice(row.open)),
    high: Number(candlePrice(row.high)),
    low: Number(candlePrice(row.low)),
    close: Number(candlePrice(row.close)),
    volume: Number(candleAmount(row.volume)),
    turnover: Number(candleAmount(row.turnover)),
    lastTradeTimestamp: row.lastTradeTimestamp,
  };
  if (spec.unit === 'days') {
    const change = dayChange(row);
    return {
      ...base,
      prevClose: Number(candlePrice(row.prevClose)),
      changePrice: Number(change.price),
      changeRate: Number(change.rate),
    };
  }
  if (spec.unit === 'weeks' || spec.unit === 'months' || spec.unit === 'years') {
    return { ...base, firstDayOfPeriod: dashedDateUtc(row.start) };
  }
  return base;
}
