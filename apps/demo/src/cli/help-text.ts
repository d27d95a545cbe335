export const HELP_TEXT = `Usage: pnpm demo [options]          (or: node apps/demo/dist/main.js [options])

Live Upbit market data in the terminal: loads the KRW markets, picks the top N by 24h turnover and shows a
live-updating table (symbol, price, change %, source, age, quality), channel health and routing decisions.
By default it connects to LIVE Upbit (https://api.upbit.com, wss://api.upbit.com/websocket/v1). When Upbit
cannot be reached it stops within a few seconds and says why; it never shows simulated data unless --sim is given.

Options:
  --sim                 Start the local Upbit simulator in this process and run the same demo against it
                        (127.0.0.1, random port). The title says SIMULATOR.
  --seed N              Simulator seed (only with --sim; default 1).
  --symbols LIST        Watch these markets instead of the top N, comma separated: --symbols KRW-BTC,KRW-ETH
                        (upper case, QUOTE-BASE; may be repeated).
  --top N               How many KRW markets to watch, by 24h turnover (1-500, default 10).
  --json                Write every tick to stdout as one JSON object per line (NDJSON) instead of the table;
                        logs and the exit summary go to stderr, so stdout stays pure NDJSON.
  --record FILE         Also capture every raw WebSocket frame to FILE as JSON lines
                        {"t": <epoch ms>, "frame": "<raw frame text>"}, which the simulator can replay.
  --config FILE         JSON configuration file (see below). Also MARKETDATA_CONFIG=FILE.
  --log-level LEVEL     trace, debug, info, warn, error or silent (default info). Also MARKETDATA_LOG_LEVEL.
                        Logs go to stderr (pretty on a terminal); while the table is on screen they are shown in
                        its events pane instead.
  --duration-ms N       Stop by itself after N milliseconds (otherwise run until Ctrl-C).
  -h, --help            Show this help.

Config file (every part optional; the command line wins over the environment, which wins over the file):
  {
    "backbone": { "cacheTtlMs": 60000, "restTimeoutMs": 10000, "router": { "hotRequestsPerSecond": 0.5 } },
    "upbit":    { "restUrl": "https://api.upbit.com", "wsUrl": "wss://api.upbit.com/websocket/v1" },
    "demo":     { "top": 10, "symbols": ["KRW-BTC"], "refreshMs": 250, "preflightTimeoutMs": 4000,
                  "logLevel": "info" }
  }
  "backbone" is validated by the backbone's own schema: every bad or unknown field is reported at once.
  Environment: MARKETDATA_UPBIT_REST_URL, MARKETDATA_UPBIT_WS_URL, and backbone settings such as
  MARKETDATA_BACKBONE__CACHE_TTL_MS=30000 or MARKETDATA_BACKBONE__ROUTER__HOT_REQUESTS_PER_SECOND=1
  ("__" separates levels; values are read as JSON when they parse, as text otherwise).

Exit codes: 0 ok (including Ctrl-C), 1 runtime failure (e.g. Upbit unreachable), 2 usage error.

Examples:
  pnpm demo                               live Upbit, top 10 KRW markets
  pnpm demo --sim --top 5                 the simulator, top 5
  pnpm demo --sim --json | jq .price      NDJSON ticks for piping
  pnpm demo --symbols KRW-BTC,KRW-ETH --record frames.jsonl
`;
