import {
  type ChannelKind,
  type ChannelTicker,
  type Clock,
  type Logger,
  type MarketCode,
  type MarketDataError,
  type StreamingSource,
  type TickerSource,
  toMarketDataError,
} from '@marketdata/domain';
import type { TtlCache } from '../cache/ttl-cache.js';
import type { BackboneConfig } from '../config/backbone-config.js';
import type { ChannelRouter } from '../router/channel-router.js';
import type { CacheCondition } from '../router/route-types.js';
import type { StatsCollector } from '../stats/stats-collector.js';
import type { ServeContext, Unifier } from '../unifier/unifier.js';
import type { FallbackEpisodes } from './fallback-episodes.js';

/** The small parts the facade is made of, shared by its operations. */
export interface BackboneParts {
  readonly clock: Clock;
  readonly logger: Logger;
  readonly config: BackboneConfig;
  readonly rest: TickerSource;
  /** Undefined when absent or switched off by `useWebsocket: false`. */
  readonly websocket: StreamingSource | undefined;
  readonly router: ChannelRouter;
  readonly unifier: Unifier;
  readonly cache: TtlCache<MarketCode, ChannelTicker>;
  readonly stats: StatsCollector;
  readonly episodes: FallbackEpisodes;
  /** Aborted by `close()`. */
  readonly lifetime: AbortSignal;
}

/** Failures that say nothing about the channel's health: the other channel would answer the same. */
export function isChannelFault(error: MarketDataError): boolean {
  return error.code !== 'UNKNOWN_SYMBOL' && error.code !== 'INVALID_MARKET_CODE';
}

export function describeError(error: MarketDataError): string {
  return `${error.name}: ${error.message}`;
}

export function classify(error: unknown, channel: ChannelKind, operation: string, symbol?: string): MarketDataError {
  return toMarketDataError(error, { channel, operation, symbol });
}

/**
 * Keeps the newest value per symbol in the cache, aged from its receipt, never replacing a newer one. Receipts are
 * compared and aged on the monotonic clock (the tick's own `receivedAt` is wall time, which can jump).
 */
export function remember(parts: BackboneParts, tick: ChannelTicker): void {
  const { unifier } = parts;
  const receivedAt = unifier.receivedAtMonotonic(tick);
  const current = parts.cache.peek(tick.symbol);
  if (current !== undefined && unifier.receivedAtMonotonic(current.value) > receivedAt) return;
  parts.cache.set(tick.symbol, tick, parts.clock.monotonic() - receivedAt);
}

/** The stream's rhythm figures for a symbol, when the WebSocket knows it. */
export function streamFigures(
  parts: BackboneParts,
  symbol: MarketCode,
): Pick<ServeContext, 'streamExpectedIntervalMs' | 'suspectedStaleByStream'> {
  const freshness = parts.websocket?.freshness(symbol, 'ticker');
  return {
    streamExpectedIntervalMs: freshness?.expectedIntervalMs,
    suspectedStaleByStream: freshness?.suspectedStale,
  };
}

/** The symbol's cache entry within its TTL, as the router sees it (not counted as a lookup). */
export function cacheCondition(parts: BackboneParts, symbol: MarketCode): CacheCondition | undefined {
  const hit = parts.cache.peek(symbol);
  if (hit === undefined) return undefined;
  const fromStream = parts.websocket?.freshness(symbol, 'ticker')?.expectedIntervalMs;
  return { ageMs: hit.ageMs, expectedIntervalMs: parts.unifier.expectedIntervalMs(symbol, fromStream) };
}
