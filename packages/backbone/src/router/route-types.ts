import type { ChannelKind, ChannelTicker, StreamKind } from '@marketdata/domain';
import type { RouterConfig } from '../config/backbone-config.js';
import type { StreamCondition } from '../freshness/verdicts.js';

export type { StreamCondition } from '../freshness/verdicts.js';

/** What the caller asked for; `realtime` and `historical` are normalized to `websocket` and `rest` before this. */
export type RequestedSource = 'auto' | 'rest' | 'websocket';
export type RouteOperation = 'get' | 'watch';

/** `probe-due`: disabled, but the backoff has passed; the next request the rules send there is a recovery probe. */
export type ChannelState = 'enabled' | 'disabled' | 'probe-due';

export interface ChannelCondition {
  /** False for a channel that is absent or switched off by configuration. */
  readonly configured: boolean;
  readonly state: ChannelState;
  /** Failure share of the recent outcomes; undefined while there are too few to judge. */
  readonly errorRate: number | undefined;
  readonly latencyEwmaMs: number | undefined;
}

/** A cache entry within its TTL. */
export interface CacheCondition {
  readonly ageMs: number;
  readonly expectedIntervalMs: number;
}

/**
 * A cache entry as one read found it: the condition the router decides on and the value served if it decides for
 * the cache. Served from this same read, never from a second lookup (the entry may expire in between).
 */
export interface CachedTicker extends CacheCondition {
  readonly value: ChannelTicker;
}

export type RouterThresholds = Pick<RouterConfig, 'hotRequestsPerSecond' | 'maxErrorRate' | 'restSlowMs'>;

export interface RouteInput {
  readonly kind: StreamKind;
  readonly operation: RouteOperation;
  readonly requested: RequestedSource;
  /** This symbol's request frequency over the sliding window, this request included. */
  readonly requestRatePerSecond: number;
  readonly rest: ChannelCondition;
  readonly websocket: ChannelCondition;
  /** The freshness judge's view of the symbol's ticker feed; undefined when nothing has arrived. */
  readonly stream: StreamCondition | undefined;
  readonly cache: CacheCondition | undefined;
  readonly thresholds: RouterThresholds;
}

/** Why the router sent a call where it did (counted in `stats().routing.decisions`). */
export type RouteReason =
  | 'requested-rest'
  | 'requested-websocket'
  | 'requested-channel-disabled'
  | 'requested-channel-not-configured'
  | 'stream-requires-websocket'
  | 'stream-websocket'
  | 'stream-rest'
  | 'stream-websocket-disabled'
  | 'all-channels-down-cache'
  | 'all-channels-down'
  | 'cache-fresh'
  | 'hot-websocket-fresh'
  | 'websocket-unavailable'
  | 'websocket-error-rate'
  | 'websocket-warming-up'
  | 'websocket-stale-confirm-by-rest'
  | 'websocket-stale-rest-unavailable'
  | 'cold-rest'
  | 'rest-error-rate'
  | 'rest-slow-websocket-fresh'
  | 'rest-unavailable';

export type RouteChannel = ChannelKind | 'cache' | 'none';

export interface RouteDecision {
  readonly channel: RouteChannel;
  readonly reason: RouteReason;
  /** The numbers behind the reason, for logs. */
  readonly detail: string;
  readonly hot: boolean;
  /** This request goes to a disabled channel whose backoff has passed: its outcome decides re-enabling. */
  readonly probe: boolean;
  /** The channel the rules preferred but could not use (the result is then labelled a fallback). */
  readonly fallbackFrom: ChannelKind | undefined;
}

export type FallbackReason =
  | 'explicit-source-no-fallback'
  | 'not-a-channel-fault'
  | 'fallback-rest'
  | 'fallback-websocket'
  | 'fallback-cache'
  | 'no-fallback-available';

export interface FallbackInput {
  readonly requested: RequestedSource;
  /** Channels already tried for this request, in order; the last one just failed. */
  readonly attempted: readonly ChannelKind[];
  /** Whether the failure says something about the channel (a timeout does; an unknown symbol does not). */
  readonly channelFault: boolean;
  readonly rest: ChannelCondition;
  readonly websocket: ChannelCondition;
  readonly cache: CacheCondition | undefined;
}

export interface FallbackDecision {
  readonly channel: RouteChannel;
  readonly reason: FallbackReason;
}
