/** The real clock (re-exported from the domain, where it lives). */
export { createSystemClock } from '@marketdata/domain';
export type { SimCounters } from './control/counters.js';
export type { SimControl, SimSubscription } from './control/sim-control.js';
export { MARKET_SEED_ROWS } from './data/markets.js';
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
