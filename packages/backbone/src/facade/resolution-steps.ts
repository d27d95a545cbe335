import type { ChannelKind, ChannelTicker, MarketCode, MarketDataError } from '@marketdata/domain';
import type { TickerCache } from '../cache/ticker-cache.js';
import type { ChannelRouter } from '../router/channel-router.js';
import type { CachedTicker, RequestedSource, RouteChannel } from '../router/route-types.js';
import type { FallbackEpisodes } from './fallback-episodes.js';

/** Where one symbol's request stands: the channel to try next and what happened so far. */
export interface Step {
  readonly symbol: MarketCode;
  readonly channel: RouteChannel;
  readonly attempted: readonly ChannelKind[];
  readonly fallbackFrom: ChannelKind | undefined;
  readonly fallbackReason: string | undefined;
  readonly probe: boolean;
  readonly lastError: MarketDataError | undefined;
  /** Why the step's channel was chosen; written only when an error needs it (not on the hot path). */
  readonly detail: () => string;
  /** The cache entry the decision for the cache was made on: served as read, never looked up again. */
  readonly cached: CachedTicker | undefined;
}

export type Fetched =
  | { readonly ok: true; readonly tick: ChannelTicker }
  | { readonly ok: false; readonly error: unknown };

export interface StepDeps {
  readonly router: ChannelRouter;
  readonly cache: TickerCache;
  readonly episodes: FallbackEpisodes;
}

/** A symbol's first step: the router's decision (counted there), a cache miss noted, a fallback labelled. */
export function firstStep(
  deps: StepDeps,
  symbol: MarketCode,
  requested: RequestedSource,
  strict: boolean,
  now: number,
): Step {
  const { router, cache, episodes } = deps;
  const decision = router.route({ symbol, kind: 'ticker', operation: 'get', requested }, now);
  if (decision.channel === 'none' && requested !== 'auto' && !strict) {
    return preferenceUnavailable(deps, symbol, requested, `${decision.reason}: ${decision.detail}`);
  }
  if (requested === 'auto' && decision.channel !== 'cache') cache.noteMiss();
  if (decision.fallbackFrom !== undefined && decision.channel !== 'none') {
    episodes.fellBack(decision.fallbackFrom, decision.channel, decision.detail);
  }
  return {
    symbol,
    channel: decision.channel,
    attempted: [],
    fallbackFrom: decision.fallbackFrom,
    fallbackReason: decision.fallbackFrom === undefined ? undefined : `${decision.reason} (${decision.detail})`,
    probe: decision.probe,
    lastError: undefined,
    detail: () => `${decision.reason}: ${decision.detail}`,
    cached: decision.cached,
  };
}

/**
 * The caller preferred a channel that cannot serve now (disabled, not configured): without `strict` that is a
 * failure of the preferred channel, so the call falls back as `auto` would (labelled).
 */
function preferenceUnavailable(deps: StepDeps, symbol: MarketCode, preferred: ChannelKind, detail: string): Step {
  const { router, cache, episodes } = deps;
  const next = router.fallback('auto', [preferred], true, cache.condition(symbol));
  if (next.channel !== 'none') episodes.fellBack(preferred, next.channel, detail);
  return {
    symbol,
    channel: next.channel,
    attempted: [preferred],
    fallbackFrom: preferred,
    fallbackReason: detail,
    probe: next.probe,
    lastError: undefined,
    detail: () => detail,
    cached: next.cached,
  };
}
