export const HELP_TEXT = `Usage: pnpm demo [options]            (from the repository root; or: node apps/demo/dist/main.js [options])

Live Upbit market data in the terminal. Loads the KRW markets, picks the top N by 24h turnover and watches them
through the market-data facade: a live-updating table (symbol, price, change %, source, age, quality), channel
health, and the router's decisions as they happen. To give the router something to decide, the demo also asks
for each symbol with getTicker (source auto): the first few at twice the "hot" rate (they move to WebSocket), the
rest well below it (REST or cache); the ROUTED column shows which channel answered.

By default it connects to LIVE Upbit (https://api.upbit.com, wss://api.upbit.com/websocket/v1). When Upbit
cannot be reached it stops within a few seconds, naming the host and the cause (DNS, refused, timeout, TLS, HTTP
status), and exits 1. It never shows simulated data unless --sim is given.

Options:
  --sim                 Start the local Upbit simulator in this process (127.0.0.1, random port) and run the same
                        demo against it. The title says SIMULATOR and shows how to inject faults.
  --seed N              Simulator seed (only with --sim; default 1).
  --symbols LIST        Watch these markets instead of the top N, comma separated (may be repeated):
                        --symbols KRW-BTC,KRW-ETH. Upper case QUOTE-BASE; unknown markets are refused.
  --top N               How many KRW markets to watch, by 24h turnover (1-500, default 10).
  --json                Write every tick to stdout as one JSON object per line (NDJSON) instead of the table.
                        Logs, routing events and the exit summary go to stderr: stdout stays pure NDJSON.
  --record FILE         Also capture every raw WebSocket frame to FILE, one JSON object per line:
                        {"t": <receive time, epoch ms>, "frame": "<raw frame text>"} (the simulator replays these).
  --config FILE         JSON configuration file (below). Also MARKETDATA_CONFIG=FILE.
  --log-level LEVEL     trace, debug, info, warn, error or silent (default info). Also MARKETDATA_LOG_LEVEL.
                        Logs go to stderr as pino JSON lines, like the simulator's (pretty when stderr is a
                        terminal); while the table is on the same terminal they appear in its events pane.
  --duration-ms N       Stop by itself after N milliseconds (default: run until Ctrl-C).
  --metrics-port N      Serve Prometheus metrics at http://127.0.0.1:N/metrics while running (the facade's
                        marketdata_* series and the process's own; 0 picks a free port, logged at start).
  --version             Print the version and exit.
  -h, --help            Show this help.

Config file (every part optional; command line > environment > file > defaults):
  {
    "backbone": { "cacheTtlMs": 60000, "restTimeoutMs": 10000, "router": { "hotRequestsPerSecond": 0.5 } },
    "upbit":    { "restUrl": "https://api.upbit.com", "wsUrl": "wss://api.upbit.com/websocket/v1" },
    "demo":     { "top": 10, "symbols": ["KRW-BTC"], "refreshMs": 250, "preflightTimeoutMs": 4000,
                  "logLevel": "info" }
  }
  "backbone" is checked by the backbone's own schema; every bad or unknown field is reported in one message.
  Environment: MARKETDATA_UPBIT_REST_URL, MARKETDATA_UPBIT_WS_URL, and backbone settings such as
  MARKETDATA_BACKBONE__CACHE_TTL_MS=30000 or MARKETDATA_BACKBONE__ROUTER__HOT_REQUESTS_PER_SECOND=1
  ("__" separates levels; values are read as JSON when they parse, as text otherwise).

Exit codes: 0 ok (also after Ctrl-C or --duration-ms), 1 runtime failure (e.g. Upbit unreachable),
            2 usage error (unknown option, bad value, bad config, unknown market).

Examples (pnpm's -s keeps its own lines off stdout, so a pipe reads the demo alone):
  pnpm demo                                   live Upbit, top 10 KRW markets
  pnpm demo --sim --top 5                     the simulator, top 5
  pnpm -s demo --sim --json | jq -c '{symbol, price, source, quality}'
  pnpm demo --symbols KRW-BTC,KRW-ETH --record frames.jsonl
  pnpm demo --sim --metrics-port 9464         then: curl -s http://127.0.0.1:9464/metrics | grep marketdata_
  pnpm -s demo --version
`;
