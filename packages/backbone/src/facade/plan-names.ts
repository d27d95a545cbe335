// Users arrive from a Python plan (`UnifiedMarketDataAPI`, `source_hint`, `rest_timeout`, ...) and from ccxt. A name
// of theirs that we spell differently must never be silently ignored: it is refused with an error that names ours.
// `docs/coming-from-the-python-plan.md` maps every plan name; this table is what the per-call checks read (the
// configuration's is `config/plan-config-names.ts`).

/** Per-call option names of the plan (and of ccxt) → what to write here. */
export const PLAN_OPTION_NAMES: Readonly<Record<string, string>> = {
  source_hint: 'source',
  sourceHint: 'source',
  use_websocket: "source: 'websocket'",
  useWebSocket: "source: 'websocket' (useWebSocket is a createMarketData config setting)",
  timeout: 'signal: AbortSignal.timeout(ms) (the call deadline is config.restTimeoutMs, milliseconds)',
  rest_timeout: 'signal: AbortSignal.timeout(ms) (or config.restTimeoutMs, milliseconds)',
  restTimeoutMs: 'signal: AbortSignal.timeout(ms) (restTimeoutMs is a createMarketData config setting)',
  websocket_timeout: 'config.webSocketTimeoutMs (milliseconds)',
  no_fallback: 'strict: true',
  fallback: 'strict: false (the default: source is a preference)',
  limit: 'count (depth for an order book)',
  timeframe: 'interval',
  since: 'to (Upbit pages backwards from `to`)',
  symbol: 'the first argument',
};

/** Our name for a per-call option of the plan (or ccxt), for this method; undefined when it is not one. */
export function planOptionName(operation: string, option: string): string | undefined {
  if (option === 'limit') return operation.includes('OrderBook') ? 'depth' : 'count';
  return Object.hasOwn(PLAN_OPTION_NAMES, option) ? PLAN_OPTION_NAMES[option] : undefined;
}
