import type { MarketDataError } from '../errors/market-data-error.js';
import type { MarketCode } from '../market-code.js';
import type { Candle, CandleInterval } from '../types/candle.js';
import type { ChannelKind } from '../types/common.js';
import type { Market } from '../types/market.js';
import type { OrderBook } from '../types/orderbook.js';
import type { ChannelTicker } from '../types/ticker.js';
import type { Trade } from '../types/trade.js';

export interface RequestOptions {
  readonly signal?: AbortSignal | undefined;
  readonly timeoutMs?: number | undefined;
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

export interface TradeSource {
  /** Most recent trades, newest first. */
  getTrades(symbol: MarketCode, options?: RequestOptions & { readonly count?: number }): Promise<readonly Trade[]>;
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

export interface MarketListSource {
  getMarkets(options?: RequestOptions): Promise<readonly Market[]>;
}
