import * as v from 'valibot';
import { upbitMarketCode, upbitNonNegative } from '../../shared/schemas.js';

/**
 * A `/v1/orderbook/instruments` entry. Upbit writes `tick_size` and `supported_levels` as strings (`"1000"`);
 * they are decoded to numbers.
 */
export const upbitOrderBookInstrumentSchema = v.object({
  market: upbitMarketCode,
  quote_currency: v.string(),
  tick_size: upbitNonNegative,
  supported_levels: v.array(upbitNonNegative),
});

/** A JSON array of `UpbitOrderBookInstrument` (the REST answer). */
export const upbitOrderBookInstrumentListSchema = v.array(upbitOrderBookInstrumentSchema);

/** One order-book instrument (`/v1/orderbook/instruments`) as Upbit sends it (snake_case fields), validated. */
export type UpbitOrderBookInstrument = v.InferOutput<typeof upbitOrderBookInstrumentSchema>;
