import * as v from 'valibot';
import {
  upbitChange,
  upbitDashedDate,
  upbitEpochMs,
  upbitMarketCode,
  upbitNonNegative,
  upbitNumber,
} from '../../shared/schemas.js';

/**
 * A `/v1/ticker` (and `/v1/ticker/all`) entry: the fields we use. The 52-week high/low and their dates are
 * documented as always present; they are optional here (present, they are validated) so an answer without them
 * still has a price. `trade_date`/`trade_time`, the `*_kst` fields, the unsigned `change_price`/`change_rate`
 * and any future field are tolerated and dropped.
 */
export const upbitTickerSchema = v.object({
  market: upbitMarketCode,
  trade_timestamp: upbitEpochMs,
  opening_price: upbitNonNegative,
  high_price: upbitNonNegative,
  low_price: upbitNonNegative,
  trade_price: upbitNonNegative,
  prev_closing_price: upbitNonNegative,
  change: upbitChange,
  signed_change_price: upbitNumber,
  signed_change_rate: upbitNumber,
  trade_volume: upbitNonNegative,
  acc_trade_price: upbitNonNegative,
  acc_trade_price_24h: upbitNonNegative,
  acc_trade_volume: upbitNonNegative,
  acc_trade_volume_24h: upbitNonNegative,
  highest_52_week_price: v.optional(upbitNonNegative),
  highest_52_week_date: v.optional(upbitDashedDate),
  lowest_52_week_price: v.optional(upbitNonNegative),
  lowest_52_week_date: v.optional(upbitDashedDate),
  timestamp: upbitEpochMs,
});

/** A JSON array of `UpbitTicker` (the REST answer). */
export const upbitTickerListSchema = v.array(upbitTickerSchema);

/** One ticker as Upbit sends it (snake_case fields), validated. */
export type UpbitTicker = v.InferOutput<typeof upbitTickerSchema>;
