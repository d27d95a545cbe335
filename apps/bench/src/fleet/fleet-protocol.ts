/** Parent → fleet child process (one message per step). */
export type FleetChildRequest =
  /** Listen to the tickers of `codes` through the fleet gateway; answer `ready` once records flow. */
  | { readonly op: 'stream'; readonly natsUrl: string; readonly codes: readonly string[] }
  /**
   * Count and time the records the gateway received from Upbit within [fromMs, toMs) (its `receivedAt`, wall clock),
   * whenever they reach this consumer before `window-stop`.
   */
  | { readonly op: 'window-start'; readonly fromMs: number; readonly toMs: number }
  /** Stop counting; answer `window`. */
  | { readonly op: 'window-stop' }
  /** A fresh consumer: how long until every one of `codes` has its latest ticker. */
  | { readonly op: 'late-join'; readonly natsUrl: string; readonly codes: readonly string[] }
  /**
   * The fleet test's workload for `seconds`: watch `watch`, ask `getTickers(tickers)` `rate` times a second, through
   * the fleet gateway (`fleet`) or straight to Upbit with a facade of its own (`direct`).
   */
  | {
      readonly op: 'workload';
      readonly via: 'fleet' | 'direct';
      readonly natsUrl: string;
      readonly restUrl: string;
      readonly wsUrl: string;
      readonly watch: readonly string[];
      readonly tickers: readonly string[];
      readonly rate: number;
      readonly seconds: number;
    };

/** Fleet child → parent. */
export type FleetChildReply =
  | { readonly op: 'ready' }
  | {
      readonly op: 'window';
      readonly received: number;
      /** The latencies (gateway receive → consumer), nanoseconds, as an HDR histogram in compressed base64. */
      readonly histogram: string;
      readonly negativeSamples: number;
      /** Messages the per-subject sequence numbers say never arrived, during the window (the source's `lost`). */
      readonly lost: number;
    }
  | { readonly op: 'late-join'; readonly ms: number; readonly replayed: number }
  | {
      readonly op: 'workload';
      readonly watched: number;
      readonly tickersOk: number;
      readonly tickersFailed: number;
      /** The first failed answer's error, `name: message`. */
      readonly firstError: string | undefined;
    }
  | { readonly op: 'error'; readonly error: string; readonly notBuilt: boolean };
