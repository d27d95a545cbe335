import type {
  ArrivalFacts,
  ChannelTicker,
  ConnectionState,
  MarketDataError,
  OrderBook,
  RequestOptions,
  StreamingSource,
  StreamKind,
  StreamListener,
  StreamRecord,
  StreamStatus,
  SubscriptionHandle,
  SymbolResult,
  Trade,
  TradeQuery,
  WatchOptions,
} from '@marketdata/domain';
import type { WebSocketMalformedKind } from './decode/frame-decoder.js';
import type { WebSocketSubscriptionSet } from './protocol/subscription-request.js';
import type { UpbitWatchStream } from './watch/watch-stream.js';

/** Options of the WebSocket source's `watch…` calls. */
export interface UpbitWatchOptions extends WatchOptions {
  /**
   * Errors that do not end the iteration: refusals (connect refused, 429, 418, error frames), and for
   * `watchTrades` a `QueueFullError` when a slow consumer starts losing trades (once per overflow; every drop is
   * counted in the stream's `stats()`). A refusal the source gives up on ends the iteration with that error.
   */
  readonly onError?: ((error: MarketDataError) => void) | undefined;
}

/** The WebSocket source's status: the domain facts plus its own counters. */
export interface UpbitStreamStatus extends StreamStatus {
  /** Sockets created, the first one included. */
  readonly connectAttempts: number;
  /** `Clock.monotonic()` of the next connect attempt while one is scheduled. */
  readonly nextAttemptAtMonotonic: number | undefined;
  /** WebSocket messages received (data, status answers, error frames, malformed). */
  readonly framesReceived: number;
  readonly malformedByKind: Readonly<Partial<Record<WebSocketMalformedKind, number>>>;
  /** Trades arriving again after delivery (the SNAPSHOT after a reconnect): counted as arrivals, not delivered. */
  readonly duplicateTrades: number;
  /** Subscription requests sent, all sockets. */
  readonly requestsSent: number;
  /** What should be on the wire now (held or lingering), sorted per kind. */
  readonly subscriptions: WebSocketSubscriptionSet;
  /** Gaps recorded since start, including those no longer kept in `gaps`. */
  readonly gapCount: number;
}

/** Counts that prove nothing leaks (tests, diagnostics). */
export interface UpbitSourceDiagnostics {
  readonly listeners: number;
  readonly observers: number;
  readonly timers: number;
  readonly lingeringSubscriptions: number;
  readonly pendingRequests: number;
}

/**
 * The Upbit WebSocket source. It implements the domain `StreamingSource`; its methods take plain strings for
 * symbols (validated inside: a bad code is an `InvalidMarketCodeError`, thrown or rejected like the method's other
 * errors), so callers need no cast to `MarketCode`. `latest` and `arrivals` only look up: a string that is not a
 * code on the wire finds nothing.
 */
export interface UpbitWebSocketSource extends StreamingSource {
  readonly state: ConnectionState;
  subscribe(kind: StreamKind, symbols: readonly string[]): SubscriptionHandle;
  listen<K extends StreamKind>(kind: K, symbols: readonly string[], listener: StreamListener<K>): SubscriptionHandle;
  latest<K extends StreamKind>(kind: K, symbol: string): StreamRecord<K> | undefined;
  arrivals(kind: StreamKind, symbol: string): ArrivalFacts | undefined;
  getTicker(symbol: string, options?: RequestOptions): Promise<ChannelTicker>;
  getTickers(symbols: readonly string[], options?: RequestOptions): Promise<readonly SymbolResult<ChannelTicker>[]>;
  getOrderBook(symbol: string, options?: RequestOptions): Promise<OrderBook>;
  /**
   * Trades seen since the symbol went on the wire, newest first, up to `count`. The WebSocket has no history:
   * `cursor`, `to` and `daysAgo` are refused with `DataValidationError` (use the REST source).
   */
  getTrades(symbol: string, options?: TradeQuery): Promise<readonly Trade[]>;
  watchTickers(symbols: readonly string[], options?: UpbitWatchOptions): UpbitWatchStream<ChannelTicker>;
  watchOrderBooks(symbols: readonly string[], options?: UpbitWatchOptions): UpbitWatchStream<OrderBook>;
  watchTrades(symbols: readonly string[], options?: UpbitWatchOptions): UpbitWatchStream<Trade>;
  /** The connection facts and counters right now. */
  status(): UpbitStreamStatus;
  /** Internals for tests and debugging (subscriptions on the wire, queues). */
  diagnostics(): UpbitSourceDiagnostics;
}
