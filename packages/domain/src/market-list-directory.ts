import { type MarketDataError, toMarketDataError } from './errors/index.js';
import type { MarketCode } from './market-code.js';
import type { Clock } from './ports/clock.js';
import type { Logger } from './ports/logger.js';
import type { MarketDirectory, MarketDirectoryView, RequestOptions } from './ports/sources.js';
import type { Market } from './types/market.js';
import { untilAborted } from './until-aborted.js';

/** How a {@link MarketListDirectory} loads its list and how long it keeps it. */
export interface MarketListDirectoryOptions {
  /** A list is fresh this long; `ready()` loads a new one after that. */
  readonly refreshMs: number;
  /** After a failed load, `ready()` does not load again for this long (the failure is reported meanwhile). */
  readonly retryAfterFailureMs: number;
  /** Times the list's age and the back-off (its monotonic clock). */
  readonly clock: Clock;
  /** Told of each failed load (a warning). */
  readonly logger: Logger;
  /** Loads every listed market; rejects with the signal's reason when it aborts. */
  readonly load: (signal: AbortSignal) => Promise<readonly Market[]>;
  /** The owner's lifetime: a load in progress stops when it aborts (and is then no failure). */
  readonly lifetime: AbortSignal;
  /** The warning logged when a load fails. */
  readonly failureMessage: string;
}

/** The list while it is at hand, or why it is not (the last load's error; undefined when none failed). */
export type MarketListAnswer =
  | { readonly markets: readonly Market[] }
  | { readonly error: MarketDataError | undefined };

/**
 * A {@link MarketDirectory} kept from a list loaded on demand: one load at a time, shared by every caller of
 * `ready()`, refreshed once older than `refreshMs`, not asked for again within `retryAfterFailureMs` of a failure.
 *
 * Nothing loads until someone calls `ready()`, and `isListed` never loads. A load goes on when the caller that
 * started it leaves (its answer serves the next caller); it stops only when `lifetime` aborts. After a failed refresh
 * the previous list keeps answering `isListed` (a stale list beats none); `view().lastError` says why it is stale.
 * A failure is kept as a `MarketDataError` of the REST channel's `getMarkets`.
 */
export class MarketListDirectory implements MarketDirectory {
  private list: readonly Market[] | undefined;
  private codes: ReadonlySet<string> | undefined;
  private loadedAt: number | undefined;
  private failedAt: number | undefined;
  private lastError: MarketDataError | undefined;
  private loading: Promise<void> | undefined;

  /** Loads nothing yet: the first `ready()` does. */
  constructor(private readonly options: MarketListDirectoryOptions) {}

  /** Listed or not according to the last list had; `undefined` when none has been had (not loaded, or failed). */
  isListed(symbol: MarketCode): boolean | undefined {
    return this.codes?.has(symbol);
  }

  /** Resolves once a fresh list is at hand or a load failed (never rejects for that); rejects when `signal` aborts. */
  ready(options: RequestOptions = {}): Promise<void> {
    if (this.isFresh()) return Promise.resolve();
    return untilAborted(this.loading ?? this.startLoad(), options.signal);
  }

  /** True when `ready()` would have nothing to load (a fresh list, or a recent failure still backing off). */
  isFresh(): boolean {
    return this.hasFreshList() || this.isBackingOff();
  }

  /** What the directory knows right now, for health reports. */
  view(): MarketDirectoryView {
    return { listed: this.codes?.size, loadedAtMonotonic: this.loadedAt, lastError: this.lastError };
  }

  /** The list while it is fresh; otherwise why not (the last load's error). */
  freshList(): MarketListAnswer {
    if (this.hasFreshList() && this.list !== undefined) return { markets: this.list };
    return { error: this.lastError };
  }

  /** The last list had, fresh or not; or why there is none (the last load's error). */
  lastList(): MarketListAnswer {
    return this.list !== undefined ? { markets: this.list } : { error: this.lastError };
  }

  private hasFreshList(): boolean {
    return this.loadedAt !== undefined && this.options.clock.monotonic() - this.loadedAt < this.options.refreshMs;
  }

  private isBackingOff(): boolean {
    return (
      this.failedAt !== undefined && this.options.clock.monotonic() - this.failedAt < this.options.retryAfterFailureMs
    );
  }

  private startLoad(): Promise<void> {
    const loading = this.load().finally(() => {
      if (this.loading === loading) this.loading = undefined;
    });
    this.loading = loading;
    return loading;
  }

  /** Never rejects: a failure is kept for `view()` and logged. */
  private async load(): Promise<void> {
    const { clock, logger, lifetime } = this.options;
    try {
      const markets = await this.options.load(lifetime);
      this.list = markets;
      this.codes = new Set(markets.map((market) => market.symbol));
      this.loadedAt = clock.monotonic();
      this.failedAt = undefined;
      this.lastError = undefined;
    } catch (error) {
      if (lifetime.aborted) return;
      this.failedAt = clock.monotonic();
      this.lastError = toMarketDataError(error, { channel: 'rest', operation: 'getMarkets' });
      logger.warn(this.options.failureMessage, {
        error: this.lastError.message,
        retryAfterMs: this.options.retryAfterFailureMs,
        keptListOf: this.codes?.size,
      });
    }
  }
}
