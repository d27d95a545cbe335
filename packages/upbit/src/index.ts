export {
  type BackboneConfigInput,
  type CandleList,
  type CandleUpdate,
  type Grade,
  type GradedOrderBook,
  type MarketData,
  type MarketList,
  type TradeList,
  UnknownOptionError,
} from '@marketdata/backbone';
export {
  createUpbitMarketData,
  type UpbitMarketDataOptions,
  type UpbitRestSettings,
  type UpbitWebSocketSettings,
} from './create-upbit-market-data.js';
