import type { ConnectionState, EpochMs, StreamStatus } from '@marketdata/domain';
import type { MarketDirectoryView } from '../directory/market-directory.js';
import type { ChannelHealthView } from '../router/channel-health.js';

export type HealthStatus = 'ok' | 'degraded' | 'down' | 'closed';

export interface WebsocketHealthView extends ChannelHealthView {
  readonly connection: ConnectionState;
  readonly openGaps: number;
  readonly reconnects: number;
}

export interface HealthReport {
  /**
   * `ok`: every configured channel enabled, no open stream gap. `degraded`: one channel disabled, or the
   * WebSocket reconnecting or with an open gap. `down`: no live channel can serve. `closed`: after `close()`.
   */
  readonly status: HealthStatus;
  readonly reasons: readonly string[];
  readonly channels: { readonly rest: ChannelHealthView; readonly websocket: WebsocketHealthView | undefined };
  readonly hotSubscriptions: number;
  /**
   * The market list that answers unknown symbols without a request. Its state does not change `status`: without it
   * the channels still serve, only a typo on the WebSocket then ends in a timeout instead of `UnknownSymbolError`.
   */
  readonly markets: MarketDirectoryView;
  readonly checkedAt: EpochMs;
}

export interface HealthInput {
  readonly closed: boolean;
  readonly rest: ChannelHealthView;
  readonly websocket: ChannelHealthView | undefined;
  readonly websocketStatus: StreamStatus | undefined;
  readonly hotSubscriptions: number;
  readonly markets: MarketDirectoryView;
  readonly nowMs: EpochMs;
}

export function buildHealthReport(input: HealthInput): HealthReport {
  const reasons: string[] = [];
  const restUp = input.rest.state !== 'disabled';
  const websocketUp = input.websocket !== undefined && input.websocket.state !== 'disabled';
  if (!restUp) reasons.push(`rest disabled (${input.rest.lastError ?? 'consecutive failures'})`);
  if (input.websocket !== undefined && !websocketUp) {
    reasons.push(`websocket disabled (${input.websocket.lastError ?? 'consecutive failures'})`);
  }
  const status = input.websocketStatus;
  const openGaps = status?.gaps.filter((gap) => gap.endedAt === undefined).length ?? 0;
  if (status !== undefined) {
    if (status.state === 'reconnecting' || status.state === 'closed') reasons.push(`websocket ${status.state}`);
    if (openGaps > 0) reasons.push(`${openGaps} open websocket gap(s)`);
  }
  let overall: HealthStatus;
  if (input.closed) overall = 'closed';
  else if (!restUp && !websocketUp) overall = 'down';
  else overall = reasons.length > 0 ? 'degraded' : 'ok';
  return {
    status: overall,
    reasons,
    channels: {
      rest: input.rest,
      websocket:
        input.websocket === undefined
          ? undefined
          : {
              ...input.websocket,
              connection: status?.state ?? 'idle',
              openGaps,
              reconnects: status?.reconnects ?? 0,
            },
    },
    hotSubscriptions: input.hotSubscriptions,
    markets: input.markets,
    checkedAt: input.nowMs,
  };
}
