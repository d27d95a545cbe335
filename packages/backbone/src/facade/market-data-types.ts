import type {
  Clock,
  Logger,
  MarketDataError,
  MarketDirectory,
  OrderBook,
  StreamingSource,
  Ticker,
  TickerSource,
  Trade,
  TradeSource,
} from '@marketdata/domain';
import type { BackboneConfig, BackboneConfigInput } from '../config/backbone-config.js';
import type { StatsSnapshot } from '../stats/stats-snapshot.js';
import type { TickerSourceOption } from './call-input.js';
import type { HealthReport } from './health-report.js';

export type { TickerSourceOption } from './call-input.js';

export interface GetTickerOptions {
  /** Default `auto`: the router decides. An explicit channel is used as asked, without fallback. */
  readonly source?: TickerSourceOption | undefined;
  /** Cancels the call. Its deadline is `restTimeoutMs`; both travel to the sources as one signal. */
  readonly signal?: AbortSignal | undefined;
}

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

export interface WatchStreamOptions {
  readonly signal?: AbortSignal | undefined;
}

/** One symbol's outcome in `getTickers`; `symbol` is the caller's input as given (it may be invalid). */
export type TickerResult =
  | { readonly symbol: string; readonly ok: true; readonly value: Ticker }
  | { readonly symbol: string; readonly ok: false; readonly error: MarketDataError };

/**
 * The REST channel: it answers tickers; when it owns the market list its `directory` is read too, and when it
 * answers trades (`getTrades` with `cursor`) it fills the gaps of trade streams.
 */
export type RestTickerSource = TickerSource & {
  readonly directory?: MarketDirectory | undefined;
  readonly getTrades?: TradeSource['getTrades'] | undefined;
};

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

export interface MarketData {
  readonly config: BackboneConfig;
  getTicker(symbol: string, options?: GetTickerOptions): Promise<Ticker>;
  /** Per-symbol results in input order: one bad or failing symbol never fails the others. */
  getTickers(symbols: readonly string[], options?: GetTickerOptions): Promise<readonly TickerResult[]>;
  watchTickers(symbols: readonly string[], options?: WatchTickerOptions): AsyncIterableIterator<Ticker>;
  watchOrderBooks(symbols: readonly string[], options?: WatchStreamOptions): AsyncIterableIterator<OrderBook>;
  /** Every trade in order; a consumer falling `tradeQueueCapacity` behind gets `QueueFullError`. */
  watchTrades(symbols: readonly string[], options?: WatchStreamOptions): AsyncIterableIterator<Trade>;
  stats(): StatsSnapshot;
  /** `stats()` in the Prometheus text format. */
  toPrometheus(): string;
  health(): HealthReport;
  /** Ends streams, releases subscriptions, closes both sources. Idempotent; later calls get `ClosedError`. */
  close(): Promise<void>;
}
