import type { ConnectionState, DataSource, EpochMs, StreamStatus } from '@marketdata/domain';
import type { CacheCounters } from '../cache/ttl-cache.js';
import type { ChannelHealthView } from '../router/channel-health.js';
import type { RouterCounters } from '../router/channel-router.js';
import type { UnifierCounters } from '../unifier/unifier.js';
import type { CollectorSnapshot } from './stats-collector.js';

/** The WebSocket stream's own health, read from `status()` when the snapshot is taken. */
export interface WebsocketStreamStats {
  readonly state: ConnectionState;
  readonly reconnects: number;
  /** Gaps recorded (disconnects, stalls), open ones included. */
  readonly gaps: number;
  readonly openGaps: number;
  /** Total time covered by gaps, open ones counted up to now. */
  readonly gapMsTotal: number;
  readonly malformedFrames: number;
  readonly conflated: number;
}

export interface LatencyBuckets {
  /** Cumulative counts at the finite Prometheus bounds (ms); the `+Inf` bucket equals `count`. */
  readonly buckets: readonly { readonly le: number; readonly count: number }[];
  readonly count: number;
  readonly sumMs: number;
}

export interface StatsSnapshot extends CollectorSnapshot {
  readonly takenAt: EpochMs;
  readonly cache: CacheCounters;
  readonly quality: UnifierCounters;
  readonly routing: RouterCounters;
  readonly channels: { readonly rest: ChannelHealthView; readonly websocket: ChannelHealthView | undefined };
  readonly websocket: WebsocketStreamStats | undefined;
  readonly latencyBuckets: Readonly<Record<DataSource, LatencyBuckets>>;
}

export function websocketStreamStats(status: StreamStatus, nowMs: EpochMs): WebsocketStreamStats {
  let gapMsTotal = 0;
  let openGaps = 0;
  for (const gap of status.gaps) {
    if (gap.endedAt === undefined) openGaps++;
    gapMsTotal += Math.max(0, (gap.endedAt ?? nowMs) - gap.startedAt);
  }
  return {
    state: status.state,
    reconnects: status.reconnects,
    gaps: status.gaps.length,
    openGaps,
    gapMsTotal,
    malformedFrames: status.malformedFrames,
    conflated: status.conflated,
  };
}
