import * as v from 'valibot';
import { upbitChange, upbitEpochMs, upbitMarketCode, upbitNonNegative, upbitNumber } from '../../shared/schemas.js';

/**
 * A `/v1/ticker` (and `/v1/ticker/all`) entry: the fields we use. Other documented fields (`trade_date`,
 * `*_kst`, 52-week high/low, unsigned `change_price`/`change_rate`) and any future ones are tolerated and dropped.
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
  timestamp: upbitEpochMs,
});

/** A JSON array of `UpbitTicker` (the REST answer). */
export const upbitTickerListSchema = v.array(upbitTickerSchema);

/** One ticker as Upbit sends it (snake_case fields), validated. */
export type UpbitTicker = v.InferOutput<typeof upbitTickerSchema>;
