import type {
  Candle,
  CandleQuery,
  Clock,
  Logger,
  Market,
  MarketCode,
  MarketDirectory,
  OrderBook,
  RequestOptions,
  StreamingSource,
  Ticker,
  TickerSource,
  Trade,
  TradeQuery,
} from '@marketdata/domain';
import type { CandleUpdate } from '../candles/candle-update.js';
import type { BackboneConfig, BackboneConfigInput } from '../config/backbone-config.js';
import type { StatsSnapshot } from '../stats/stats-snapshot.js';
import type { TickerSourceOption } from './call-input.js';
import type { HealthReport } from './health-report.js';
import type {
  CandleIntervalName,
  CandleList,
  GradedOrderBook,
  MarketDetail,
  MarketList,
  MarketSummary,
  SymbolOutcome,
  TradeList,
} from './market-data-results.js';

export type { TickerSourceOption } from './call-input.js';

/** Options of `getTicker` and `getTickers`. */
export interface GetTickerOptions {
  /**
   * Default `auto`: the router decides. An explicit channel (`rest`/`historical`, `websocket`/`realtime`) is a
   * preference: when it fails or is disabled the other channel answers, labelled a fallback (quality `medium`).
   */
  readonly source?: TickerSourceOption | undefined;
  /** With an explicit `source`: that channel or an error, never a fallback. Default false. */
  readonly strict?: boolean | undefined;
  /** Cancels the call. Its deadline is `restTimeoutMs`; both travel to the sources as one signal. */
  readonly signal?: AbortSignal | undefined;
}

/** Options of `watchTickers`. */
export interface WatchTickerOptions {
  /**
   * Default `auto`. `websocket` (or `realtime`) prefers the WebSocket and, like `auto`, continues from REST polling
   * while it cannot serve (labelled a fallback) and returns to it; `rest` (or `historical`) polls REST.
   */
  readonly source?: TickerSourceOption | undefined;
  /** With an explicit `source`: that channel or a typed error that ends the stream, never a stand-in. */
  readonly strict?: boolean | undefined;
  readonly signal?: AbortSignal | undefined;
}

export interface GetOrderBookOptions extends GetTickerOptions {
  /** Levels handed out at most, best first: 1..30. Default: every level the channel delivered. */
  readonly depth?: number | undefined;
}

/** Options of `getTrades`. */
export interface GetTradesOptions {
  /** Trades wanted, 1..10,000 (default 100); the REST source pages past Upbit's 500 per request. */
  readonly count?: number | undefined;
  /** Trades before this one: a `sequentialId` (e.g. the previous answer's `nextCursor`). Not with `to`. */
  readonly cursor?: string | bigint | undefined;
  /**
   * Trades before this time (epoch ms or a Date), within today and the 7 days before (UTC), to the second. Not with
   * `cursor`.
   */
  readonly to?: number | Date | undefined;
  readonly signal?: AbortSignal | undefined;
}

/** Options of `getCandles`. */
export interface GetCandlesOptions {
  /** `'1s'`, `'1m'` ... `'240m'`, `'1d'`, `'1w'`, `'1M'`, `'1y'` (or `{ unit, size }`). */
  readonly interval: CandleIntervalName | { readonly unit: string; readonly size?: number };
  /** Candles wanted, 1..10,000 (default 200); the REST source pages past Upbit's 200 per request, paced. */
  readonly count?: number | undefined;
  /** Candles opening before this time (exclusive; epoch ms or a Date). Default: now. */
  readonly to?: number | Date | undefined;
  readonly signal?: AbortSignal | undefined;
}

/** Options of `getMarkets`. */
export interface GetMarketsOptions {
  /** With details: each market's warning and cautions, and their grade. Default false: names only. */
  readonly details?: boolean | undefined;
  readonly signal?: AbortSignal | undefined;
}

/** Options of `watchCandles`. */
export interface WatchCandlesOptions {
  /** Candles of REST history the series starts with (0..10,000; default 200), before the live ones. */
  readonly history?: number | undefined;
  readonly signal?: AbortSignal | undefined;
}

/** Options of `watchOrderBooks` and `watchTrades`. */
export interface WatchStreamOptions {
  readonly signal?: AbortSignal | undefined;
}

/**
 * One symbol's outcome in `getTickers`: `symbol` is the canonical code (`BTC/KRW` given, `KRW-BTC` here), or the
 * entry as given when it is not a valid symbol; `input` is always the entry as given.
 */
export type TickerResult = SymbolOutcome<Ticker>;

/**
/**
 * The REST channel: it answers tickers; when it owns the market list its `directory` is read too. The other methods
 * are used when present (the REST adapter has them all); a facade method whose source method is missing rejects with
 * `ChannelUnavailableError`. `getTrades` with `cursor` also fills the gaps of trade streams.
 */
export type RestTickerSource = TickerSource & {
  readonly directory?: MarketDirectory | undefined;
  /** One book over REST (`getOrderBook`/`getOrderBooks`). */
  getOrderBook?(symbol: MarketCode, options?: RequestOptions): Promise<OrderBook>;
  /** Trades, paged by the source (`getTrades`, and the backfill of `watchTrades`). */
  getTrades?(symbol: MarketCode, query?: TradeQuery): Promise<readonly Trade[]>;
  /** Candles, paged by the source (`getCandles`, the history of `watchCandles`). */
  getCandles?(symbol: MarketCode, query: CandleQuery): Promise<readonly Candle[]>;
  /** The market list, when the source has no `directory` of its own (`getMarkets`). */
  getMarkets?(options?: RequestOptions): Promise<readonly Market[]>;
};

/** Options of `createMarketData`: the sources, the domain ports and the settings. */
export interface MarketDataOptions {
  /**
   * The REST channel. When it has a market directory (the REST adapter does), unknown symbols are answered from it
   * without a request; the directory loads and refreshes itself.
   */
  readonly rest: RestTickerSource;
  /** The WebSocket channel; without it (or with `useWebSocket: false`) everything goes through REST. */
  readonly websocket?: StreamingSource | undefined;
  /** Default: the system clock from `@marketdata/domain`. */
  readonly clock?: Clock | undefined;
  readonly logger?: Logger | undefined;
  /** Validated here, with the sources: every problem is listed in one `ConfigError` thrown at construction. */
  readonly config?: BackboneConfigInput | undefined;
}

/** The facade: graded tickers, streams, health and stats over a REST and a WebSocket source. */
export interface MarketData {
  readonly config: BackboneConfig;
  /** One symbol's graded ticker, from the channel the router picks (or the one asked for). */
  getTicker(symbol: string, options?: GetTickerOptions): Promise<Ticker>;
  /** Per-symbol results in input order: one bad or failing symbol never fails the others. */
  getTickers(symbols: readonly string[], options?: GetTickerOptions): Promise<readonly TickerResult[]>;
  /**
   * Graded tickers as they change, conflated per symbol for a slow consumer; ends on `break`, `signal` or `close()`.
   */
  watchTickers(symbols: readonly string[], options?: WatchTickerOptions): AsyncIterableIterator<Ticker>;
  /** One graded book; hot symbols are answered from the WebSocket's latest book. */
  getOrderBook(symbol: string, options?: GetOrderBookOptions): Promise<GradedOrderBook>;
  /** Per-symbol results in input order: one bad or failing symbol never fails the others. */
  getOrderBooks(
    symbols: readonly string[],
    options?: GetOrderBookOptions,
  ): Promise<readonly SymbolOutcome<GradedOrderBook>[]>;
  /** Recent trades (or before `cursor`/`to`), oldest first, graded as one list. */
  getTrades(symbol: string, options?: GetTradesOptions): Promise<TradeList>;
  /** Candles of one interval, oldest first, graded as one list (paged past 200). */
  getCandles(symbol: string, options: GetCandlesOptions): Promise<CandleList>;
  /** The market list, from the one market directory. */
  getMarkets(options: GetMarketsOptions & { readonly details: true }): Promise<MarketList<MarketDetail>>;
  /** The market list: names only, or with details when `details` is true. */
  getMarkets(options?: GetMarketsOptions): Promise<MarketList<MarketSummary | MarketDetail>>;
  /**
   * One ordered candle series per symbol: REST history joined to the live stream without a duplicate or a hole,
   * delivered as `CandleUpdate` events (a history snapshot first, then each candle as it changes and closes).
   */
  watchCandles(
    symbols: readonly string[],
    interval: GetCandlesOptions['interval'],
    options?: WatchCandlesOptions,
  ): AsyncIterableIterator<CandleUpdate>;
  /** Order books as they change (WebSocket), conflated per symbol; ends on `break`, `signal` or `close()`. */
  watchOrderBooks(symbols: readonly string[], options?: WatchStreamOptions): AsyncIterableIterator<OrderBook>;
  /** Every trade in order; a consumer falling `tradeQueueCapacity` behind gets `QueueFullError`. */
  watchTrades(symbols: readonly string[], options?: WatchStreamOptions): AsyncIterableIterator<Trade>;
  /** Every counter, latency histogram and quantile, in one snapshot. */
  stats(): StatsSnapshot;
  /** `stats()` in the Prometheus text format. */
  toPrometheus(): string;
  /** The health report right now. */
  health(): HealthReport;
  /** Ends streams, releases subscriptions, closes both sources. Idempotent; later calls get `ClosedError`. */
  close(): Promise<void>;
}
