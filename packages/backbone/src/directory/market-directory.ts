import {
  type Clock,
  DataValidationError,
  isMarketCode,
  type Logger,
  type MarketCode,
  type MarketListSource,
  toMarketDataError,
} from '@marketdata/domain';
import { callWithDeadline } from '../facade/call-with-deadline.js';

/**
 * `listed`: Upbit lists the market (or a channel has answered for it). `unlisted`: the current market list does not
 * have it. `unverified`: no usable list (no market-list source, or it failed), so nobody can tell.
 */
export type Listing = 'listed' | 'unlisted' | 'unverified';

/** `absent`: the REST source has no market list. `failed`: the last fetch failed (an older list may still be used). */
export type MarketListState = 'absent' | 'not-loaded' | 'loaded' | 'failed';

export interface MarketDirectoryView {
  readonly state: MarketListState;
  readonly markets: number;
  /** Milliseconds since the list in use was fetched; undefined without one. */
  readonly ageMs: number | undefined;
  readonly fetches: number;
  readonly failures: number;
  readonly lastError: string | undefined;
}

export interface MarketDirectoryOptions {
  /** Undefined when the REST source cannot list markets: every symbol not yet seen is then `unverified`. */
  readonly source: MarketListSource | undefined;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Deadline of one market-list request. */
  readonly timeoutMs: number;
  /** Aborts a fetch in flight (the facade's lifetime). */
  readonly lifetime: AbortSignal;
  /** A list older than this is refreshed in the background on the next lookup. Default 10 min. */
  readonly refreshIntervalMs?: number | undefined;
  /** A symbol the list lacks triggers a (waited for) refresh when the list is older than this. Default 60 s. */
  readonly recheckUnlistedAfterMs?: number | undefined;
  /** After a failed fetch, the next attempt waits this long. Default 60 s. */
  readonly retryAfterFailureMs?: number | undefined;
  /** Bound on the symbols remembered as answered by a channel. Default 10,000. */
  readonly maxSeen?: number | undefined;
}

const DEFAULTS = {
  refreshIntervalMs: 600_000,
  recheckUnlistedAfterMs: 60_000,
  retryAfterFailureMs: 60_000,
  maxSeen: 10_000,
};

interface LoadedList {
  readonly markets: ReadonlySet<MarketCode>;
  readonly fetchedAt: number;
}

/**
 * Which markets exist, from the REST source's market list (fetched lazily on first use, refreshed on the injected
 * clock, no timers) plus the symbols a channel has actually answered for. Upbit's WebSocket silently ignores codes
 * it does not list, so this is what lets the facade answer a typo with `UnknownSymbolError` instead of a timeout.
 *
 * Only the first load is waited for; later refreshes run in the background while the old list keeps answering.
 * A symbol the list lacks waits for one refresh when the list is older than `recheckUnlistedAfterMs`, so a market
 * listed since is found (at most one market-list request per that interval). Failures are tolerated: without a
 * list (or with one older than the refresh interval after a failed refresh) symbols not seen are `unverified` and
 * the facade behaves as it would without a directory.
 */
export class MarketDirectory {
  private readonly settings: typeof DEFAULTS;
  private list: LoadedList | undefined;
  private readonly seen = new Set<MarketCode>();
  private inFlight: Promise<void> | undefined;
  private lastFailure: { readonly at: number; readonly error: string } | undefined;
  private fetches = 0;
  private failures = 0;

  constructor(private readonly options: MarketDirectoryOptions) {
    this.settings = {
      refreshIntervalMs: options.refreshIntervalMs ?? DEFAULTS.refreshIntervalMs,
      recheckUnlistedAfterMs: options.recheckUnlistedAfterMs ?? DEFAULTS.recheckUnlistedAfterMs,
      retryAfterFailureMs: options.retryAfterFailureMs ?? DEFAULTS.retryAfterFailureMs,
      maxSeen: options.maxSeen ?? DEFAULTS.maxSeen,
    };
  }

  /**
   * Gets the list ready for these symbols. Returns a promise to await when their listing depends on a fetch (the
   * first load, or a recheck for a symbol the list lacks); otherwise undefined, at most starting a background
   * refresh, so the usual path does no I/O and adds no wait. The promise never rejects.
   */
  prepare(symbols: readonly MarketCode[]): Promise<void> | undefined {
    if (this.options.source === undefined || this.options.lifetime.aborted || symbols.length === 0) return undefined;
    const now = this.options.clock.monotonic();
    const list = this.list;
    if (list === undefined) {
      // First load: wait for it. After a failure, do not hold callers again; retry in the background.
      if (this.lastFailure === undefined) return this.fetch();
      if (this.retryDue(now)) void this.fetch();
      return undefined;
    }
    const age = now - list.fetchedAt;
    const lacking = symbols.some((symbol) => !list.markets.has(symbol) && !this.seen.has(symbol));
    if (lacking && age >= this.settings.recheckUnlistedAfterMs && this.retryDue(now)) return this.fetch();
    if (age >= this.settings.refreshIntervalMs && this.retryDue(now)) void this.fetch();
    return undefined;
  }

  listing(symbol: MarketCode): Listing {
    const list = this.list;
    if (this.seen.has(symbol) || list?.markets.has(symbol) === true) return 'listed';
    if (list === undefined) return 'unverified';
    const outdated = this.options.clock.monotonic() - list.fetchedAt >= this.settings.refreshIntervalMs;
    // A list we could not refresh in time cannot rule a symbol out any more.
    return outdated && this.lastFailure !== undefined ? 'unverified' : 'unlisted';
  }

  /** A channel answered for this symbol: it exists, whatever the list says. */
  noteSeen(symbol: MarketCode): void {
    if (this.seen.has(symbol)) return;
    if (this.seen.size >= this.settings.maxSeen) {
      const oldest = this.seen.values().next();
      if (oldest.done !== true) this.seen.delete(oldest.value);
    }
    this.seen.add(symbol);
  }

  view(): MarketDirectoryView {
    const list = this.list;
    let state: MarketListState;
    if (this.options.source === undefined) state = 'absent';
    else if (this.lastFailure !== undefined) state = 'failed';
    else state = list === undefined ? 'not-loaded' : 'loaded';
    return {
      state,
      markets: list?.markets.size ?? 0,
      ageMs: list === undefined ? undefined : this.options.clock.monotonic() - list.fetchedAt,
      fetches: this.fetches,
      failures: this.failures,
      lastError: this.lastFailure?.error,
    };
  }

  private retryDue(now: number): boolean {
    if (this.inFlight !== undefined) return true;
    return this.lastFailure === undefined || now - this.lastFailure.at >= this.settings.retryAfterFailureMs;
  }

  /** One fetch at a time; callers arriving meanwhile share it. */
  private fetch(): Promise<void> {
    this.inFlight ??= this.load().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  private async load(): Promise<void> {
    const { source, clock, logger, lifetime, timeoutMs } = this.options;
    if (source === undefined) return;
    this.fetches++;
    try {
      const markets = await callWithDeadline(
        { clock, timeoutMs, signals: [lifetime], channel: 'rest', operation: 'getMarkets' },
        (signal) => source.getMarkets({ signal, timeoutMs }),
      );
      const codes = listedCodes(markets);
      const recovered = this.lastFailure !== undefined;
      this.list = { markets: codes, fetchedAt: clock.monotonic() };
      this.lastFailure = undefined;
      if (recovered) logger.info('market list available again', { markets: codes.size });
      else logger.debug('market list loaded', { markets: codes.size });
    } catch (raw) {
      if (lifetime.aborted) return;
      const error = toMarketDataError(raw, { channel: 'rest', operation: 'getMarkets' });
      const firstFailure = this.lastFailure === undefined;
      this.failures++;
      this.lastFailure = { at: clock.monotonic(), error: `${error.name}: ${error.message}` };
      // Once per failure episode: symbols are then routed as if there were no directory.
      if (firstFailure) {
        logger.warn('market list unavailable: unknown symbols cannot be told from silent websocket codes', {
          error: this.lastFailure.error,
          usingListFetchedMsAgo: this.list === undefined ? undefined : clock.monotonic() - this.list.fetchedAt,
        });
      }
    }
  }
}

/** The well-formed codes of a market-list answer. An empty answer is refused: it would make every symbol unknown. */
function listedCodes(markets: unknown): ReadonlySet<MarketCode> {
  const codes = new Set<MarketCode>();
  if (Array.isArray(markets)) {
    for (const market of markets) {
      const symbol =
        typeof market === 'object' && market !== null ? (market as { symbol?: unknown }).symbol : undefined;
      if (isMarketCode(symbol)) codes.add(symbol);
    }
  }
  if (codes.size === 0) {
    throw new DataValidationError('The market list named no market', {
      channel: 'rest',
      operation: 'getMarkets',
      path: '$',
      value: Array.isArray(markets) ? `array of ${markets.length}` : typeof markets,
    });
  }
  return codes;
}

/** The source's market list, when it has one (the REST adapter does; a bare ticker source may not). */
export function marketListSourceOf(source: unknown): MarketListSource | undefined {
  if (typeof source !== 'object' || source === null) return undefined;
  const candidate = source as Partial<MarketListSource>;
  const getMarkets = candidate.getMarkets;
  if (typeof getMarkets !== 'function') return undefined;
  return { getMarkets: (options) => getMarkets.call(candidate, options) };
}
