import type { MemorySample } from '../memory.js';
import type { DelayFigures } from './delivery-delay.js';
import type { FaultKind } from './schedule.js';

/**
 * Messages between the bench (which drives the simulator's faults) and the consumer process (our full stack:
 * facade over our REST and WebSocket adapters). Times are epoch ms from `Date.now()`, which both processes and the
 * simulator share.
 */

/** How the consumer configures the WebSocket adapter for this scenario (see websocket-profile.ts). */
export interface WebsocketProfile {
  readonly heartbeat: 'text' | 'ws-ping';
  readonly pingIntervalMs: number;
  readonly livenessTimeoutMs: number;
  readonly backoff: { readonly baseMs: number; readonly maxMs: number; readonly minMs: number };
  /** Trades kept per symbol for `getTrades`. */
  readonly recentTradesPerSymbol: number;
}

export interface FaultChildStart {
  readonly type: 'start';
  readonly restUrl: string;
  readonly wsUrl: string;
  readonly codes: readonly string[];
  /** The simulator's full trade sequence per code, read before the consumer subscribed. */
  readonly baseSeqs: Readonly<Record<string, number>>;
  readonly sampleEveryMs: number;
  /** WebSocket adapter settings; undefined: none given (the adapter's defaults). */
  readonly websocket: WebsocketProfile | undefined;
}

/** A fault began (simulator time). */
export interface FaultStarted {
  readonly type: 'fault-start';
  readonly id: number;
  readonly kind: FaultKind;
  readonly startedAt: number;
}

/** The fault is lifted: the server is reachable (and answering normally) again from this instant. */
export interface FaultLifted {
  readonly type: 'fault-end';
  readonly id: number;
  readonly reachableAt: number;
}

/** The simulator's markets are frozen at these sequences: deliver what is in flight, then report. */
export interface FaultChildFinish {
  readonly type: 'finish';
  readonly endSeqs: Readonly<Record<string, number>>;
}

export type FaultChildRequest = FaultChildStart | FaultStarted | FaultLifted | FaultChildFinish;

export interface FaultChildReady {
  readonly type: 'ready';
  readonly at: number;
  /** Codes that delivered their first trade before `ready` was sent. */
  readonly codesWithTrades: number;
}

export interface FaultChildFailure {
  readonly type: 'result';
  readonly ok: false;
  readonly error: string;
  readonly notBuilt: boolean;
}

export interface FaultChildSuccess {
  readonly type: 'result';
  readonly ok: true;
  readonly report: ConsumerReport;
}

export type FaultChildReply = FaultChildReady | FaultChildFailure | FaultChildSuccess;

/** Trades by per-symbol sequence, each one delivered or accounted for (see tick-ledger.ts). */
export interface TickAccount {
  readonly symbols: number;
  readonly symbolsWithoutTrades: number;
  readonly sent: number;
  readonly delivered: number;
  /** Lost while a recorded gap for that symbol lay between the trades delivered before and after them. */
  readonly inGap: number;
  /** Lost because their frame was malformed, each matched to a malformed frame the adapter reported. */
  readonly malformedReported: number;
  readonly unexplained: number;
  /** Malformed trade frames that matched no missing trade (e.g. a SNAPSHOT repeating a delivered trade). */
  readonly malformedTradeFramesUnmatched: number;
  /** Deliveries that went backwards or repeated a sequence (should be 0). */
  readonly outOfOrder: number;
  readonly unexplainedExamples: readonly string[];
  readonly unmatchedMalformedExamples: readonly string[];
}

export interface RecordedGap {
  readonly startedAt: number;
  /** When the adapter reported the gap (`on('gap')`): from then on it knows its feed is dead. */
  readonly noticedAt: number;
  readonly endedAt: number | undefined;
  readonly reason: string;
}

export interface FaultObservation {
  readonly id: number;
  readonly kind: FaultKind;
  readonly startedAt: number;
  readonly reachableAt: number | undefined;
  /** When the adapter reported the gap this fault opened. */
  readonly noticedAt: number | undefined;
  /** When the stream delivered again (the end of the gap this fault opened). */
  readonly recoveredAt: number | undefined;
  readonly gapRecorded: boolean;
  /**
   * First REST answer after `reachableAt` in the group the fault hit: ticker (storm, restart) or order book (the
   * forced 418).
   */
  readonly restResumedAt: number | undefined;
  /**
   * Samples handed out while the feed was dead and the adapter knew it (from `noticedAt` to `recoveredAt`; from the
   * fault's start if it never noticed), and how many of them were `high` from that feed.
   */
  readonly deadFeedSamples: number;
  readonly highFromDeadFeed: number;
  /** `high` from the WebSocket between the fault's start and the adapter noticing (it could not know yet). */
  readonly highBeforeNoticed: number;
  /**
   * `high` from the dead WebSocket feed asked for 3 s or more after the fault began, whether or not the adapter had
   * noticed: the backbone's own stale judgement must have caught it by then.
   */
  readonly highAfterStaleLimit: number;
  /** From the fault's start to the first ticker handed out below `high` (undefined: none before the feed was back). */
  readonly labelledAfterMs: number | undefined;
}

export interface QualitySummary {
  readonly samples: number;
  readonly byQuality: Readonly<Record<string, number>>;
  readonly deadFeedSamples: number;
  readonly highFromDeadFeed: number;
  readonly highBeforeNoticed: number;
  /** See `FaultObservation.highAfterStaleLimit`, summed. */
  readonly highAfterStaleLimit: number;
  /** `high` answers fetched from REST during a feed fault: fresh data from a live channel, not a violation. */
  readonly highFromRestDuringFaults: number;
  readonly examples: readonly string[];
  /** Samples that fell out of the ring buffer before their fault could be judged (should be 0). */
  readonly overwrittenBeforeJudged: number;
}

export interface ConsumerReport {
  readonly ticks: TickAccount;
  readonly gaps: readonly RecordedGap[];
  readonly faults: readonly FaultObservation[];
  readonly quality: QualitySummary;
  readonly samples: readonly MemorySample[];
  readonly gcForced: boolean;
  readonly errors: {
    /** The facade's own count, by the error family's code. */
    readonly facade: Readonly<Record<string, number>>;
    /** Errors our sampling and probing calls received, by code. */
    readonly calls: Readonly<Record<string, number>>;
    readonly malformedByKind: Readonly<Record<string, number>>;
    readonly malformedFrames: number;
    readonly reconnects: number;
    readonly connectAttempts: number;
    readonly gapCount: number;
    readonly duplicateTrades: number;
    /** Trades delivered marked `backfilled` (fetched from REST after the stream missed them). */
    readonly backfilledTrades: number;
    /** Trade recoveries that gave up (what they had not found stays a reported gap). */
    readonly backfillsAbandoned: number;
  };
  /** From trade time to hand-out, for streamed and for backfilled trades. */
  readonly delivery: { readonly streamed: DelayFigures; readonly backfilled: DelayFigures };
  /** Our calls: `getTicker` with source rest (answered), auto (facade's choice), REST order books (answered). */
  readonly calls: {
    readonly rest: number;
    readonly restOk: number;
    readonly auto: number;
    readonly orderBooks: number;
    readonly orderBooksOk: number;
  };
}
