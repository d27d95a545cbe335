import type { Clock, Logger } from '@marketdata/domain';

export interface ListedMarketsOptions {
  /** A loaded list is trusted this long (injected clock). */
  readonly ttlMs: number;
  /** After a failed load, do not ask again for this long (the caller falls back to something slower meanwhile). */
  readonly retryAfterFailureMs: number;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Loads the codes Upbit lists (`/v1/market/all`); rejects with the signal's reason when it aborts. */
  readonly load: (signal: AbortSignal) => Promise<readonly string[]>;
}

/**
 * The market codes Upbit lists (`/v1/market/all`), cached for `ttlMs`. It tells which codes of a ticker batch that
 * Upbit answered with 404 are the unknown ones, in one request of the `market` group instead of bisecting the
 * batch in the `ticker` group. Every `getMarkets` answer refreshes it too.
 *
 * A market listed after the list was loaded is missing from it until the list expires; within that time such a
 * market, asked for in a batch that also holds an unknown code, is reported unknown. Whether `/v1/ticker` knows
 * codes that `/v1/market/all` does not list is unknown (API.md); we assume it does not.
 */
export class ListedMarkets {
  private cache: { readonly codes: ReadonlySet<string>; readonly until: number } | undefined;
  private failedUntil = Number.NEGATIVE_INFINITY;

  constructor(private readonly options: ListedMarketsOptions) {}

  /** Stores a list just received from Upbit. */
  record(codes: Iterable<string>): ReadonlySet<string> {
    const set = new Set(codes);
    this.cache = { codes: set, until: this.options.clock.monotonic() + this.options.ttlMs };
    this.failedUntil = Number.NEGATIVE_INFINITY;
    return set;
  }

  /** The cached list while it is fresh. */
  fresh(): ReadonlySet<string> | undefined {
    const cache = this.cache;
    return cache !== undefined && this.options.clock.monotonic() < cache.until ? cache.codes : undefined;
  }

  /**
   * The list: the cached one while fresh, else loaded now. `undefined` when it cannot be had (the failure is logged
   * and not retried for `retryAfterFailureMs`). Rejects only when `signal` aborts.
   */
  async get(signal: AbortSignal): Promise<ReadonlySet<string> | undefined> {
    const cached = this.fresh();
    if (cached !== undefined) return cached;
    if (this.options.clock.monotonic() < this.failedUntil) return undefined;
    try {
      return this.record(await this.options.load(signal));
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      this.failedUntil = this.options.clock.monotonic() + this.options.retryAfterFailureMs;
      this.options.logger.warn('Could not load the Upbit market list', {
        error: error instanceof Error ? error.message : String(error),
        retryAfterMs: this.options.retryAfterFailureMs,
      });
      return undefined;
    }
  }
}
