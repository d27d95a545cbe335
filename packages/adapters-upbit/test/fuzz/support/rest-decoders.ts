import type * as v from 'valibot';
import {
  mapCandle,
  mapMarket,
  mapOrderBook,
  mapTicker,
  mapTrade,
  parseJsonExact,
  parseWithSchema,
  upbitCandleListSchema,
  upbitMarketListSchema,
  upbitOrderBookListSchema,
  upbitTickerListSchema,
  upbitTradeListSchema,
} from '../../../src/rest/wire.js';
import type { RestKindId } from './payload-kinds.js';

/**
 * The REST decode path under attack, composed from the adapter's own functions exactly as the adapter composes
 * them: body bytes → text decoding as `Response.text()` does (UTF-8, BOM stripped, bad bytes replaced) →
 * `parseJsonExact` → the endpoint's valibot list schema (`parseWithSchema`, as `UpbitRestClient` does) → the domain
 * mapper (as `UpbitRestSource` does).
 */
export const REST_TIMING = { receivedAt: 1_773_240_060_000, receivedAtMonotonic: 1_000, latencyMs: 0 };
const bodyDecoder = new TextDecoder('utf-8');

function restDecode<TSchema extends v.GenericSchema>(
  schema: TSchema,
  bytes: Uint8Array,
  operation: string,
): v.InferOutput<TSchema> {
  const json = parseJsonExact(bodyDecoder.decode(bytes), { channel: 'rest', operation });
  return parseWithSchema(schema, json, { channel: 'rest', operation, what: `fuzz ${operation}` });
}

/** Decodes a REST body to domain values; throws whatever the adapter throws. */
export function decodeRestBody(kind: RestKindId, bytes: Uint8Array): readonly object[] {
  switch (kind) {
    case 'ticker':
      return restDecode(upbitTickerListSchema, bytes, 'getTickers').map((raw) => mapTicker(raw, REST_TIMING));
    case 'orderbook':
      return restDecode(upbitOrderBookListSchema, bytes, 'getOrderBooks').map((raw) => mapOrderBook(raw, REST_TIMING));
    case 'trade':
      return restDecode(upbitTradeListSchema, bytes, 'getTrades').map((raw) => mapTrade(raw, REST_TIMING));
    case 'candle':
      return restDecode(upbitCandleListSchema, bytes, 'getMinuteCandles').map((raw) =>
        mapCandle(raw, { unit: 'minutes', size: 1 }, REST_TIMING),
      );
    case 'market':
      return restDecode(upbitMarketListSchema, bytes, 'getMarkets').map(mapMarket);
  }
}
