import type { ConnectionState, DataSource, EpochMs, StreamStatus } from '@marketdata/domain';
import type { CacheCounters } from '../cache/ttl-cache.js';
import type { ChannelHealthView } from '../router/channel-health.js';
import type { RouterCounters } from '../router/channel-router.js';
import type { UnifierCounters } from '../unifier/unifier.js';
import type { LatencyHistogram } from './latency-histogram.js';
import type { CollectorSnapshot, StatsCollector } from './stats-collector.js';

/** The WebSocket stream's own counters, read from `status()` when the snapshot is taken. */
export interface WebSocketStreamStats {
  readonly state: ConnectionState;
  readonly reconnects: number;
  /** Gaps recorded (disconnects, stalls), open ones included. */
  readonly gaps: number;
  readonly openGaps: number;
  /** Total time covered by gaps, open ones counted up to now. */
  readonly gapMsTotal: number;
  readonly malformedFrames: number;
}

/** A latency histogram with Prometheus bucket bounds. */
export interface LatencyBuckets {
  /** Cumulative counts at the finite Prometheus bounds (ms); the `+Inf` bucket equals `count`. */
  readonly buckets: readonly { readonly le: number; readonly count: number }[];
  readonly count: number;
  readonly sumMs: number;
}

/** Everything counted, in one snapshot: `stats()`, and `toPrometheus()` renders it. */
export interface StatsSnapshot extends CollectorSnapshot {
  readonly takenAt: EpochMs;
  readonly cache: CacheCounters;
  readonly quality: UnifierCounters;
  readonly routing: RouterCounters;
  readonly channels: { readonly rest: ChannelHealthView; readonly websocket: ChannelHealthView | undefined };
  readonly websocket: WebSocketStreamStats | undefined;
  readonly latencyBuckets: Readonly<Record<DataSource, LatencyBuckets>>;
}

export function webSocketStreamStats(status: StreamStatus, nowMs: EpochMs): WebSocketStreamStats {
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
  };
}

export interface SnapshotSources {
  readonly collector: StatsCollector;
  readonly cache: CacheCounters;
  readonly quality: UnifierCounters;
  readonly routing: RouterCounters;
  readonly channels: StatsSnapshot['channels'];
  /** The streaming source's status; undefined without a WebSocket. */
  readonly websocketStatus: StreamStatus | undefined;
  readonly nowMs: EpochMs;
}

function bucketsOf(histogram: LatencyHistogram): LatencyBuckets {
  const { count, sumMs } = histogram.total;
  return { buckets: histogram.cumulativeBuckets().filter((bucket) => Number.isFinite(bucket.le)), count, sumMs };
}

/** Everything counted, in one snapshot (each part counts its own; nothing is counted twice). */
export function buildStatsSnapshot(sources: SnapshotSources): StatsSnapshot {
  const histograms = sources.collector.latencyHistograms();
  const status = sources.websocketStatus;
  return {
    ...sources.collector.snapshot(),
    takenAt: sources.nowMs,
    cache: sources.cache,
    quality: sources.quality,
    routing: sources.routing,
    channels: sources.channels,
    websocket: status === undefined ? undefined : webSocketStreamStats(status, sources.nowMs),
    latencyBuckets: {
      rest: bucketsOf(histograms.rest),
      websocket: bucketsOf(histograms.websocket),
      cache: bucketsOf(histograms.cache),
    },
  };
}
