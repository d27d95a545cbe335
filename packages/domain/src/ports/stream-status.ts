import type { DataValidationError } from '../errors/error-classes.js';
import type { MarketDataError } from '../errors/market-data-error.js';
import type { MarketCode } from '../market-code.js';
import type { EpochMs, StreamType } from '../types/common.js';

/**
 * The streaming connection's state machine: `idle` (nothing wanted), `connecting`, `open`, `reconnecting` (after a
 * loss, with backoff), `closed` (for good).
 */
export type ConnectionState = 'idle' | 'connecting' | 'open' | 'reconnecting' | 'closed';

/**
 * Upbit's WebSocket candle types: one stream per interval (`candle.1s` is one-second candles, `candle.{n}m` n-minute
 * candles). Each carries `Candle` records; see `candleStreamInterval` / `candleStreamKind` for the mapping.
 */
export type CandleStreamKind =
  | 'candle.1s'
  | 'candle.1m'
  | 'candle.3m'
  | 'candle.5m'
  | 'candle.10m'
  | 'candle.15m'
  | 'candle.30m'
  | 'candle.60m'
  | 'candle.240m';

/** The kinds of data a stream carries. The one union for "what kind of data" across the packages. */
export type StreamKind = 'ticker' | 'trade' | 'orderbook' | CandleStreamKind;

/**
 * Facts about one symbol's feed, as the source saw them; no judgement. The backbone decides from these (and from
 * the arrivals it observed) whether the symbol is fresh.
 */
export interface ArrivalFacts {
  readonly kind: StreamKind;
  readonly symbol: MarketCode;
  /** `Clock.monotonic()` when the symbol was (last) put on the wire on the current connection, or asked for. */
  readonly wantedSinceMonotonic: number;
  /** `Clock.monotonic()` of the last data frame for this symbol; undefined before the first one. */
  readonly lastArrivalMonotonic: number | undefined;
  /** The connection that delivered the last frame (see `ConnectionEvent.epoch`). */
  readonly lastArrivalEpoch: number | undefined;
}

/** A connection's state changed. `epoch` counts sockets: it grows by one each time a new socket opens. */
export interface ConnectionEvent {
  readonly state: ConnectionState;
  readonly previous: ConnectionState;
  readonly reason: string | undefined;
  readonly epoch: number;
  readonly atMonotonic: number;
}

/** A stretch of time in which a stream delivered nothing for these symbols (disconnect, stall). */
export interface StreamGap {
  /** Wall times, epoch ms: what to ask a REST backfill for. */
  readonly startedAt: EpochMs;
  /** Undefined while the gap is still open. */
  readonly endedAt: EpochMs | undefined;
  readonly startedAtMonotonic: number;
  readonly endedAtMonotonic: number | undefined;
  readonly reason: string;
  readonly symbols: readonly MarketCode[];
}

/** Why the upstream would not serve us, as it said it. */
export type RefusalKind =
  /** The connection could not be made at all (refused, reset, DNS, TLS, timed out). */
  | 'unreachable'
  /** The upgrade was answered 429 (too many connects). */
  | 'rate-limited'
  /** The upgrade was answered 418 (IP blocked). */
  | 'blocked'
  /** Another non-101 answer to the upgrade. */
  | 'upgrade-rejected'
  /** An error frame (e.g. `INVALID_PARAM`), usually followed by a close. */
  | 'error-frame';

/** Upbit refused something the stream needs (a connect, a subscription), as the source saw it. */
export interface StreamRefusal {
  readonly kind: RefusalKind;
  readonly error: MarketDataError;
  readonly atMonotonic: number;
  /** When the source will try again (`Clock.monotonic()`), if it will. */
  readonly retryAtMonotonic: number | undefined;
  /** Identical refusals in a row (same kind and message). */
  readonly repeats: number;
}

/**
 * A streaming source's facts, read synchronously: connection state, epoch, last inbound frame, reconnects, gaps,
 * malformed frames and the current refusal.
 */
export interface StreamStatus {
  readonly state: ConnectionState;
  /** Wall time the current socket opened. */
  readonly connectedSince: EpochMs | undefined;
  /** The current connection's epoch (0 before the first socket opened). */
  readonly epoch: number;
  /** `Clock.monotonic()` of the last inbound frame of any kind (data, heartbeat answer, pong). */
  readonly lastInboundMonotonic: number | undefined;
  readonly reconnects: number;
  readonly gaps: readonly StreamGap[];
  readonly malformedFrames: number;
  /** The last refusal while it still holds (cleared once data flows again). */
  readonly refusal: StreamRefusal | undefined;
}

/** A frame that could not be used: counted, reported, skipped; the stream and the other symbols go on. */
export interface MalformedFrameReport {
  /** The data kind the frame claimed to be, or `unknown` when it could not even say. */
  readonly kind: StreamKind | 'unknown';
  /**
   * The market the frame was about, when the source can still tell: its code, or (a trade frame that lost its
   * code) the one wanted market whose trades carry the same previous close. Undefined when it cannot tell.
   */
  readonly symbol?: MarketCode | undefined;
  readonly error: DataValidationError;
  /** The start of the frame's text (bounded), to identify what was lost. */
  readonly sample: string;
  readonly atMonotonic: number;
}

/** Pushed facts, in the order they happened. Runs on the socket's hot path: keep listeners cheap. */
export interface StreamObserver {
  /** A data record arrived for this symbol (before any consumer queue). */
  onArrival?(
    kind: StreamKind,
    symbol: MarketCode,
    receivedAtMonotonic: number,
    streamType: StreamType | undefined,
  ): void;
  /** The connection changed state (opened, lost, reconnecting, closed). */
  onConnection?(event: ConnectionEvent): void;
  /** A gap opened or closed: a time without data the stream should have had (disconnect, stall). */
  onGap?(gap: StreamGap): void;
  /** Upbit refused a connect or a request. */
  onRefusal?(refusal: StreamRefusal): void;
  /** A frame could not be used; it was counted and skipped. */
  onMalformed?(report: MalformedFrameReport): void;
}

/** Keeps symbols subscribed until released (reference counted by the source). */
export interface SubscriptionHandle {
  /**
   * Drops this demand; the symbols leave the wire once no other demand holds them (after the linger time). Idempotent.
   */
  release(): void;
}
