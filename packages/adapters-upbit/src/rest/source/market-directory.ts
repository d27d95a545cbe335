import {
  type Clock,
  type Logger,
  type Market,
  type MarketCode,
  type MarketDataError,
  type MarketDirectory,
  type MarketDirectoryView,
  type RequestOptions,
  toMarketDataError,
} from '@marketdata/domain';
import { untilAborted } from '../http/until-aborted.js';

export interface UpbitMarketDirectoryOptions {
  /** A list is fresh this long (`marketListTtlMs`); `ready()` loads a new one after that. */
  readonly refreshMs: number;
  /** After a failed load, `ready()` does not load again for this long (the failure is reported meanwhile). */
  readonly retryAfterFailureMs: number;
  readonly clock: Clock;
  readonly logger: Logger;
  /** `/v1/market/all?isDetails=true`, mapped; rejects with the signal's reason when it aborts. */
  readonly load: (signal: AbortSignal) => Promise<readonly Market[]>;
  /** The source's lifetime: a load in progress stops when the source closes. */
  readonly lifetime: AbortSignal;
}

/** After a failed load of the market list, nobody asks for it again for this long. */
export const MARKET_LIST_RETRY_AFTER_FAILURE_MS = 10_000;

/**
 * The one list of Upbit's markets (`/v1/market/all?isDetails=true`), owned by the REST source and loaded in one
 * place: one load at a time, shared by every caller of `ready()`, refreshed once older than `refreshMs`, not asked
 * for again within `retryAfterFailureMs` of a failure. `getMarkets()` answers from it, REST batch isolation of
 * unknown codes reads it, and the facade hands it to whoever needs `isListed`.
 *
 * Loading is on demand: nothing loads until someone calls `ready()` (or `getMarkets()`), and `isListed` never loads.
 * A load goes on when the caller that started it leaves (its answer serves the next caller); it stops only when the
 * source closes. After a failed refresh the previous list keeps answering `isListed` (a stale list beats none);
 * `view().lastError` says why it is stale.
 *
 * A market listed after the list was loaded is missing from it until the next refresh. Whether `/v1/ticker` knows
 * codes that `/v1/market/all` does not list is unknown (API.md); we assume it does not.
 */
export class UpbitMarketDirectory implements MarketDirectory {
  private list: readonly Market[] | undefined;
  private codes: ReadonlySet<string> | undefined;
  private loadedAt: number | undefined;
  private failedAt: number | undefined;
  private lastError: MarketDataError | undefined;
  private loading: Promise<void> | undefined;

  constructor(private readonly options: UpbitMarketDirectoryOptions) {}

  isListed(symbol: MarketCode): boolean | undefined {
    return this.codes?.has(symbol);
  }

  ready(options: RequestOptions = {}): Promise<void> {
    if (this.isFresh()) return Promise.resolve();
    return untilAborted(this.loading ?? this.startLoad(), options.signal);
  }

  isFresh(): boolean {
    return this.hasFreshList() || this.isBackingOff();
  }

  /** What the directory knows right now, for health reports. */
  view(): MarketDirectoryView {
    return { listed: this.codes?.size, loadedAtMonotonic: this.loadedAt, lastError: this.lastError };
  }

  /** The list while it is fresh; otherwise why not (the last load's error), or undefined when closed. */
  freshList(): { readonly markets: readonly Market[] } | { readonly error: MarketDataError | undefined } {
    if (this.hasFreshList() && this.list !== undefined) return { markets: this.list };
    return { error: this.lastError };
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
      logger.warn('Could not load the Upbit market list', {
        error: this.lastError.message,
        retryAfterMs: this.options.retryAfterFailureMs,
        keptListOf: this.codes?.size,
      });
    }
  }
}
