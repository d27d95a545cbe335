import type { MarketCode } from '../market-code.js';
import type { EpochMs } from '../types/common.js';

export type ConnectionState = 'idle' | 'connecting' | 'open' | 'reconnecting' | 'closed';

export type StreamKind = 'ticker' | 'trade' | 'orderbook';

/** Per-symbol freshness, judged against that symbol's own rhythm rather than one global timeout. */
export interface SymbolFreshness {
  readonly symbol: MarketCode;
  readonly kind: StreamKind;
  /** Local receive time of the last update, epoch ms; undefined before the first one. */
  readonly lastUpdateAt: EpochMs | undefined;
  /** The interval this symbol usually updates at, learned from its own history. */
  readonly expectedIntervalMs: number;
  readonly suspectedStale: boolean;
}

/** A stretch of time in which a stream delivered nothing for these symbols (disconnect, stall). */
export interface StreamGap {
  readonly startedAt: EpochMs;
  /** Undefined while the gap is still open. */
  readonly endedAt: EpochMs | undefined;
  readonly reason: string;
  readonly symbols: readonly MarketCode[];
}

export interface StreamStatus {
  readonly state: ConnectionState;
  readonly connectedSince: EpochMs | undefined;
  readonly reconnects: number;
  readonly gaps: readonly StreamGap[];
  readonly malformedFrames: number;
  readonly conflated: number;
}

/** Keeps a symbol subscribed until released (reference counted by the stream). */
export interface SubscriptionHandle {
  release(): void;
}
