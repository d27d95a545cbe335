import type { Column } from '../report/model.js';
import type { ReplayFormat, ReplayKind } from './frame-pool.js';

/** A replay server of one frame kind. */
export interface IngestTarget {
  readonly kind: ReplayKind;
  readonly wsUrl: string;
}

/** Parent → ingest process: which clients to measure against which replay servers (in turn), and how long. */
export interface IngestRequest {
  readonly targets: readonly IngestTarget[];
  /** ccxt's market list (a simulator). */
  readonly restUrl: string;
  readonly format: ReplayFormat;
  readonly codes: readonly string[];
  /** Clients to measure: several take turns window by window (they must be pausable: raw, ours). */
  readonly columns: readonly Column[];
  readonly warmupMs: number;
  readonly windowMs: number;
  readonly windows: number;
}

export interface IngestWindow {
  /** Frames handled per second of the process's CPU time in the window. */
  readonly perCpuSecond: number;
  /** Frames handled per second of wall time in the window. */
  readonly perSecond: number;
}

/** One client's result: its windows, or why it has none ("not built", "failed: …"). */
export type IngestColumnResult =
  | { readonly ok: true; readonly windows: readonly IngestWindow[]; readonly account: string | undefined }
  | { readonly ok: false; readonly reason: string };

export type IngestResults = Partial<Record<ReplayKind, Partial<Record<Column, IngestColumnResult>>>>;

/** Ingest process → parent, once. */
export type IngestReply =
  | { readonly ok: true; readonly results: IngestResults }
  | { readonly ok: false; readonly error: string };
