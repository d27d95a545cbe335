import type { MemorySample } from '../memory.js';

/** Parent → soak process: what to stream and for how long. */
export interface SoakRequest {
  readonly restUrl: string;
  readonly wsUrl: string;
  readonly codes: readonly string[];
  readonly seconds: number;
  readonly sampleEveryMs: number;
  /** Samples start after this many seconds (memory settles first: JIT, buffers, snapshots). */
  readonly warmupSeconds: number;
}

/** Soak process → parent, once. */
export type SoakReply =
  | {
      readonly ok: true;
      readonly samples: readonly MemorySample[];
      readonly ticks: number;
      readonly gcForced: boolean;
    }
  | { readonly ok: false; readonly error: string; readonly notBuilt: boolean };
