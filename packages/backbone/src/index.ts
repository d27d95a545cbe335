/**
 * The `MarketData` facade over a REST and a WebSocket source: routing, fallback, grading, freshness, cache, health and
 * stats.
 *
 * @module @marketdata/backbone
 */
// The public API of @marketdata/backbone: what a user needs to build the facade, configure it and read what it
// reports. Everything else (router, unifier, freshness judge, cache, queues, grading) is internal; tests import it
// from `src/` directly. The clock, randomness and the ports come from `@marketdata/domain`.

export type { CacheCounters } from './cache/ttl-cache.js';
export type {
  CandleChangeUpdate,
  CandleHistoryUpdate,
  CandleUpdate,
  SeriesCandle,
} from './candles/candle-update.js';
// Configuration
export {
  type BackboneConfig,
  type BackboneConfigInput,
  DEFAULT_BACKBONE_CONFIG,
  type FreshnessConfig,
  parseBackboneConfig,
  type QualityConfig,
  type RouterConfig,
} from './config/backbone-config.js';
// What it reports
export type { HealthReport, HealthStatus, WebSocketHealthView } from './facade/health-report.js';
// The facade
export { createMarketData } from './facade/market-data.js';
export type {
  CandleIntervalName,
  CandleList,
  Grade,
  GradedOrderBook,
  GradedTimes,
  MarketDetail,
  MarketList,
  MarketSummary,
  SymbolOutcome,
  TradeList,
} from './facade/market-data-results.js';
export type {
  GetCandlesOptions,
  GetMarketsOptions,
  GetOrderBookOptions,
  GetTickerOptions,
  GetTradesOptions,
  MarketData,
  MarketDataOptions,
  RestTickerSource,
  TickerResult,
  TickerSourceOption,
  WatchCandlesOptions,
  WatchStreamOptions,
  WatchTickerOptions,
} from './facade/market-data-types.js';
export type { StreamFallbackView } from './facade/stream-fallbacks.js';
export type { StaleStream } from './freshness/verdicts.js';
export type { ChannelHealthView } from './router/channel-health.js';
export type { RouterCounters } from './router/channel-router.js';
export type { SubscriptionCounters } from './router/hot-demand.js';
export type { ChannelState, RouteReason } from './router/route-types.js';
export type { LatencySummary } from './stats/latency-histogram.js';
export type { CollectorSnapshot, FallbackRoute } from './stats/stats-collector.js';
export type { LatencyBuckets, StatsSnapshot, WebSocketStreamStats } from './stats/stats-snapshot.js';
export type { QualityIssueKind } from './unifier/quality-checks.js';
export type { UnifierCounters } from './unifier/unifier.js';
