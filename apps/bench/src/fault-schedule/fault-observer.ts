import type { FaultLifted, FaultObservation, FaultStarted, QualitySummary, RecordedGap } from './protocol.js';
import type { QualityRing, TickerSample } from './quality-ring.js';
import { type FaultKind, FEED_FAULTS } from './schedule.js';

/**
 * The consumer's view of each fault the bench injected: when the adapter noticed its feed was dead (it reported the
 * gap), when the feed delivered again (the gap's end), when REST answered again, and whether any ticker from the
 * dead feed was handed out as `high` quality once the adapter knew (or at all, if it never noticed).
 */

/** How long after `reachableAt` a feed fault may still open its gap (a drop's close can trail the message). */
const GAP_LATE_MS = 2_000;
/** A feed fault with no gap this long after `reachableAt` was never noticed by the adapter. */
const NO_GAP_AFTER_MS = 5_000;
/** A gap that began this long before the fault is an older one (a stall's gap starts at the last frame). */
const GAP_EARLY_MS = 3_000;
const MAX_EXAMPLES = 15;
/** With default settings a dead feed's values must be labelled below `high` within this (see PROMISES.md). */
export const STALE_LABEL_LIMIT_MS = 3_000;
const MAX_EXAMPLES_PER_FAULT = 3;
const REST_SUCCESSES_KEPT = 256;

/** The REST group whose answers tell that a fault is over: the 418 is forced on the order book group. */
export type RestGroup = 'ticker' | 'orderbook';
const restGroupOf = (kind: FaultKind): RestGroup => (kind === 'forced-418' ? 'orderbook' : 'ticker');

interface Tracked {
  readonly id: number;
  readonly kind: FaultKind;
  readonly startedAt: number;
  reachableAt: number | undefined;
  noticedAt: number | undefined;
  recoveredAt: number | undefined;
  gapRecorded: boolean;
  restResumedAt: number | undefined;
  judged: boolean;
  deadFeedSamples: number;
  highFromDeadFeed: number;
  highBeforeNoticed: number;
  highAfterStaleLimit: number;
  labelledAfterMs: number | undefined;
}

export interface FaultObserverOptions {
  readonly symbolOf: (index: number) => string;
}

export class FaultObserver {
  private readonly faults: Tracked[] = [];
  private readonly restSuccesses: Record<RestGroup, number[]> = { ticker: [], orderbook: [] };
  private highFromRest = 0;
  private overwritten = 0;
  private readonly examples: string[] = [];

  constructor(
    private readonly ring: QualityRing,
    private readonly options: FaultObserverOptions,
  ) {}

  started(message: FaultStarted): void {
    this.faults.push({
      id: message.id,
      kind: message.kind,
      startedAt: message.startedAt,
      reachableAt: undefined,
      noticedAt: undefined,
      recoveredAt: undefined,
      gapRecorded: false,
      restResumedAt: undefined,
      judged: !FEED_FAULTS.includes(message.kind),
      deadFeedSamples: 0,
      highFromDeadFeed: 0,
      highBeforeNoticed: 0,
      highAfterStaleLimit: 0,
      labelledAfterMs: undefined,
    });
  }

  lifted(message: FaultLifted): void {
    const fault = this.faults.find((f) => f.id === message.id);
    if (fault === undefined) return;
    fault.reachableAt = message.reachableAt;
    fault.restResumedAt = this.restSuccesses[restGroupOf(fault.kind)].find((at) => at >= message.reachableAt);
  }

  /** A REST call of the group completed with an answer. */
  restAnswered(group: RestGroup, completedAt: number): void {
    const successes = this.restSuccesses[group];
    successes.push(completedAt);
    if (successes.length > REST_SUCCESSES_KEPT) successes.shift();
    for (const fault of this.faults) {
      if (
        restGroupOf(fault.kind) === group &&
        fault.reachableAt !== undefined &&
        fault.restResumedAt === undefined &&
        completedAt >= fault.reachableAt
      ) {
        fault.restResumedAt = completedAt;
      }
    }
  }

  /** A feed fault is under way and not yet judged: the consumer samples harder meanwhile. */
  feedFaultActive(): boolean {
    return this.faults.some((f) => !f.judged);
  }

  /** Resolves recoveries from the recorded gaps and judges the faults whose feed is back. */
  update(now: number, gaps: readonly RecordedGap[], final = false): void {
    for (const fault of this.faults) {
      if (fault.judged || fault.reachableAt === undefined) continue;
      const reachableAt = fault.reachableAt;
      const gap = gaps.find(
        (g) =>
          (g.endedAt === undefined || g.endedAt >= fault.startedAt) &&
          g.startedAt >= fault.startedAt - GAP_EARLY_MS &&
          g.startedAt <= reachableAt + GAP_LATE_MS,
      );
      if (gap !== undefined) {
        fault.gapRecorded = true;
        fault.noticedAt = gap.noticedAt;
        if (gap.endedAt !== undefined) {
          fault.recoveredAt = gap.endedAt;
          this.judge(fault, gap.noticedAt, gap.endedAt);
        } else if (final) {
          this.judge(fault, gap.noticedAt, now);
        }
      } else if (final || now > reachableAt + NO_GAP_AFTER_MS) {
        // Never noticed: the whole dead stretch counts, up to the moment the server was back.
        this.judge(fault, fault.startedAt, reachableAt);
      }
    }
  }

  observations(): FaultObservation[] {
    return this.faults.map((f) => ({
      id: f.id,
      kind: f.kind,
      startedAt: f.startedAt,
      reachableAt: f.reachableAt,
      noticedAt: f.noticedAt,
      recoveredAt: f.recoveredAt,
      gapRecorded: f.gapRecorded,
      restResumedAt: f.restResumedAt,
      deadFeedSamples: f.deadFeedSamples,
      highFromDeadFeed: f.highFromDeadFeed,
      highBeforeNoticed: f.highBeforeNoticed,
      highAfterStaleLimit: f.highAfterStaleLimit,
      labelledAfterMs: f.labelledAfterMs,
    }));
  }

  summary(): QualitySummary {
    const sum = (pick: (f: Tracked) => number): number => this.faults.reduce((total, f) => total + pick(f), 0);
    return {
      samples: this.ring.count,
      byQuality: this.ring.byQuality(),
      deadFeedSamples: sum((f) => f.deadFeedSamples),
      highFromDeadFeed: sum((f) => f.highFromDeadFeed),
      highBeforeNoticed: sum((f) => f.highBeforeNoticed),
      highAfterStaleLimit: sum((f) => f.highAfterStaleLimit),
      highFromRestDuringFaults: this.highFromRest,
      examples: [...this.examples],
      overwrittenBeforeJudged: this.overwritten,
    };
  }

  /**
   * Samples asked for from `deadFrom` (the adapter knew) until `deadUntil` (the feed delivered again). A `high`
   * one is a violation when it came from the WebSocket and was received before the feed came back (a value
   * received afterwards is fresh, even if the call that returned it began earlier).
   */
  private judge(fault: Tracked, deadFrom: number, deadUntil: number): void {
    fault.judged = true;
    const oldest = this.ring.oldestHeld();
    if (oldest !== undefined && oldest > fault.startedAt) this.overwritten++;
    this.ring.forEachBetween(fault.startedAt, deadUntil, (sample) => {
      const high = sample.quality === 'high';
      if (!high) {
        const after = sample.askedAt - fault.startedAt;
        fault.labelledAfterMs = Math.min(fault.labelledAfterMs ?? after, after);
      }
      const fromDeadFeed = sample.fromWebsocket && sample.receivedAt < deadUntil;
      if (high && fromDeadFeed && sample.askedAt >= fault.startedAt + STALE_LABEL_LIMIT_MS) {
        fault.highAfterStaleLimit++;
        this.example(fault, sample);
      }
      if (sample.askedAt < deadFrom) {
        if (high && sample.fromWebsocket) fault.highBeforeNoticed++;
        return;
      }
      fault.deadFeedSamples++;
      if (!high) return;
      if (sample.fromWebsocket && sample.receivedAt < deadUntil) {
        fault.highFromDeadFeed++;
        this.example(fault, sample);
      } else if (sample.source === 'rest') {
        this.highFromRest++;
      }
    });
  }

  private example(fault: Tracked, sample: TickerSample): void {
    if (this.examples.length >= MAX_EXAMPLES || fault.highFromDeadFeed > MAX_EXAMPLES_PER_FAULT) return;
    const noticed =
      fault.noticedAt === undefined
        ? 'never noticed'
        : `noticed after ${Math.round(fault.noticedAt - fault.startedAt)} ms`;
    this.examples.push(
      `${this.options.symbolOf(sample.symbolIndex)} served high from ${sample.source} ` +
        `(asked ${Math.round(sample.askedAt - fault.startedAt)} ms into ${fault.kind} #${fault.id}, ${noticed}), ` +
        `value received ${Math.round(fault.startedAt - sample.receivedAt)} ms before the fault`,
    );
  }
}
