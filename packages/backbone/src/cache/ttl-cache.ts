import type { Clock } from '@marketdata/domain';

export interface TtlCacheOptions {
  readonly ttlMs: number;
  /** Oldest entries are evicted beyond this. */
  readonly maxEntries: number;
  readonly clock: Clock;
}

/** A cached value with its age: the cache never hands out a value without saying how old it is. */
export interface CacheHit<V> {
  readonly value: V;
  /** Milliseconds since the value was stored (monotonic time, immune to wall-clock jumps). */
  readonly ageMs: number;
}

/** The ticker cache's counters. */
export interface CacheCounters {
  readonly hits: number;
  readonly misses: number;
  /** Lookups that found an entry past its TTL (also counted as misses). */
  readonly expired: number;
  readonly evicted: number;
  readonly size: number;
}

interface Entry<V> {
  readonly value: V;
  readonly storedAt: number;
}

/**
 * A TTL cache that never returns a value older than `ttlMs`. Expiry is checked on read (no timers, so nothing
 * to clean up); entries past their TTL are dropped when seen, and the map is bounded by `maxEntries`.
 */
export class TtlCache<K, V> {
  private readonly entries = new Map<K, Entry<V>>();
  private hits = 0;
  private misses = 0;
  private expired = 0;
  private evicted = 0;

  constructor(private readonly options: TtlCacheOptions) {}

  get ttlMs(): number {
    return this.options.ttlMs;
  }

  /**
   * Stores a value. `alreadyAgedMs` back-dates it: a value received some time before it is stored is as old as
   * its receipt, not as its storing.
   */
  set(key: K, value: V, alreadyAgedMs = 0): void {
    // Re-inserting moves the key to the end, so the first key is (nearly always) the one stored longest ago.
    this.entries.delete(key);
    this.entries.set(key, { value, storedAt: this.options.clock.monotonic() - Math.max(0, alreadyAgedMs) });
    while (this.entries.size > this.options.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done === true) break;
      this.entries.delete(oldest.value);
      this.evicted++;
    }
  }

  /** A lookup that counts as a hit or a miss. */
  get(key: K): CacheHit<V> | undefined {
    const hit = this.lookup(key);
    if (hit === undefined) this.misses++;
    else this.hits++;
    return hit;
  }

  /** Looks without counting (for routing decisions). Still never returns an expired value. */
  peek(key: K, now?: number): CacheHit<V> | undefined {
    return this.lookup(key, now);
  }

  /** Counts a `peek` whose value was then served as a hit. */
  noteHit(): void {
    this.hits++;
  }

  /** Counts a lookup that was decided without the cache (a live channel served the request). */
  noteMiss(): void {
    this.misses++;
  }

  delete(key: K): void {
    this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }

  counters(): CacheCounters {
    return {
      hits: this.hits,
      misses: this.misses,
      expired: this.expired,
      evicted: this.evicted,
      size: this.entries.size,
    };
  }

  private lookup(key: K, now = this.options.clock.monotonic()): CacheHit<V> | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    const ageMs = now - entry.storedAt;
    if (ageMs > this.options.ttlMs) {
      this.entries.delete(key);
      this.expired++;
      return undefined;
    }
    return { value: entry.value, ageMs };
  }
}
