// REST adapter (issue 5): the raw Upbit client and the domain-facing source.

// Shared decoding helpers that are useful outside (benchmarks, callers building `to`).
export { parseJsonExact } from '../shared/exact-json.js';
export { formatUpbitTo } from '../shared/upbit-date.js';
export type { GroupPacer } from './http/group-pacer.js';
export { parseRemainingReq, type RemainingReq } from './http/remaining-req.js';
export type { UpbitResponse } from './http/request-executor.js';
export { UPBIT_REST_GROUPS, type UpbitRestGroup } from './http/rest-group.js';
export { isBatchCodeNotFound } from './http/upstream-guards.js';
export { mapCandle } from './mappers/map-candle.js';
export { mapMarket } from './mappers/map-market.js';
export { mapOrderBook } from './mappers/map-orderbook.js';
export { mapTicker } from './mappers/map-ticker.js';
export { mapTrade } from './mappers/map-trade.js';
export type { RestTiming } from './mappers/rest-provenance.js';
export {
  DEFAULT_REST_BACKOFF,
  DEFAULT_REST_RATE_LIMIT,
  DEFAULT_UPBIT_REST_URL,
  type FetchFunction,
  type RestBackoffOptions,
  type RestRateLimitOptions,
  type UpbitRestClientOptions,
} from './options.js';
export { type UpbitCandle, upbitCandleListSchema, upbitCandleSchema } from './schemas/candle-schema.js';
export { type UpbitMarket, upbitMarketListSchema, upbitMarketSchema } from './schemas/market-schema.js';
export {
  type UpbitOrderBookInstrument,
  upbitOrderBookInstrumentListSchema,
  upbitOrderBookInstrumentSchema,
} from './schemas/orderbook-instruments-schema.js';
export {
  type UpbitOrderBook,
  type UpbitOrderBookUnit,
  upbitOrderBookListSchema,
  upbitOrderBookSchema,
} from './schemas/orderbook-schema.js';
export { type UpbitTicker, upbitTickerListSchema, upbitTickerSchema } from './schemas/ticker-schema.js';
export { type UpbitTrade, upbitTradeListSchema, upbitTradeSchema } from './schemas/trade-schema.js';
export { createUpbitRestSource, UpbitRestSource, type UpbitRestSourceOptions } from './source/upbit-rest-source.js';
export {
  UPBIT_MINUTE_UNITS,
  type UpbitCandleParams,
  type UpbitMinuteUnit,
  type UpbitOrderBookParams,
  UpbitRestClient,
  type UpbitTradeParams,
} from './upbit-rest-client.js';
