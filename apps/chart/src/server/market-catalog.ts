import type { Clock, Logger, TimerHandle } from '@marketdata/domain';
import type { ChartFeed, ChartMarket } from '../feed/chart-feed.js';
import { asMarketDataError } from '../feed/errors.js';

/** Re-read the market list this often (names, warnings and cautions change; the REST directory caches it). */
export const MARKET_REFRESH_MS = 60_000;

/** The market list the picker shows, kept fresh; listeners hear when it changed. */
export class MarketCatalog {
  private markets: readonly ChartMarket[] = [];
  private bySymbol = new Map<string, ChartMarket>();
  private readonly listeners = new Set<() => void>();
  private timer: TimerHandle | undefined;
  private stopped = false;

  constructor(
    private readonly deps: {
      readonly feed: ChartFeed;
      readonly clock: Clock;
      readonly logger: Logger;
      readonly refreshMs?: number | undefined;
    },
  ) {}

  /** The first load; rejects when the list cannot be had (the server does not start without it). */
  async load(signal?: AbortSignal): Promise<void> {
    this.replace(await this.deps.feed.markets({ signal }));
  }

  /** Starts refreshing; a failed refresh keeps the list it has and is logged. */
  start(): void {
    const refresh = (): void => {
      if (this.stopped) return;
      this.timer = this.deps.clock.setTimeout(async () => {
        try {
          await this.load();
        } catch (error) {
          this.deps.logger.warn('market list refresh failed', { error: asMarketDataError(error, 'markets').message });
        }
        refresh();
      }, this.deps.refreshMs ?? MARKET_REFRESH_MS);
    };
    refresh();
  }

  stop(): void {
    this.stopped = true;
    this.deps.clock.clearTimeout(this.timer);
  }

  list(): readonly ChartMarket[] {
    return this.markets;
  }

  get(symbol: string): ChartMarket | undefined {
    return this.bySymbol.get(symbol);
  }

  /** KRW-BTC when listed, else the first market. */
  defaultSymbol(): string | undefined {
    return this.bySymbol.has('KRW-BTC') ? 'KRW-BTC' : this.markets[0]?.symbol;
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private replace(markets: readonly ChartMarket[]): void {
    const changed =
      markets.length !== this.markets.length ||
      markets.some((market, index) => JSON.stringify(market) !== JSON.stringify(this.markets[index]));
    this.markets = markets;
    this.bySymbol = new Map(markets.map((market) => [market.symbol, market]));
    if (changed) for (const listener of [...this.listeners]) listener();
  }
}
