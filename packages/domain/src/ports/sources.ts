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

/** Options of a `watch…` call. */
export interface WatchOptions {
  readonly signal?: AbortSignal | undefined;
}

/** Anything that can answer tickers: the REST adapter, the WebSocket adapter, test fakes. */
export interface TickerSource {
  readonly channel: ChannelKind;
  /** One symbol's current ticker from this channel. */
  getTicker(symbol: MarketCode, options?: RequestOptions): Promise<ChannelTicker>;
  /** Several symbols in as few requests as allowed; results per symbol, in input order. */
  getTickers(symbols: readonly MarketCode[], options?: RequestOptions): Promise<readonly SymbolResult<ChannelTicker>[]>;
  /** Updates for the symbols until the iterator is returned, the signal aborts, or the source closes. */
  watchTickers(symbols: readonly MarketCode[], options?: WatchOptions): AsyncIterable<ChannelTicker>;
  /** Stops everything this source runs and fails its pending calls with `ClosedError`. Idempotent. */
  close(): Promise<void>;
}

/** Anything that can answer order books. */
export interface OrderBookSource {
  /** One symbol's current order book. */
  getOrderBook(symbol: MarketCode, options?: RequestOptions): Promise<OrderBook>;
  /** Order books for the symbols until the iterator is returned, the signal aborts, or the source closes. */
  watchOrderBooks(symbols: readonly MarketCode[], options?: WatchOptions): AsyncIterable<OrderBook>;
}

/**
 * Which trades `getTrades` answers. Without `cursor`/`to`/`daysAgo`: the most recent ones. Those three are Upbit's
 * REST paging and history parameters (`/v1/trades/ticks`); a source that cannot honour one refuses the call with a
 * `DataValidationError` instead of ignoring it.
 */
export interface TradeQuery extends RequestOptions {
  /** Trades wanted (default 1, as Upbit). A source pages for more than one request returns (REST: 500). */
  readonly count?: number | undefined;
  /** Continue with the trades before this one: a `sequential_id` as exact decimal text (`Trade.sequentialId`). */
  readonly cursor?: string | undefined;
  /**
   * Trades before this UTC time of day, `HHmmss` or `HH:mm:ss`, on the day `daysAgo` picks (Upbit's `to`; whether
   * the bound is exclusive is not documented).
   */
  readonly to?: string | undefined;
  /** 1..7: that many days before the day of the most recent trade (UTC days); absent means that day itself. */
  readonly daysAgo?: number | undefined;
}

/** Anything that can answer trades. */
export interface TradeSource {
  /** Trades, newest first (see `TradeQuery`). */
  getTrades(symbol: MarketCode, options?: TradeQuery): Promise<readonly Trade[]>;
  /** Every trade of the symbols, in order, until the iterator is returned, the signal aborts, or the source closes. */
  watchTrades(symbols: readonly MarketCode[], options?: WatchOptions): AsyncIterable<Trade>;
}

/** Which candles `getCandles` returns: the interval, how many, and up to when. */
export interface CandleQuery extends RequestOptions {
  /** Unit and size (see `CandleUnit` for the valid sizes). */
  readonly interval: CandleInterval;
  /**
   * Candles wanted (default 1, as Upbit). Upbit answers at most 200 per request: a source pages for more (several
   * paced requests walking `to` back), with no duplicate at the seams, and stops early when Upbit has no more.
   */
  readonly count?: number | undefined;
  /** Exclusive upper bound on `openTime`, epoch ms; absent means now. */
  readonly to?: number | undefined;
}

/** Anything that can answer candles (OHLCV bars). */
export interface CandleSource {
  /** Candles newest first; periods without a trade have none (Upbit skips them). */
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
  /** What the directory knows right now, for health reports. */
  view(): MarketDirectoryView;
}

/** The source of the market list (the REST adapter): every market, and the directory kept from it. */
export interface MarketListSource {
  /** Every listed market with its details (names, warnings, cautions). */
  getMarkets(options?: RequestOptions): Promise<readonly Market[]>;
  readonly directory: MarketDirectory;
}
