import {
  type ChannelKind,
  isTimeoutError,
  type Logger,
  type MarketCode,
  type MarketDataError,
  type MarketDirectory,
  type MarketDirectoryView,
  TimeoutError,
  UnknownSymbolError,
} from '@marketdata/domain';
import type { StatsCollector } from '../stats/stats-collector.js';

export interface SymbolListingOptions {
  readonly logger: Logger;
  /** The REST source's market directory (the one list, refreshed in one place); undefined when it has none. */
  readonly directory: MarketDirectory | undefined;
  readonly stats: StatsCollector;
  /** Whether a channel has answered for the symbol (it exists, whatever the list says). */
  readonly seen: (symbol: MarketCode) => boolean;
  /** Runs once the list is at hand (the market details index follows it); its promise is waited for too. */
  readonly afterReady?: (() => Promise<void> | undefined) | undefined;
}

/**
 * What the facade reads of the market directory: up-front answers for symbols Upbit does not list (its WebSocket
 * silently ignores such codes, so without this a typo ends in a timeout), and whether a symbol is confirmed to
 * exist. The backbone keeps no market list of its own; loading and refreshing are the directory's business.
 */
export class SymbolListing {
  constructor(private readonly options: SymbolListingOptions) {}

  /** Whether the listing must be waited for (the list is loading or due); false means it answers at once. */
  needsWait(): boolean {
    const directory = this.options.directory;
    return directory !== undefined && !directory.isFresh();
  }

  /** Resolves when the list is at hand (never for a failed load); rejects with the signal's reason on abort. */
  ready(signal: AbortSignal): Promise<void> {
    const ready = this.options.directory?.ready({ signal }) ?? Promise.resolve();
    const afterReady = this.options.afterReady;
    return afterReady === undefined ? ready : ready.then(() => afterReady());
  }

  /** The directory's `ready()` rejected without being aborted, which its port rules out: said once per rejection. */
  noteBroken(error: unknown): void {
    this.options.logger.warn('market directory ready() rejected; going on without the list', { error });
  }

  /** `UnknownSymbolError` for each symbol the list rules out (and no channel answered for), counted. No I/O. */
  unlisted(symbols: readonly MarketCode[], operation: string): Map<MarketCode, UnknownSymbolError> {
    const unlisted = new Map<MarketCode, UnknownSymbolError>();
    const directory = this.options.directory;
    if (directory === undefined) return unlisted;
    for (const symbol of symbols) {
      if (directory.isListed(symbol) !== false || this.options.seen(symbol)) continue;
      const error = new UnknownSymbolError(symbol, {
        channel: 'api',
        operation,
        upstreamMessage: 'not in the market list (GET /v1/market/all)',
      });
      this.options.stats.recordError(error);
      unlisted.set(symbol, error);
    }
    return unlisted;
  }

  /**
   * A WebSocket timeout for a symbol nobody has confirmed (not listed, never answered by a channel). Upbit's
   * WebSocket silently ignores codes it does not list, so such a timeout may be a typo rather than a channel fault:
   * it must not count against the channel (three typos would otherwise disable it for every symbol).
   */
  isSilentTimeout(channel: ChannelKind, error: MarketDataError, symbol: MarketCode): boolean {
    if (channel !== 'websocket' || error.code !== 'TIMEOUT') return false;
    return this.options.directory?.isListed(symbol) !== true && !this.options.seen(symbol);
  }

  view(): MarketDirectoryView | undefined {
    return this.options.directory?.view();
  }
}

/** The timeout, saying why it was not held against the channel. */
export function explainSilentTimeout(error: MarketDataError, symbol: MarketCode): TimeoutError {
  return new TimeoutError(
    `${error.message}; ${symbol} is not confirmed to exist (no market list says so and no channel has answered ` +
      `for it), and Upbit's WebSocket never answers a code it does not list`,
    {
      channel: 'websocket',
      operation: error.operation,
      symbol,
      cause: error,
      timeoutMs: isTimeoutError(error) ? error.timeoutMs : 0,
    },
  );
}
