import type { Candle, Market, MarketCode, MarketDataError, OrderBook, OrderBookLevel, Trade } from '@marketdata/domain';
import type { Grade } from '../unifier/grade-record.js';

// What the facade's get methods hand out besides tickers. Every value is graded like a ticker (`Grade`: source,
// quality, confidence, ageMs, processingTimeMs, qualityNotes) and keeps its exchange and receive times. A list
// (trades, candles, markets) is graded as one value: one grade for the whole list, the times of its newest record,
// the records themselves as the adapter mapped them (each keeps its own provenance).

export type { Grade } from '../unifier/grade-record.js';

/** The times every graded value keeps: the exchange's own, and when our adapter received it. */
export interface GradedTimes {
  /** Upbit's event time of the value (for a list: of its newest record), epoch ms. */
  readonly exchangeTimestamp: number;
  /** Local wall time the value was received, epoch ms. */
  readonly receivedAt: number;
  /** `Clock.monotonic()` when it was received. */
  readonly receivedAtMonotonic: number;
  /** REST request latency, ms, when a REST request brought it. */
  readonly latencyMs?: number | undefined;
}

/** An order book as `getOrderBook` hands it out: the book (levels best first, at most `depth`) and its grade. */
export interface GradedOrderBook extends Omit<OrderBook, 'source'>, Grade {
  readonly levels: readonly OrderBookLevel[];
}

/** `getTrades`' answer: one symbol's trades, oldest first, graded as one list. */
export interface TradeList extends Grade, GradedTimes {
  readonly symbol: MarketCode;
  /** Oldest first (chronological), exactly `count` unless Upbit had fewer. */
  readonly trades: readonly Trade[];
  /**
   * The `cursor` that asks for the trades just before the oldest one here (its `sequentialId`); undefined when the
   * list is empty.
   */
  readonly nextCursor: string | undefined;
}

/** `getCandles`' answer: one symbol's candles of one interval, oldest first, graded as one list. */
export interface CandleList extends Grade, GradedTimes {
  readonly symbol: MarketCode;
  readonly interval: CandleIntervalName;
  /** Oldest first (chronological). Only periods with a trade have a candle (Upbit's rule): gaps are not holes. */
  readonly candles: readonly Candle[];
}

/** A market of `getMarkets()`: names only. */
export interface MarketSummary {
  readonly symbol: MarketCode;
  readonly quote: string;
  readonly base: string;
  readonly koreanName: string;
  readonly englishName: string;
}

/** A market of `getMarkets({ details: true })`: the directory's details, and their grade (warned markets lower). */
export interface MarketDetail extends Market {
  readonly quality: Grade['quality'];
  readonly qualityNotes: readonly string[];
}

/** `getMarkets`' answer, from the one market directory. */
export interface MarketList<M extends MarketSummary = MarketSummary> extends Grade, GradedTimes {
  readonly markets: readonly M[];
}

/** One symbol's outcome in a batch; `symbol` is the canonical code (or the entry as given, when it is invalid). */
export type SymbolOutcome<T> =
  | { readonly symbol: string; readonly input: string; readonly ok: true; readonly value: T }
  | { readonly symbol: string; readonly input: string; readonly ok: false; readonly error: MarketDataError };

/**
 * Candle intervals by name: seconds (`1s`), minutes (`1m` ... `240m`), days (`1d`), weeks (`1w`), months (`1M`),
 * years (`1y`). The WebSocket streams `1s` and the minutes; the rest are built from REST and the ticker stream.
 */
export type CandleIntervalName =
  | '1s'
  | '1m'
  | '3m'
  | '5m'
  | '10m'
  | '15m'
  | '30m'
  | '60m'
  | '240m'
  | '1d'
  | '1w'
  | '1M'
  | '1y';
