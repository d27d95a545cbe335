import type { ConnectionState, EpochMs, MarketDirectoryView } from '@marketdata/domain';
import type { StaleStream, StreamHealth } from '../freshness/verdicts.js';
import type { ChannelHealthView } from '../router/channel-health.js';
import type { StreamFallbackView } from './stream-fallbacks.js';

/** The overall health: `ok`, `degraded`, `down` or `closed` (see `HealthReport.status`). */
export type HealthStatus = 'ok' | 'degraded' | 'down' | 'closed';

export interface WebSocketHealthView extends ChannelHealthView {
  readonly connection: ConnectionState;
  /** The current connection's epoch (grows by one per socket opened). */
  readonly epoch: number;
  readonly openGaps: number;
  readonly reconnects: number;
  /** The upstream's refusal while it holds (`kind: message`). */
  readonly refusal: string | undefined;
  /** Feeds someone wants: hot symbols' subscriptions and open streams. */
  readonly watchedFeeds: number;
  /** Watched feeds the freshness judge calls stale right now. */
  readonly staleFeeds: readonly StaleStream[];
}

/** The facade's health: a status, the reasons, and each channel's view. */
export interface HealthReport {
  /**
   * `ok`: every configured channel enabled and every watched stream fresh. `degraded`: a channel disabled, the
   * WebSocket reconnecting, refused or with an open gap, a watched stream stale (as the freshness judge says), or a
   * stream standing in with REST polling for the WebSocket (each named in `reasons`). `down`: no live channel can serve. `closed`: after `close()`.
   */
  readonly status: HealthStatus;
  readonly reasons: readonly string[];
  readonly channels: { readonly rest: ChannelHealthView; readonly websocket: WebSocketHealthView | undefined };
  readonly hotSubscriptions: number;
  /** Streams serving some symbols from REST because the WebSocket cannot right now (each named in `reasons`). */
  readonly fallbacks: readonly StreamFallbackView[];
  /**
   * The REST source's market directory, which answers unknown symbols without a request; undefined when the REST
   * source has none. Its state does not change `status`: without it the channels still serve, only a typo on the
   * WebSocket then ends in a timeout instead of `UnknownSymbolError`.
   */
  readonly markets: MarketDirectoryView | undefined;
  readonly checkedAt: EpochMs;
}

export interface HealthInput {
  readonly closed: boolean;
  readonly rest: ChannelHealthView;
  readonly websocket: ChannelHealthView | undefined;
  /** The freshness judge's report; undefined without a WebSocket. */
  readonly stream: StreamHealth | undefined;
  readonly fallbacks: readonly StreamFallbackView[];
  readonly reconnects: number;
  readonly hotSubscriptions: number;
  readonly markets: MarketDirectoryView | undefined;
  readonly nowMs: EpochMs;
}

/** Stale feeds named one by one in the reasons; more are counted. */
const NAMED_STALE_FEEDS = 3;

function streamReasons(stream: StreamHealth): string[] {
  const reasons: string[] = [];
  if (stream.connection === 'reconnecting' || stream.connection === 'closed') {
    reasons.push(`websocket ${stream.connection}`);
  }
  if (stream.refusal !== undefined) {
    reasons.push(`websocket refused (${stream.refusal.kind}): ${stream.refusal.error.message}`);
  }
  if (stream.openGaps > 0) reasons.push(`${stream.openGaps} open websocket gap(s)`);
  for (const feed of stream.stale.slice(0, NAMED_STALE_FEEDS)) {
    reasons.push(`${feed.symbol} ${feed.kind} stale: ${feed.note}`);
  }
  const more = stream.stale.length - NAMED_STALE_FEEDS;
  if (more > 0) reasons.push(`${more} more stale websocket feed(s)`);
  return reasons;
}

function describeFallback(fallback: StreamFallbackView): string {
  const named = fallback.symbols.slice(0, NAMED_STALE_FEEDS).join(', ');
  const more =
    fallback.symbols.length > NAMED_STALE_FEEDS ? ` and ${fallback.symbols.length - NAMED_STALE_FEEDS} more` : '';
  return `${fallback.operation} on rest fallback for ${named}${more} (${Math.round(fallback.forMs)} ms): ${fallback.reason}`;
}

export function buildHealthReport(input: HealthInput): HealthReport {
  const reasons: string[] = [];
  const restUp = input.rest.state !== 'disabled';
  const websocketUp = input.websocket !== undefined && input.websocket.state !== 'disabled';
  if (!restUp) reasons.push(`rest disabled (${input.rest.lastError ?? 'consecutive failures'})`);
  if (input.websocket !== undefined && !websocketUp) {
    reasons.push(`websocket disabled (${input.websocket.lastError ?? 'consecutive failures'})`);
  }
  const stream = input.stream;
  if (stream !== undefined) reasons.push(...streamReasons(stream));
  for (const fallback of input.fallbacks) reasons.push(describeFallback(fallback));
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
              connection: stream?.connection ?? 'idle',
              epoch: stream?.epoch ?? 0,
              openGaps: stream?.openGaps ?? 0,
              reconnects: input.reconnects,
              refusal:
                stream?.refusal === undefined ? undefined : `${stream.refusal.kind}: ${stream.refusal.error.message}`,
              watchedFeeds: stream?.watched ?? 0,
              staleFeeds: stream?.stale ?? [],
            },
    },
    hotSubscriptions: input.hotSubscriptions,
    fallbacks: input.fallbacks,
    markets: input.markets,
    checkedAt: input.nowMs,
  };
}
