/** The real clock (re-exported from the domain, where it lives). */
export { createSystemClock } from '@marketdata/domain';
export type { RefusalCounters, SimCounters } from './control/counters.js';
export type { SimCandle, SimCandleInterval } from './control/sim-candle.js';
export type {
  RefusalOptions,
  SimControl,
  SimSubscription,
  SubscriptionRejectionOptions,
} from './control/sim-control.js';
export { WS_CONNECT_BREAKS, type WsConnectBreak } from './control/ws-faults.js';
export { MARKET_SEED_ROWS } from './data/markets.js';
export type { CandleUnit } from './model/candle-periods.js';
export {
  CAUTION_FLAGS,
  type CautionFlag,
  MARKET_STATE_NAMES,
  type MarketStateName,
  type MarketStatus,
  type MarketStatusPatch,
} from './model/market-status.js';
export type { MarketInfo, PriceChange, SimMarketState, TradeRecord, TradeSide } from './model/market-types.js';
export {
  DEFAULT_RATE_LIMITS,
  type RateLimitOptions,
  REST_GROUPS,
  type ReplayOptions,
  type RestGroup,
  type StartUpbitSimOptions,
} from './options.js';
export { parseReplayLines, type ReplayFrame } from './replay/replay-file.js';
export { startUpbitSim, type UpbitSim } from './start-upbit-sim.js';
