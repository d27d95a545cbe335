import type { ChannelKind } from '@marketdata/domain';
import type {
  CacheCondition,
  ChannelCondition,
  FallbackDecision,
  FallbackInput,
  RouteChannel,
  RouteDecision,
  RouteInput,
  RouteReason,
  StreamCondition,
} from './route-types.js';

function usable(channel: ChannelCondition): boolean {
  return channel.configured && channel.state !== 'disabled';
}

/** An enabled channel failing too often is avoided; a probe-due one is not (its probe is how it recovers). */
function avoided(channel: ChannelCondition, maxErrorRate: number): boolean {
  return channel.state === 'enabled' && channel.errorRate !== undefined && channel.errorRate > maxErrorRate;
}

/** Fresh as the freshness judge says: the router applies no stale rule of its own. */
function streamFresh(stream: StreamCondition | undefined): boolean {
  return stream !== undefined && stream.sinceUpdateMs !== undefined && stream.stale === undefined;
}

function describeStream(stream: StreamCondition | undefined): string {
  if (stream === undefined || stream.sinceUpdateMs === undefined) return 'websocket has no data for the symbol yet';
  const verdict = stream.stale === undefined ? '' : `; stale: ${stream.stale}`;
  return `websocket last update ${Math.round(stream.sinceUpdateMs)} ms ago, expected every ${Math.round(stream.expectedIntervalMs)} ms${verdict}`;
}

type Detail = string | (() => string);

/** A route decision whose `detail` is written on first read (logs, errors), not when the decision is made. */
class Decision<C> implements RouteDecision {
  private text: Detail;

  constructor(
    readonly channel: RouteChannel,
    readonly reason: RouteReason,
    detail: Detail,
    readonly hot: boolean,
    readonly probe: boolean,
    readonly fallbackFrom: ChannelKind | undefined,
    /** The cache entry the decision was made on, when it decided for the cache. */
    readonly cached: C | undefined,
  ) {
    this.text = detail;
  }

  get detail(): string {
    if (typeof this.text !== 'string') this.text = this.text();
    return this.text;
  }

  toJSON(): RouteDecision & { readonly cached: C | undefined } {
    const { channel, reason, detail, hot, probe, fallbackFrom, cached } = this;
    return { channel, reason, detail, hot, probe, fallbackFrom, cached };
  }
}

/**
 * The router's decision for one request: which channel serves it and why. Pure: everything it needs is in the
 * input, so each rule is testable on its own and the decision can be logged with its reason.
 *
 * Rules for tickers requested with `auto` (the first that applies wins):
 * 1. No live channel usable: the cache if it holds the symbol within its TTL, else none.
 * 2. Hot symbol (request rate >= `hotRequestsPerSecond`) with WebSocket configured:
 *    a. WebSocket disabled: REST, labelled a fallback from WebSocket (or a fresh cache hit).
 *    b. WebSocket error rate above `maxErrorRate`: REST, labelled a fallback.
 *    c. No WebSocket data yet (subscription warming up): a fresh cache hit, else REST, else WebSocket (it waits).
 *    d. WebSocket data stale (as the freshness judge calls it: silent past the symbol's limit, or the stream
 *       cannot deliver): confirm by REST; WebSocket only if REST is unusable.
 *    e. Otherwise WebSocket.
 * 3. Cold symbol (or no WebSocket): a cache hit younger than the symbol's expected interval; else REST, except
 *    WebSocket when its data for the symbol is fresh and REST is failing too often or slower than `restSlowMs`;
 *    if REST is disabled, WebSocket, labelled a fallback from REST.
 * A disabled channel whose backoff has passed counts as usable; the request routed to it is its recovery probe.
 * Explicit sources go to that channel or nowhere. Order book and trade streams always use WebSocket.
 */
export function decideRoute<C extends CacheCondition>(
  input: RouteInput & { readonly cache: C | undefined },
): RouteDecision & { readonly cached: C | undefined } {
  const { thresholds, rest, websocket, stream, cache } = input;
  const hot = input.requestRatePerSecond >= thresholds.hotRequestsPerSecond;
  // Details are words and numbers for logs and errors: written only when read, never on the hot path.
  const rate = (): string =>
    `rate ${input.requestRatePerSecond.toFixed(2)}/s vs hot >= ${thresholds.hotRequestsPerSecond}/s`;
  const to = (
    channel: RouteChannel,
    reason: RouteReason,
    detail: Detail,
    fallbackFrom?: 'rest' | 'websocket',
  ): Decision<C> =>
    new Decision(
      channel,
      reason,
      detail,
      hot,
      (channel === 'rest' && rest.state === 'probe-due') ||
        (channel === 'websocket' && websocket.state === 'probe-due'),
      fallbackFrom,
      channel === 'cache' ? cache : undefined,
    );

  if (input.kind !== 'ticker') {
    return websocket.configured
      ? to('websocket', 'stream-requires-websocket', () => `${input.kind} streams always use websocket`)
      : to('none', 'stream-requires-websocket', () => `${input.kind} streams need websocket, which is not configured`);
  }

  if (input.requested === 'rest') {
    return usable(rest)
      ? to('rest', 'requested-rest', 'caller asked for rest')
      : to('none', 'requested-channel-disabled', 'caller asked for rest, which is disabled');
  }
  if (input.requested === 'websocket') {
    if (!websocket.configured) {
      return to('none', 'requested-channel-not-configured', 'caller asked for websocket, which is not configured');
    }
    if (input.operation === 'watch') return to('websocket', 'requested-websocket', 'caller asked for websocket');
    return usable(websocket)
      ? to('websocket', 'requested-websocket', 'caller asked for websocket')
      : to('none', 'requested-channel-disabled', 'caller asked for websocket, which is disabled');
  }

  if (input.operation === 'watch') {
    if (!websocket.configured) return to('rest', 'stream-rest', 'websocket not configured: rest polling');
    if (usable(websocket)) return to('websocket', 'stream-websocket', 'ticker streams use websocket');
    return to('rest', 'stream-websocket-disabled', 'websocket disabled: rest polling', 'websocket');
  }

  const cacheAge = (): string => (cache === undefined ? '' : `cache ${Math.round(cache.ageMs)} ms old`);
  if (!usable(rest) && !usable(websocket)) {
    return cache === undefined
      ? to('none', 'all-channels-down', 'rest and websocket both disabled, nothing cached')
      : to('cache', 'all-channels-down-cache', () => `rest and websocket both disabled; ${cacheAge()}`);
  }
  const cacheFresh = cache !== undefined && cache.ageMs <= cache.expectedIntervalMs;
  const freshCache = (): Decision<C> | undefined =>
    cacheFresh && cache !== undefined
      ? to(
          'cache',
          'cache-fresh',
          () => `${cacheAge()}, within the expected interval ${Math.round(cache.expectedIntervalMs)} ms`,
        )
      : undefined;

  if (hot && websocket.configured) {
    if (!usable(websocket)) {
      return freshCache() ?? to('rest', 'websocket-unavailable', () => `${rate()}; websocket disabled`, 'websocket');
    }
    if (avoided(websocket, thresholds.maxErrorRate) && usable(rest)) {
      const share = `${Math.round((websocket.errorRate ?? 0) * 100)}%`;
      return to('rest', 'websocket-error-rate', () => `${rate()}; websocket error rate ${share}`, 'websocket');
    }
    if (stream === undefined || stream.sinceUpdateMs === undefined) {
      const detail = (): string => `${rate()}; ${describeStream(stream)}`;
      return (
        freshCache() ??
        (usable(rest)
          ? to('rest', 'websocket-warming-up', detail)
          : to('websocket', 'websocket-warming-up', () => `${detail()}; rest disabled`))
      );
    }
    if (!streamFresh(stream)) {
      const detail = (): string => `${rate()}; ${describeStream(stream)}`;
      return usable(rest)
        ? to('rest', 'websocket-stale-confirm-by-rest', detail)
        : to('websocket', 'websocket-stale-rest-unavailable', () => `${detail()}; rest disabled`);
    }
    return to('websocket', 'hot-websocket-fresh', () => `${rate()}; ${describeStream(stream)}`);
  }

  const cached = freshCache();
  if (cached !== undefined) return cached;
  if (!usable(rest)) return to('websocket', 'rest-unavailable', () => `${rate()}; rest disabled`, 'rest');
  if (usable(websocket) && streamFresh(stream)) {
    if (avoided(rest, thresholds.maxErrorRate)) {
      const share = `${Math.round((rest.errorRate ?? 0) * 100)}%`;
      return to(
        'websocket',
        'rest-error-rate',
        () => `${rate()}; rest error rate ${share}; ${describeStream(stream)}`,
        'rest',
      );
    }
    if (rest.latencyEwmaMs !== undefined && rest.latencyEwmaMs > thresholds.restSlowMs) {
      const latency = `rest latency ${Math.round(rest.latencyEwmaMs)} ms > ${thresholds.restSlowMs} ms`;
      return to('websocket', 'rest-slow-websocket-fresh', () => `${rate()}; ${latency}; ${describeStream(stream)}`);
    }
  }
  return to('rest', 'cold-rest', hot ? () => `${rate()}; websocket not configured` : rate);
}

/**
 * Where to go after a channel failed for an `auto` request: the other live channel if usable and not yet tried,
 * then the cache within its TTL. Explicit sources never fall back; failures that are not the channel's fault
 * (an unknown symbol) do not either, since the other channel would answer the same.
 */
export function decideFallback(input: FallbackInput): FallbackDecision {
  if (input.requested !== 'auto') return { channel: 'none', reason: 'explicit-source-no-fallback' };
  if (!input.channelFault) return { channel: 'none', reason: 'not-a-channel-fault' };
  if (!input.attempted.includes('rest') && usable(input.rest)) return { channel: 'rest', reason: 'fallback-rest' };
  if (!input.attempted.includes('websocket') && usable(input.websocket)) {
    return { channel: 'websocket', reason: 'fallback-websocket' };
  }
  if (input.cache !== undefined) return { channel: 'cache', reason: 'fallback-cache' };
  return { channel: 'none', reason: 'no-fallback-available' };
}
