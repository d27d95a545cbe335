import type {
  ChannelTicker,
  ConnectionState,
  DataValidationError,
  EpochMs,
  MarketCode,
  MarketDataError,
  OrderBook,
  RequestOptions,
  StreamGap,
  StreamingSource,
  StreamStatus,
  Trade,
  UpstreamError,
  WatchOptions,
} from '@marketdata/domain';
import type { WsMalformedKind } from './decode/frame-decoder.js';
import type { WsSubscriptionSet } from './protocol/subscription-request.js';

export interface UpbitWatchOptions extends WatchOptions {
  /**
   * Errors that do not end the iteration: Upbit error frames (`UpstreamError`), and for `watchTrades` a
   * `QueueFullError` when a slow consumer starts losing trades (once per overflow; every drop is counted in
   * `status().droppedTrades`).
   */
  readonly onError?: ((error: MarketDataError) => void) | undefined;
}

export interface WsStateChange {
  readonly state: ConnectionState;
  readonly previous: ConnectionState;
  readonly reason: string | undefined;
  readonly at: EpochMs;
}

export interface WsMalformedFrameEvent {
  readonly kind: WsMalformedKind;
  readonly error: DataValidationError;
  readonly sample: string;
}

/** Events of the WebSocket source; `on(event, listener)` returns the function that removes the listener. */
export interface UpbitWebSocketEvents {
  /** Every connection state transition. */
  readonly state: WsStateChange;
  /** A gap opened (`endedAt` undefined) or closed. */
  readonly gap: StreamGap;
  /** Upbit refused a request (INVALID_PARAM, WRONG_FORMAT, NO_TICKET, …). */
  readonly upstreamError: UpstreamError;
  readonly malformed: WsMalformedFrameEvent;
}

export interface UpbitStreamStatus extends StreamStatus {
  /** Wall time anything (data, heartbeat answer, pong) last arrived on the current connection. */
  readonly lastInboundAt: EpochMs | undefined;
  /** While reconnecting: wall time of the next attempt, if one is scheduled (undefined while an attempt runs). */
  readonly nextRetryAt: EpochMs | undefined;
  /** Sockets created, the first one included. */
  readonly connectAttempts: number;
  readonly framesReceived: number;
  readonly malformedByKind: Readonly<Partial<Record<WsMalformedKind, number>>>;
  /** Trades dropped from `watchTrades` queues of slow consumers (trades are never conflated). */
  readonly droppedTrades: number;
  /** Trades already delivered and sent again (the SNAPSHOT after a reconnect), skipped. */
  readonly duplicateTrades: number;
  readonly upstreamErrors: number;
  readonly lastUpstreamError: UpstreamError | undefined;
  readonly subscriptionRequests: number;
  /** What the adapter has asked Upbit for (or will, once connected). */
  readonly subscriptions: WsSubscriptionSet;
  /** Gaps recorded since start, including those no longer kept in `gaps`. */
  readonly gapCount: number;
}

/** Counts that prove nothing leaks (tests, diagnostics). */
export interface UpbitSourceDiagnostics {
  readonly eventListeners: number;
  readonly connectionTimers: number;
  readonly lingeringSubscriptions: number;
  readonly pendingRequests: number;
  readonly watchers: number;
}

export interface UpbitWebSocketSource extends StreamingSource {
  readonly state: ConnectionState;
  getTicker(symbol: MarketCode, options?: RequestOptions): Promise<ChannelTicker>;
  getOrderBook(symbol: MarketCode, options?: RequestOptions): Promise<OrderBook>;
  watchTickers(symbols: readonly MarketCode[], options?: UpbitWatchOptions): AsyncIterable<ChannelTicker>;
  watchOrderBooks(symbols: readonly MarketCode[], options?: UpbitWatchOptions): AsyncIterable<OrderBook>;
  watchTrades(symbols: readonly MarketCode[], options?: UpbitWatchOptions): AsyncIterable<Trade>;
  status(): UpbitStreamStatus;
  on<K extends keyof UpbitWebSocketEvents>(event: K, listener: (payload: UpbitWebSocketEvents[K]) => void): () => void;
  diagnostics(): UpbitSourceDiagnostics;
}
