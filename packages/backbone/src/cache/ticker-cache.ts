import type { ChannelTicker, Clock, MarketCode } from '@marketdata/domain';
import type { FreshnessJudge } from '../freshness/freshness-judge.js';
import type { CachedTicker } from '../router/route-types.js';
import { type CacheCounters, TtlCache } from './ttl-cache.js';

export interface TickerCacheOptions {
  readonly clock: Clock;
  readonly ttlMs: number;
  readonly maxEntries: number;
  /** Where a symbol's expected interval comes from (the router serves a cache hit younger than it). */
  readonly judge: FreshnessJudge;
}

/** The facade's TTL cache of channel tickers, aged from each value's monotonic receipt. */
export class TickerCache {
  private readonly cache: TtlCache<MarketCode, ChannelTicker>;

  constructor(private readonly options: TickerCacheOptions) {
    this.cache = new TtlCache({ ttlMs: options.ttlMs, maxEntries: options.maxEntries, clock: options.clock });
  }

  /** Keeps the newest value per symbol, aged from its receipt; never replaces a newer one. */
  remember(tick: ChannelTicker): void {
    const current = this.cache.peek(tick.symbol);
    if (current !== undefined && current.value.receivedAtMonotonic > tick.receivedAtMonotonic) return;
    this.cache.set(tick.symbol, tick, this.options.clock.monotonic() - tick.receivedAtMonotonic);
  }

  /**
   * The symbol's entry within its TTL, read once: the router decides on it and, when it decides for the cache, the
   * same read is served (`noteHit`). Not counted as a lookup by itself. `now`: the caller's monotonic reading.
   */
  condition(symbol: MarketCode, now?: number): CachedTicker | undefined {
    const hit = this.cache.peek(symbol, now);
    if (hit === undefined) return undefined;
    const expectedIntervalMs = this.options.judge.expectedIntervalMs('ticker', symbol);
    return { ageMs: hit.ageMs, expectedIntervalMs, value: hit.value };
  }

  /** A value read by `condition` was served. */
  noteHit(): void {
    this.cache.noteHit();
  }

  /** A lookup decided without the cache (a live channel served the request). */
  noteMiss(): void {
    this.cache.noteMiss();
  }

  counters(): CacheCounters {
    return this.cache.counters();
  }
}
