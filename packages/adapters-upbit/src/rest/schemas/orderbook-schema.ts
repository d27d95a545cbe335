import * as v from 'valibot';
import { upbitEpochMs, upbitMarketCode, upbitNonNegative } from '../../shared/schemas.js';

/** One price level. Key order varies between captures (bid-first here, ask-first on WebSocket); never relied on. */
export const upbitOrderBookUnitSchema = v.object({
  ask_price: upbitNonNegative,
  bid_price: upbitNonNegative,
  ask_size: upbitNonNegative,
  bid_size: upbitNonNegative,
});

/** A `/v1/orderbook` entry. `level` (price grouping) is absent from older answers and then means 0 (none). */
export const upbitOrderBookSchema = v.object({
  market: upbitMarketCode,
  timestamp: upbitEpochMs,
  total_ask_size: upbitNonNegative,
  total_bid_size: upbitNonNegative,
  orderbook_units: v.array(upbitOrderBookUnitSchema),
  level: v.optional(upbitNonNegative, 0),
});

/** A JSON array of `UpbitOrderBook` (the REST answer). */
export const upbitOrderBookListSchema = v.array(upbitOrderBookSchema);

/** One order book as Upbit sends it (snake_case fields), validated. */
export type UpbitOrderBook = v.InferOutput<typeof upbitOrderBookSchema>;
/** One level of an Upbit order book (`orderbook_units[]`). */
export type UpbitOrderBookUnit = v.InferOutput<typeof upbitOrderBookUnitSchema>;
