// The Python plan's configuration keys (and near misses) → our setting. A configuration passing one is refused
// with a ConfigError naming ours, never silently ignored. Milliseconds everywhere, where the plan had seconds.

/** The plan's name → ours, as the ConfigError issue says it (`the Python plan's name: use …`). */
export const PLAN_CONFIG_NAMES: Readonly<Record<string, string>> = {
  rest_timeout: "restTimeoutMs (milliseconds: the plan's rest_timeout: 10 seconds is restTimeoutMs: 10_000)",
  restTimeout: 'restTimeoutMs (milliseconds)',
  websocket_timeout: 'webSocketTimeoutMs (milliseconds)',
  websocketTimeout: 'webSocketTimeoutMs (milliseconds)',
  webSocketTimeout: 'webSocketTimeoutMs (milliseconds)',
  use_websocket: 'useWebSocket',
  cache_ttl: 'cacheTtlMs (milliseconds)',
  cacheTtl: 'cacheTtlMs (milliseconds)',
  max_retries:
    'maxRetries of createUpbitMarketData({ maxRetries }) (retries live in the REST adapter, not in the backbone config)',
  source_hint: "a per-call option: getTicker(symbol, { source: 'rest' | 'websocket' | 'auto' })",
};
