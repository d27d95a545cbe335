import * as v from 'valibot';
import {
  upbitEpochMs,
  upbitInteger,
  upbitMarketCode,
  upbitNonNegative,
  upbitZonelessUtc,
} from '../../shared/schemas.js';

/**
 * A `/v1/candles/{minutes/N,days,weeks,months}` entry: the fields every candle kind shares. `candle_date_time_utc`
 * (no zone, UTC) becomes epoch ms; `timestamp` is the time of the candle's last trade. Day-only fields
 * (`prev_closing_price`, `change_price`, `change_rate`) and week/month ones are tolerated and dropped.
 */
export const upbitCandleSchema = v.object({
  market: upbitMarketCode,
  candle_date_time_utc: upbitZonelessUtc,
  opening_price: upbitNonNegative,
  high_price: upbitNonNegative,
  low_price: upbitNonNegative,
  trade_price: upbitNonNegative,
  timestamp: upbitEpochMs,
  candle_acc_trade_price: upbitNonNegative,
  candle_acc_trade_volume: upbitNonNegative,
  // Minute candles only.
  unit: v.optional(upbitInteger),
});

/** A JSON array of `UpbitCandle` (the REST answer). */
export const upbitCandleListSchema = v.array(upbitCandleSchema);

/** One candle as Upbit sends it (snake_case fields), validated. */
export type UpbitCandle = v.InferOutput<typeof upbitCandleSchema>;
