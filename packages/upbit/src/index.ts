export type { BackboneConfigInput, MarketData } from '@marketdata/backbone';
export {
  createUpbitMarketData,
  type UpbitMarketDataOptions,
  type UpbitRestSettings,
  type UpbitWebSocketSettings,
} from './create-upbit-market-data.js';
