import type { FaultLifted, FaultObservation, FaultStarted, QualitySummary, RecordedGap } from './protocol.js';
import type { QualityRing, TickerSample } from './quality-ring.js';
import { FEED_FAULTS, type FaultKind } from './schedule.js';

/**
 * The consumer's view of each fault the bench injected: when its feed delivered again (the end of the gap it
 * opened), when REST answered again, and whether any ticker from the dead feed was handed out as `high` quality.
 */

/** How long after `reachableAt` a feed fault may still open its gap (a drop's close can trail the message). */
const GAP_LATE_MS = 2_000;
/** A feed fault with no gap this long after `reachableAt` was never noticed by the adapter. */
const NO_GAP_AFTER_MS = 5_000;
/** A gap that began this long before the fault is an older one (a stall's gap starts at the last frame). */
const GAP_EARLY_MS = 3_000;
const MAX_EXAMPLES = 10;
const REST_SUCCESSES_KEPT = 256;

interface Tracked {
  readonly id: number;
  readonly kind: FaultKind;
  readonly startedAt: number;
  readonly allowanceMs: number;
  reachableAt: number | undefined;
  recoveredAt: number | undefined;
  gapRecorded: boolean;
  restResumedAt: number | undefined;
  judged: boolean;
  deadFeedSamples: number;
  highFromDeadFeed: number;
  highInsideAllowance: number;
}

export interface FaultObserverOptions {
  readonly allowanceMs: (kind: FaultKind) => number;
  readonly symbolOf: (index: number) => string;
}

export class FaultObserver {
  private readonly faults: Tracked[] = [];
  private readonly restSuccesses: number[] = [];
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
      allowanceMs: this.options.allowanceMs(message.kind),
      reachableAt: undefined,
      recoveredAt: undefined,
      gapRecorded: false,
      restResumedAt: undefined,
      judged: !FEED_FAULTS.includes(message.kind),
      deadFeedSamples: 0,
      highFromDeadFeed: 0,
      highInsideAllowance: 0,
    });
  }

  lifted(message: FaultLifted): void {
    const fault = this.faults.find((f) => f.id === message.id);
    if (fault === undefined) return;
    fault.reachableAt = message.reachableAt;
    fault.restResumedAt = this.restSuccesses.find((at) => at >= message.reachableAt);
  }

  /** A REST call completed (`ok`: with an answer). */
  restOutcome(completedAt: number, ok: boolean): void {
    if (!ok) return;
    this.restSuccesses.push(completedAt);
    if (this.restSuccesses.length > REST_SUCCESSES_KEPT) this.restSuccesses.shift();
    for (const fault of this.faults) {
      if (fault.reachableAt !== undefined && fault.restResumedAt === undefined && completedAt >= fault.reachableAt) {
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
        if (gap.endedAt !== undefined) {
          fault.recoveredAt = gap.endedAt;
          this.judge(fault, gap.endedAt);
        } else if (final) {
          this.judge(fault, now);
        }
      } else if (final || now > reachableAt + NO_GAP_AFTER_MS) {
        // Never noticed: the dead stretch is judged up to the moment the server was back.
        this.judge(fault, reachableAt);
      }
    }
  }

  observations(): FaultObservation[] {
    return this.faults.map((f) => ({
      id: f.id,
      kind: f.kind,
      startedAt: f.startedAt,
      reachableAt: f.reachableAt,
      recoveredAt: f.recoveredAt,
      gapRecorded: f.gapRecorded,
      restResumedAt: f.restResumedAt,
      deadFeedSamples: f.deadFeedSamples,
      highFromDeadFeed: f.highFromDeadFeed,
      highInsideAllowance: f.highInsideAllowance,
      allowanceMs: f.allowanceMs,
    }));
  }

  summary(): QualitySummary {
    const sum = (pick: (f: Tracked) => number): number => this.faults.reduce((total, f) => total + pick(f), 0);
    return {
      samples: this.ring.count,
      byQuality: this.ring.byQuality(),
      deadFeedSamples: sum((f) => f.deadFeedSamples),
      highFromDeadFeed: sum((f) => f.highFromDeadFeed),
      highInsideAllowance: sum((f) => f.highInsideAllowance),
      highFromRestDuringFaults: this.highFromRest,
      examples: [...this.examples],
      overwrittenBeforeJudged: this.overwritten,
    };
  }

  private judge(fault: Tracked, deadUntil: number): void {
    fault.judged = true;
    const oldest = this.ring.oldestHeld();
    if (oldest !== undefined && oldest > fault.startedAt) this.overwritten++;
    const deadFrom = fault.startedAt + fault.allowanceMs;
    this.ring.forEachBetween(fault.startedAt, deadUntil, (sample) => {
      const high = sample.quality === 'high';
      if (sample.handedOutAt < deadFrom) {
        if (high && sample.fromWebsocket) fault.highInsideAllowance++;
        return;
      }
      fault.deadFeedSamples++;
      if (!high) return;
      if (sample.fromWebsocket) {
        fault.highFromDeadFeed++;
        this.example(fault, sample);
      } else if (sample.source === 'rest') {
        this.highFromRest++;
      }
    });
  }

  private example(fault: Tracked, sample: TickerSample): void {
    if (this.examples.length >= MAX_EXAMPLES) return;
    this.examples.push(
      `${this.options.symbolOf(sample.symbolIndex)} served high from ${sample.source} ` +
        `${Math.round(sample.handedOutAt - fault.startedAt)} ms into ${fault.kind} #${fault.id}, ` +
        `value received ${Math.round(fault.startedAt - sample.receivedAt)} ms before the fault`,
    );
  }
}
