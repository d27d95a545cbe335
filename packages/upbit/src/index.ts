/**
 * The `MarketData` facade wired to Upbit in one call: `createUpbitMarketData`.
 *
 * @module @marketdata/upbit
 */
export type {
  BackboneConfigInput,
  CandleList,
  CandleUpdate,
  Grade,
  GradedOrderBook,
  MarketData,
  MarketList,
  TradeList,
} from '@marketdata/backbone';
export {
  createUpbitMarketData,
  type UpbitMarketDataOptions,
  type UpbitRestSettings,
  type UpbitWebSocketSettings,
} from './create-upbit-market-data.js';
