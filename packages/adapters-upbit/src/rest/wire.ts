// REST wire level, for applications that handle Upbit's payloads themselves (benchmarks, recorders, replay tools):
// the exact JSON parser, the payload schemas and the Upbit → domain mappers the adapter itself uses, and the header
// parsers. Exposed as the `@marketdata/adapters-upbit/wire` subpath; the main entry stays small.

export { parseJsonExact } from '../shared/exact-json.js';
export { formatUpbitTo } from '../shared/upbit-date.js';
export { parseWithSchema } from '../shared/validation.js';
export { parseRemainingReq, type RemainingReq } from './http/remaining-req.js';
export { UPBIT_REST_GROUPS, type UpbitRestGroup } from './http/rest-group.js';
export { parseRetryAfterMs } from './http/retry-after.js';
export { isBatchCodeNotFound } from './http/upstream-guards.js';
export { mapCandle } from './mappers/map-candle.js';
export { mapMarket } from './mappers/map-market.js';
export { mapOrderBook } from './mappers/map-orderbook.js';
export { mapTicker } from './mappers/map-ticker.js';
export { mapTrade } from './mappers/map-trade.js';
export type { RestTiming } from './mappers/rest-provenance.js';
export { DEFAULT_REST_BACKOFF, DEFAULT_REST_RATE_LIMIT } from './options.js';
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
export { UPBIT_CANDLES_PER_REQUEST } from './source/candle-pages.js';
export { UPBIT_MAX_TRADES_PER_REQUEST, UPBIT_MINUTE_UNITS } from './upbit-rest-client.js';
