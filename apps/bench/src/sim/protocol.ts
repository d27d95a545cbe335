/** Messages between the bench and its simulator child process (Node IPC, JSON). */

/** The subset of StartUpbitSimOptions the bench sets; plain JSON so it can cross the process boundary. */
export interface SimStartOptions {
  readonly seed?: number;
  readonly markets?: readonly string[];
  /** false = off (throughput rows); undefined = Upbit's defaults (pacing rows). */
  readonly rateLimits?: false;
  readonly tradeRateScale?: number;
  readonly idleTimeoutMs?: number;
  /** The simulator cuts off a client with more unsent bytes than this (default 64 MiB). */
  readonly maxBufferedBytes?: number;
}

export interface SimHandleInfo {
  readonly simId: number;
  readonly restUrl: string;
  readonly wsUrl: string;
  readonly marketCodes: readonly string[];
}

export interface ProcessUsage {
  /** CPU time (user + system) in microseconds since the child started. */
  readonly cpuMicros: number;
  readonly rssBytes: number;
}

export type SimRequest =
  | { readonly requestId: number; readonly op: 'start'; readonly options: SimStartOptions }
  | { readonly requestId: number; readonly op: 'close'; readonly simId: number }
  | {
      readonly requestId: number;
      readonly op: 'control';
      readonly simId: number;
      readonly method: string;
      readonly args: readonly unknown[];
    }
  | {
      readonly requestId: number;
      readonly op: 'batch';
      readonly simId: number;
      readonly calls: readonly SimControlCall[];
    }
  | { readonly requestId: number; readonly op: 'usage' }
  | { readonly requestId: number; readonly op: 'shutdown' };

/** One SimControl call of a batch. */
export interface SimControlCall {
  readonly method: string;
  readonly args: readonly unknown[];
}

/**
 * A batch's answer. Synchronous calls run back to back with nothing in between (no request or frame can slip
 * between them), so e.g. reading the counters and forcing a failure happen at one instant. Times are the
 * simulator process's `Date.now()`: `startedAt` just before the first call, `finishedAt` after the last settled.
 */
export interface SimBatchResult {
  readonly results: readonly unknown[];
  readonly startedAt: number;
  readonly finishedAt: number;
}

export type SimResponse =
  | { readonly requestId: number; readonly ok: true; readonly result: unknown }
  | { readonly requestId: number; readonly ok: false; readonly error: string; readonly notBuilt?: boolean };

/** Sent once by the child when it is ready; `available` is false when the simulator package is not built. */
export interface SimReady {
  readonly ready: true;
  readonly available: boolean;
  readonly reason?: string;
}
