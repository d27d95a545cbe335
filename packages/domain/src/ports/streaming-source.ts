import type { MarketDataError } from '../errors/market-data-error.js';
import type { MarketCode } from '../market-code.js';
import type { Candle } from '../types/candle.js';
import type { OrderBook } from '../types/orderbook.js';
import type { ChannelTicker } from '../types/ticker.js';
import type { Trade } from '../types/trade.js';
import type { OrderBookSource, TickerSource, TradeSource } from './sources.js';
import type {
  ArrivalFacts,
  CandleStreamKind,
  StreamKind,
  StreamObserver,
  StreamStatus,
  SubscriptionHandle,
} from './stream-status.js';

/**
 * The record type a stream kind carries. Tickers, order books and candles are states (the latest one per symbol
 * stands for the rest); trades are events. Every candle kind carries `Candle`.
 */
export type StreamRecords = {
  readonly ticker: ChannelTicker;
  readonly trade: Trade;
  readonly orderbook: OrderBook;
} & { readonly [K in CandleStreamKind]: Candle };

/** The record type of a stream kind: `Ticker` data for `ticker`, `OrderBook` for `orderbook`, `Trade` for `trade`. */
export type StreamRecord<K extends StreamKind> = StreamRecords[K];

/** Push delivery of one stream: called synchronously as records arrive, with no queue in between. */
export interface StreamListener<K extends StreamKind> {
  /** One record as it arrived (tickers and order books: the latest held is replayed first). */
  onRecord(record: StreamRecord<K>): void;
  /** The upstream refused something these symbols depend on (error frame, blocked connect). */
  onError?(error: MarketDataError): void;
  /**
   * The source ended this listener for good (no record follows, its symbols are released): `reason` is the refusal
   * it gave up on (`onError` heard it first), undefined when the source closed.
   */
  onEnd?(reason: MarketDataError | undefined): void;
}

/**
 * A streaming channel (the WebSocket adapter). It reports facts and never grades: what arrived and when, the
 * connection's state, gaps and refusals. It owns what is on the wire: `subscribe`/`listen` state demand, and a
 * released symbol lingers on the wire for the source's own linger time before it is dropped.
 */
export interface StreamingSource extends TickerSource, OrderBookSource, TradeSource {
  readonly channel: 'websocket';
  /** Keep these symbols on the wire (reference counted) without consuming updates. */
  subscribe(kind: StreamKind, symbols: readonly MarketCode[]): SubscriptionHandle;
  /**
   * Keep these symbols on the wire and push every record of them to `listener` (the consumer's own queue is the
   * listener's business). For tickers, order books and candles (states), the latest record of each symbol already
   * held is pushed first, synchronously; trades (events) are never replayed.
   */
  listen<K extends StreamKind>(
    kind: K,
    symbols: readonly MarketCode[],
    listener: StreamListener<K>,
  ): SubscriptionHandle;
  /** The latest record held for the symbol, synchronously; undefined when none (not subscribed, or not yet). */
  latest<K extends StreamKind>(kind: K, symbol: MarketCode): StreamRecord<K> | undefined;
  /** Arrival facts for a symbol on the wire (or lingering); undefined when it is not. */
  arrivals(kind: StreamKind, symbol: MarketCode): ArrivalFacts | undefined;
  /** Facts as they happen. Returns the function that stops observing. */
  observe(observer: StreamObserver): () => void;
  /** The source's facts right now (see `StreamStatus`). */
  status(): StreamStatus;
}
