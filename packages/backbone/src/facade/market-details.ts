import type { Logger, Market, MarketCode, MarketDirectory, RequestOptions } from '@marketdata/domain';
import type { MarketStatusFacts } from '../unifier/market-status.js';

export interface MarketDetailsOptions {
  /** The REST source's market directory (the one list). */
  readonly directory: MarketDirectory;
  /** The REST source's `getMarkets`: answers from the directory (a fresh list costs no request). */
  readonly getMarkets: (options?: RequestOptions) => Promise<readonly Market[]>;
  readonly logger: Logger;
  /** Aborted by `close()`. */
  readonly lifetime: AbortSignal;
}

/**
 * The market directory's details (warnings, cautions) by symbol, for grading: the backbone keeps no list of its
 * own, only an index of the directory's latest list, rebuilt when the directory loaded a newer one. Reading is
 * synchronous (grading is); the index follows the directory without ever making it load: it is only rebuilt while
 * the directory's list is fresh, so `getMarkets` answers from memory. Between a load and the rebuild (a microtask or
 * two) the previous index answers.
 */
export class MarketDetails {
  /** Each listed market's grading facts, made once per list (not once per read). */
  private index: ReadonlyMap<MarketCode, MarketStatusFacts> | undefined;
  private list: readonly Market[] | undefined;
  private indexedLoad: number | undefined;
  private rebuilding: Promise<void> | undefined;

  constructor(private readonly options: MarketDetailsOptions) {}

  /** The symbol's details as grading facts, from the latest list indexed; undefined when unknown. */
  facts(symbol: MarketCode): MarketStatusFacts | undefined {
    this.followDirectory();
    return this.index?.get(symbol);
  }

  /** Brings the index up to the directory's list: a promise to wait for when it is behind a fresh list. */
  settle(): Promise<void> | undefined {
    this.followDirectory();
    return this.rebuilding;
  }

  /** The latest list indexed, with the directory's load time (monotonic). */
  latest(): { readonly markets: readonly Market[]; readonly loadedAtMonotonic: number } | undefined {
    this.followDirectory();
    const loadedAtMonotonic = this.indexedLoad;
    if (this.list === undefined || loadedAtMonotonic === undefined) return undefined;
    return { markets: this.list, loadedAtMonotonic };
  }

  /** Takes a list `getMarkets` just gave, loaded at the directory's current load time. */
  accept(markets: readonly Market[]): void {
    const loadedAt = this.options.directory.view().loadedAtMonotonic;
    if (loadedAt === undefined) return;
    this.apply(markets, loadedAt);
  }

  private followDirectory(): void {
    const { directory, lifetime } = this.options;
    if (this.rebuilding !== undefined || lifetime.aborted) return;
    const loadedAt = directory.view().loadedAtMonotonic;
    if (loadedAt === undefined || loadedAt === this.indexedLoad || !directory.isFresh()) return;
    this.rebuilding = this.options
      .getMarkets({ signal: lifetime })
      .then(
        (markets) => this.apply(markets, loadedAt),
        (error: unknown) => {
          if (!lifetime.aborted) this.options.logger.debug('market details not indexed', { error });
        },
      )
      .finally(() => {
        this.rebuilding = undefined;
      });
  }

  private apply(markets: readonly Market[], loadedAt: number): void {
    if (this.indexedLoad !== undefined && loadedAt < this.indexedLoad) return;
    this.list = markets;
    this.index = new Map(
      markets.map((market) => [
        market.symbol,
        { from: 'market list', warning: market.warning, cautions: market.cautions } satisfies MarketStatusFacts,
      ]),
    );
    this.indexedLoad = loadedAt;
  }
}
