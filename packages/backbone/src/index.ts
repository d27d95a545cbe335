// Facade

// Cache
export { type CacheCounters, type CacheHit, TtlCache, type TtlCacheOptions } from './cache/ttl-cache.js';
// Configuration
export {
  type BackboneConfig,
  type BackboneConfigInput,
  DEFAULT_BACKBONE_CONFIG,
  parseBackboneConfig,
  type QualityConfig,
  type RouterConfig,
} from './config/backbone-config.js';
export { ConflatingStream, type ConflatingStreamHooks } from './facade/conflating-stream.js';
export type { HealthReport, HealthStatus, WebsocketHealthView } from './facade/health-report.js';
export {
  createMarketData,
  type GetTickerOptions,
  type MarketData,
  type MarketDataOptions,
  type TickerResult,
  type TickerSourceOption,
  type WatchStreamOptions,
  type WatchTickerOptions,
} from './facade/market-data.js';
// Real port adapters
export { createPinoLogger, type PinoLogger, type PinoLoggerOptions } from './pino-logger.js';
export { ChannelHealth, type ChannelHealthView } from './router/channel-health.js';
export type { RouterCounters } from './router/channel-router.js';
// Router
export { decideFallback, decideRoute, decideSubscription } from './router/decide-route.js';
export {
  evaluateRoutingScenarios,
  type RoutingAccuracyReport,
  type RoutingMiss,
  replayRoutingScenario,
} from './router/evaluate-routing.js';
export { RequestFrequency } from './router/request-frequency.js';
export type * from './router/route-types.js';
export { ROUTING_SCENARIOS, type RoutingScenario, type ScenarioStep } from './router/routing-scenarios.js';
// Stats
export { LatencyHistogram, type LatencySummary, PROMETHEUS_BOUNDS_MS } from './stats/latency-histogram.js';
export { toPrometheus } from './stats/prometheus.js';
export type { CollectorSnapshot, FallbackRoute, StreamKindName } from './stats/stats-collector.js';
export type { LatencyBuckets, StatsSnapshot, WebsocketStreamStats } from './stats/stats-snapshot.js';
export { createSystemClock, type SystemClockOptions, systemClock } from './system-clock.js';
export { systemRandom } from './system-random.js';
// Unifier
export { type GradeInput, gradeTicker } from './unifier/grade-ticker.js';
export {
  checkTicker,
  QUALITY_ISSUE_KINDS,
  type QualityIssue,
  type QualityIssueKind,
  relativeDifference,
} from './unifier/quality-checks.js';
export type { UnifierCounters } from './unifier/unifier.js';
