/**
 * The facade's metrics in a prom-client registry (`collectMarketDataMetrics`) and a `/metrics` endpoint
 * (`createMetricsHandler`, `serveMetrics`).
 *
 * @module @marketdata/metrics
 */
// The public API of @marketdata/metrics: the facade's metrics in a prom-client registry, and a /metrics endpoint.

export {
  collectMarketDataMetrics,
  type MarketDataMetrics,
  type MarketDataMetricsSource,
} from './collect-market-data-metrics.js';
export {
  createMetricsHandler,
  type MetricsHandlerOptions,
  type MetricsRequestListener,
  type MetricsServer,
  type ServeMetricsOptions,
  serveMetrics,
} from './metrics-handler.js';
