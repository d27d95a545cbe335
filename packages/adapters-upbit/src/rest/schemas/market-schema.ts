import * as v from 'valibot';
import { upbitMarketCode } from '../../shared/schemas.js';

/** `market_event` from `/v1/market/all?isDetails=true` (Korea, since Nov 2024). Caution flags may grow. */
export const upbitMarketEventSchema = v.object({
  warning: v.boolean(),
  caution: v.optional(v.record(v.string(), v.boolean()), {}),
});

/**
 * A `/v1/market/all` entry. `korean_name` is absent on Upbit Indonesia; `market_warning` (`NONE`/`CAUTION`) is the
 * older flag, replaced by `market_event`; both details fields are absent without `isDetails=true`.
 */
export const upbitMarketSchema = v.object({
  market: upbitMarketCode,
  korean_name: v.optional(v.string()),
  english_name: v.string(),
  market_warning: v.optional(v.string()),
  market_event: v.optional(upbitMarketEventSchema),
});

/** A JSON array of `UpbitMarket` (the REST answer). */
export const upbitMarketListSchema = v.array(upbitMarketSchema);

/** One market (`/v1/market/all`) as Upbit sends it (snake_case fields), validated. */
export type UpbitMarket = v.InferOutput<typeof upbitMarketSchema>;
