import type { DataSource, EpochMs, MarketCode, Ticker } from '@marketdata/domain';

export type ChannelLevel = 'ok' | 'degraded' | 'down' | 'unknown';

/** One line of channel health, already summarized for display. */
export interface ChannelView {
  readonly name: string;
  readonly level: ChannelLevel;
  readonly summary: string;
}

export type BoardEventKind = 'route' | 'fallback' | 'warn' | 'error' | 'info';

export interface BoardEvent {
  readonly at: EpochMs;
  readonly kind: BoardEventKind;
  readonly text: string;
}

/** How the last `getTicker(symbol)` (source `auto`) the demo made was served: the router's choice, visible. */
export interface RoutedRequest {
  /** The request rate the demo drives for this symbol, e.g. `1/s`. */
  readonly demand: string;
  readonly source: DataSource | 'error';
}

export interface BoardRow {
  readonly symbol: MarketCode;
  /** The latest value from the watched stream. */
  readonly ticker: Ticker | undefined;
  readonly updates: number;
  readonly routed: RoutedRequest | undefined;
}

export interface BoardView {
  readonly rows: readonly BoardRow[];
  readonly channels: readonly ChannelView[];
  /** Newest last. */
  readonly events: readonly BoardEvent[];
  readonly totalUpdates: number;
}

/** What the demo currently knows: the latest ticker per watched symbol, channel health, recent events. */
export class Board {
  private readonly latest = new Map<MarketCode, Ticker>();
  private readonly updates = new Map<MarketCode, number>();
  private readonly routed = new Map<MarketCode, RoutedRequest>();
  private symbols: readonly MarketCode[] = [];
  private channels: readonly ChannelView[] = [];
  private readonly events: BoardEvent[] = [];
  private totalUpdates = 0;

  constructor(private readonly maxEvents = 8) {}

  setSymbols(symbols: readonly MarketCode[]): void {
    this.symbols = symbols;
  }

  setRouted(symbol: MarketCode, routed: RoutedRequest): void {
    this.routed.set(symbol, routed);
  }

  applyTicker(ticker: Ticker): void {
    this.latest.set(ticker.symbol, ticker);
    this.updates.set(ticker.symbol, (this.updates.get(ticker.symbol) ?? 0) + 1);
    this.totalUpdates++;
  }

  setChannels(channels: readonly ChannelView[]): void {
    this.channels = channels;
  }

  addEvent(event: BoardEvent): void {
    this.events.push(event);
    if (this.events.length > this.maxEvents) this.events.splice(0, this.events.length - this.maxEvents);
  }

  updatesFor(symbol: MarketCode): number {
    return this.updates.get(symbol) ?? 0;
  }

  get watched(): readonly MarketCode[] {
    return this.symbols;
  }

  view(): BoardView {
    return {
      rows: this.symbols.map((symbol) => ({
        symbol,
        ticker: this.latest.get(symbol),
        updates: this.updates.get(symbol) ?? 0,
        routed: this.routed.get(symbol),
      })),
      channels: this.channels,
      events: [...this.events],
      totalUpdates: this.totalUpdates,
    };
  }
}
