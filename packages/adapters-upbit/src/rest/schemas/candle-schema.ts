import * as v from 'valibot';
import {
  upbitDashedDate,
  upbitEpochMs,
  upbitInteger,
  upbitMarketCode,
  upbitNonNegative,
  upbitNumber,
  upbitZonelessUtc,
} from '../../shared/schemas.js';

/**
 * A `/v1/candles/{seconds,minutes/N,days,weeks,months,years}` entry. Every unit shares the common fields;
 * `candle_date_time_utc` (no zone, UTC) becomes epoch ms and `timestamp` is the time of the candle's last trade.
 * Per unit (documented; fixtures for minutes and days): `unit` on minutes; `prev_closing_price`, `change_price`
 * (signed), `change_rate` (signed) on days; `first_day_of_period` (`yyyy-MM-dd`) on weeks, months and years. Those
 * are optional here (absent on the other units; present, they are validated); `candle_date_time_kst`, `converted_trade_price` and any future
 * field are tolerated and dropped.
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
  prev_closing_price: v.optional(upbitNonNegative),
  change_price: v.optional(upbitNumber),
  change_rate: v.optional(upbitNumber),
  first_day_of_period: v.optional(upbitDashedDate),
});

/** A JSON array of `UpbitCandle` (the REST answer). */
export const upbitCandleListSchema = v.array(upbitCandleSchema);

/** One candle as Upbit sends it (snake_case fields), validated. */
export type UpbitCandle = v.InferOutput<typeof upbitCandleSchema>;
