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
import { untilSignal } from './until-signal.js';

export interface FleetDirectoryOptions {
  /** A list is fresh this long. */
  readonly refreshMs: number;
  /** After a failed load, no new load for this long (the failure is reported meanwhile). */
  readonly retryAfterFailureMs: number;
  readonly clock: Clock;
  readonly logger: Logger;
  /** `getMarkets` through the gateway; rejects with the signal's reason when it aborts. */
  readonly load: (signal: AbortSignal) => Promise<readonly Market[]>;
  readonly lifetime: AbortSignal;
}

/**
 * The market list as the gateway has it (its REST source's one directory, asked for by request/reply): one load at a
 * time shared by every caller, refreshed once older than `refreshMs`, not asked again within `retryAfterFailureMs` of
 * a failure; a failed refresh keeps the previous list answering `isListed`. Nothing loads until `ready()` is called.
 */
export class FleetMarketDirectory implements MarketDirectory {
  private list: readonly Market[] | undefined;
  private codes: ReadonlySet<string> | undefined;
  private loadedAt: number | undefined;
  private failedAt: number | undefined;
  private lastError: MarketDataError | undefined;
  private loading: Promise<void> | undefined;

  constructor(private readonly options: FleetDirectoryOptions) {}

  isListed(symbol: MarketCode): boolean | undefined {
    return this.codes?.has(symbol);
  }

  ready(options: RequestOptions = {}): Promise<void> {
    if (this.isFresh()) return Promise.resolve();
    this.loading ??= this.load().finally(() => {
      this.loading = undefined;
    });
    return untilSignal(this.loading, options.signal);
  }

  isFresh(): boolean {
    const now = this.options.clock.monotonic();
    const fresh = this.loadedAt !== undefined && now - this.loadedAt < this.options.refreshMs;
    const backingOff = this.failedAt !== undefined && now - this.failedAt < this.options.retryAfterFailureMs;
    return fresh || backingOff;
  }

  view(): MarketDirectoryView {
    return { listed: this.codes?.size, loadedAtMonotonic: this.loadedAt, lastError: this.lastError };
  }

  /** The last list had (fresh or not), or why there is none. */
  markets(): { readonly markets: readonly Market[] } | { readonly error: MarketDataError | undefined } {
    return this.list !== undefined ? { markets: this.list } : { error: this.lastError };
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
      logger.warn('Could not load the market list from the fleet gateway', {
        error: this.lastError.message,
        retryAfterMs: this.options.retryAfterFailureMs,
        keptListOf: this.codes?.size,
      });
    }
  }
}
