// REST adapter, main entry: what an application needs. Wire-level helpers (schemas, mappers, header parsers) are
// in `./wire.ts`; everything else is internal.

export type { GroupPacer } from './http/group-pacer.js';
export type { RemainingReq } from './http/remaining-req.js';
export type { UpbitResponse } from './http/request-executor.js';
export type { RestBudgets } from './http/rest-budgets.js';
export type { UpbitRestGroup } from './http/rest-group.js';
export {
  DEFAULT_UPBIT_REST_URL,
  type FetchFunction,
  type RestBackoffOptions,
  type RestRateLimitOptions,
  type UpbitRestClientOptions,
} from './options.js';
export type { UpbitCandle } from './schemas/candle-schema.js';
export type { UpbitMarket } from './schemas/market-schema.js';
export type { UpbitOrderBookInstrument } from './schemas/orderbook-instruments-schema.js';
export type { UpbitOrderBook, UpbitOrderBookUnit } from './schemas/orderbook-schema.js';
export type { UpbitTicker } from './schemas/ticker-schema.js';
export type { UpbitTrade } from './schemas/trade-schema.js';
export type { UpbitMarketDirectory } from './source/market-directory.js';
export type { UpbitRestSourceOptions } from './source/source-options.js';
export { createUpbitRestSource, type UpbitRestSource } from './source/upbit-rest-source.js';
export {
  type UpbitCandleParams,
  type UpbitMinuteUnit,
  type UpbitOrderBookParams,
  UpbitRestClient,
  type UpbitTradeParams,
} from './upbit-rest-client.js';
