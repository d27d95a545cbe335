import type { MarketDataError } from '../errors/market-data-error.js';
import type { MarketCode } from '../market-code.js';
import type { Candle, CandleInterval } from '../types/candle.js';
import type { ChannelKind } from '../types/common.js';
import type { Market } from '../types/market.js';
import type { OrderBook } from '../types/orderbook.js';
import type { ChannelTicker } from '../types/ticker.js';
import type { Trade } from '../types/trade.js';

/**
 * What a caller hands a source with each call. The caller's deadline and its cancellation travel as one signal:
 * a source honours it everywhere (waiting for budget, attempts, backoff) and adds no deadline of its own on top.
 * A source's own per-attempt timeout is a different thing (one attempt, retried inside the caller's deadline).
 */
export interface RequestOptions {
  readonly signal?: AbortSignal | undefined;
}

/** One symbol's outcome inside a batch: batches report failures per symbol, never all-or-nothing. */
export type SymbolResult<T> =
  | { readonly symbol: MarketCode; readonly ok: true; readonly value: T }
  | { readonly symbol: MarketCode; readonly ok: false; readonly error: MarketDataError };

export interface WatchOptions {
  readonly signal?: AbortSignal | undefined;
}

/** Anything that can answer tickers: the REST adapter, the WebSocket adapter, test fakes. */
export interface TickerSource {
  readonly channel: ChannelKind;
  getTicker(symbol: MarketCode, options?: RequestOptions): Promise<ChannelTicker>;
  getTickers(symbols: readonly MarketCode[], options?: RequestOptions): Promise<readonly SymbolResult<ChannelTicker>[]>;
  /** Updates for the symbols until the iterator is returned, the signal aborts, or the source closes. */
  watchTickers(symbols: readonly MarketCode[], options?: WatchOptions): AsyncIterable<ChannelTicker>;
  close(): Promise<void>;
}

export interface OrderBookSource {
  getOrderBook(symbol: MarketCode, options?: RequestOptions): Promise<OrderBook>;
  watchOrderBooks(symbols: readonly MarketCode[], options?: WatchOptions): AsyncIterable<OrderBook>;
}

/** Which trades `getTrades` answers: the newest `count`, or with `cursor` those before it. */
export interface TradeQuery extends RequestOptions {
  readonly count?: number;
  /**
   * A `sequentialId`: only trades older than it (Upbit's `cursor` on `/v1/trades/ticks`, which pages backwards).
   * Sources that cannot page ignore it.
   */
  readonly cursor?: string | undefined;
}

export interface TradeSource {
  /** Most recent trades (before `cursor` when given), newest first. */
  getTrades(symbol: MarketCode, options?: TradeQuery): Promise<readonly Trade[]>;
  watchTrades(symbols: readonly MarketCode[], options?: WatchOptions): AsyncIterable<Trade>;
}

export interface CandleQuery extends RequestOptions {
  readonly interval: CandleInterval;
  /** Up to 200 (Upbit's limit). */
  readonly count?: number | undefined;
  /** Exclusive upper bound, epoch ms. */
  readonly to?: number | undefined;
}

export interface CandleSource {
  getCandles(symbol: MarketCode, query: CandleQuery): Promise<readonly Candle[]>;
}

/** What the market directory knows right now (for health reports). */
export interface MarketDirectoryView {
  /** Listed markets in the last list; undefined before the first list arrived. */
  readonly listed: number | undefined;
  /** `Clock.monotonic()` when the last list arrived. */
  readonly loadedAtMonotonic: number | undefined;
  /** Why the last load failed, while no list could be had since. */
  readonly lastError: MarketDataError | undefined;
}

/**
 * The one list of the markets that exist, owned by the source that can fetch it and refreshed in one place. Batch
 * isolation of unknown codes (REST) and the facade's up-front unknown-symbol answers both read it.
 */
export interface MarketDirectory {
  /** Listed or not according to the last list; `undefined` when no list has been had (not loaded, or failed). */
  isListed(symbol: MarketCode): boolean | undefined;
  /**
   * Resolves once a list no older than the directory's refresh period is at hand, loading or refreshing it if
   * needed (one load at a time, shared). Never rejects for a failed load (the view says why); rejects with the
   * signal's reason when it aborts. Resolves synchronously-fast when the list is fresh.
   */
  ready(options?: RequestOptions): Promise<void>;
  /** True when `ready()` would have nothing to load (a fresh list, or a recent failure still backing off). */
  isFresh(): boolean;
  view(): MarketDirectoryView;
}

export interface MarketListSource {
  /** Every listed market with its details (names, warnings, cautions). */
  getMarkets(options?: RequestOptions): Promise<readonly Market[]>;
  readonly directory: MarketDirectory;
}
