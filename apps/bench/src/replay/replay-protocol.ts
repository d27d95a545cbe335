import type { ReplayCounters, ReplaySpec } from './replay-server.js';

/** Messages between the bench and its replay process (Node IPC, JSON). */
export type ReplayRequest =
  | { readonly requestId: number; readonly op: 'start'; readonly spec: ReplaySpec }
  | { readonly requestId: number; readonly op: 'counters'; readonly serverId: number }
  | { readonly requestId: number; readonly op: 'stop'; readonly serverId: number }
  | { readonly requestId: number; readonly op: 'shutdown' };

export interface ReplayStarted {
  readonly serverId: number;
  readonly url: string;
}

export type ReplayResponse =
  | { readonly requestId: number; readonly ok: true; readonly result: ReplayStarted | ReplayCounters | null }
  | { readonly requestId: number; readonly ok: false; readonly error: string };
