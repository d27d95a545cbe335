import type { MarketDirectoryView, StreamStatus } from '@marketdata/domain';
import type { Heartbeat } from '../wire/messages.js';
import type { RpcCounters } from './rpc-server.js';
import type { RelayCounters } from './stream-relay.js';

/**
 * The gateway's health, published on `<prefix>.gateway.health` every few seconds and on change, and kept in the KV
 * bucket under `gateway.health` for whoever looks later. For operators: it says what holds, it grades no data (each
 * consumer's backbone judges freshness from the facts its NATS source reports).
 */
export interface GatewayHealthReport {
  readonly gateway: string;
  readonly startedAt: number;
  readonly checkedAt: number;
  /** `ok`: the upstream WebSocket is open (or idle with nothing wanted), the market list and the KV bucket at hand. */
  readonly status: 'ok' | 'degraded' | 'stopping';
  readonly reasons: readonly string[];
  readonly upstream: {
    readonly state: StreamStatus['state'];
    readonly epoch: number;
    readonly reconnects: number;
    readonly openGaps: number;
    readonly malformedFrames: number;
    readonly refusal: string | undefined;
  };
  readonly markets: { readonly listed: number | undefined; readonly lastError: string | undefined };
  readonly kv: { readonly bucket: string; readonly ready: boolean; readonly error: string | undefined };
  readonly nats: { readonly server: string; readonly reconnects: number };
  readonly consumers: number;
  readonly feeds: number;
  readonly refusedDemand: number;
  readonly malformedDemand: number;
  readonly relay: RelayCounters;
  readonly rpc: RpcCounters;
}

export interface HealthInput {
  readonly heartbeat: Heartbeat;
  readonly status: StreamStatus;
  readonly markets: MarketDirectoryView;
  readonly kv: GatewayHealthReport['kv'];
  readonly nats: GatewayHealthReport['nats'];
  readonly refusedDemand: number;
  readonly malformedDemand: number;
  readonly relay: RelayCounters;
  readonly rpc: RpcCounters;
}

export function buildHealthReport(input: HealthInput): GatewayHealthReport {
  const { heartbeat, status } = input;
  const reasons: string[] = [];
  const state = status.state;
  if (state === 'reconnecting' || state === 'closed') reasons.push(`upstream websocket ${state}`);
  if (status.refusal !== undefined) {
    reasons.push(`upstream refused (${status.refusal.kind}): ${status.refusal.error.message}`);
  }
  if (heartbeat.upstream.openGaps > 0) reasons.push(`${heartbeat.upstream.openGaps} open upstream gap(s)`);
  if (input.markets.lastError !== undefined) reasons.push(`market list: ${input.markets.lastError.message}`);
  if (!input.kv.ready) reasons.push(`KV bucket ${input.kv.bucket} not ready: ${input.kv.error ?? 'not created yet'}`);
  return {
    gateway: heartbeat.gateway,
    startedAt: heartbeat.startedAt,
    checkedAt: heartbeat.sentAt,
    status: heartbeat.stopping ? 'stopping' : reasons.length === 0 ? 'ok' : 'degraded',
    reasons,
    upstream: {
      state,
      epoch: status.epoch,
      reconnects: status.reconnects,
      openGaps: heartbeat.upstream.openGaps,
      malformedFrames: status.malformedFrames,
      refusal: status.refusal === undefined ? undefined : `${status.refusal.kind}: ${status.refusal.error.message}`,
    },
    markets: { listed: input.markets.listed, lastError: input.markets.lastError?.message },
    kv: input.kv,
    nats: input.nats,
    consumers: heartbeat.consumers,
    feeds: heartbeat.feeds,
    refusedDemand: input.refusedDemand,
    malformedDemand: input.malformedDemand,
    relay: input.relay,
    rpc: input.rpc,
  };
}

/** The heartbeat's view of the upstream, from the streaming source's status (monotonic times turned into ages). */
export function upstreamView(status: StreamStatus, nowMonotonic: number): Heartbeat['upstream'] {
  const refusal = status.refusal;
  return {
    state: status.state,
    epoch: status.epoch,
    reconnects: status.reconnects,
    openGaps: status.gaps.filter((gap) => gap.endedAtMonotonic === undefined).length,
    refusal:
      refusal === undefined
        ? undefined
        : {
            kind: refusal.kind,
            error: refusal.error,
            repeats: refusal.repeats,
            ageMs: Math.max(0, nowMonotonic - refusal.atMonotonic),
            retryInMs:
              refusal.retryAtMonotonic === undefined ? undefined : Math.max(0, refusal.retryAtMonotonic - nowMonotonic),
          },
  };
}
