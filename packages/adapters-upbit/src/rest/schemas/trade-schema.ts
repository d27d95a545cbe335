import * as v from 'valibot';
import {
  upbitAskBid,
  upbitColonTime,
  upbitDashedDate,
  upbitEpochMs,
  upbitExactInteger,
  upbitMarketCode,
  upbitNonNegative,
  upbitNumber,
} from '../../shared/schemas.js';

/**
 * A `/v1/trades/ticks` entry. `sequential_id` exceeds 2^53 and must come from `parseJsonExact` (kept as text).
 * `change_price` is **signed** here (negative below the previous close: a 2026 capture carried `-224000.0`, and
 * Upbit documents it as signed), unlike the ticker's unsigned `change_price`: the sign is kept.
 */
export const upbitTradeSchema = v.object({
  market: upbitMarketCode,
  trade_date_utc: upbitDashedDate,
  trade_time_utc: upbitColonTime,
  timestamp: upbitEpochMs,
  trade_price: upbitNonNegative,
  trade_volume: upbitNonNegative,
  prev_closing_price: upbitNonNegative,
  change_price: upbitNumber,
  ask_bid: upbitAskBid,
  sequential_id: upbitExactInteger,
});

/** A JSON array of `UpbitTrade` (the REST answer). */
export const upbitTradeListSchema = v.array(upbitTradeSchema);

/** One trade as Upbit sends it (snake_case fields), validated. */
export type UpbitTrade = v.InferOutput<typeof upbitTradeSchema>;
