export { JOB_NAME, type ScrapeSettings } from './config.js';
export {
  isPrometheusQueryError,
  PrometheusQueryError,
  type QueryResult,
  type SampleValue,
  type Series,
} from './query.js';
export {
  PROMETHEUS_BINARY,
  type PrometheusOptions,
  type RunningPrometheus,
  startPrometheus,
} from './start-prometheus.js';
