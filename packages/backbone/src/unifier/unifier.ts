import type {
  ChannelKind,
  ChannelTicker,
  Clock,
  DataQuality,
  DataSource,
  MarketCode,
  Ticker,
} from '@marketdata/domain';
import type { QualityConfig } from '../config/backbone-config.js';
import { type GradeInput, gradeTicker, stalenessIssue } from './grade-ticker.js';
import {
  checkFutureTimestamp,
  checkTicker,
  QUALITY_ISSUE_KINDS,
  type QualityIssue,
  type QualityIssueKind,
  relativeDifference,
} from './quality-checks.js';
import { RhythmTracker } from './symbol-rhythm.js';
import { WallToMonotonic } from './wall-to-monotonic.js';

export interface UnifierOptions {
  readonly clock: Clock;
  readonly quality: QualityConfig;
  readonly staleFactor: number;
  readonly cacheTtlMs: number;
  readonly maxSymbols: number;
}

/** How a value is being handed out; everything the grading rules need besides the tick itself. */
export interface ServeContext {
  readonly servedFrom: DataSource;
  /** Monotonic time the call (or the stream delivery) started, for `processingTimeMs`. */
  readonly startedAt: number;
  /** The expected interval the stream reports for this symbol, if any. */
  readonly streamExpectedIntervalMs?: number | undefined;
  readonly suspectedStaleByStream?: boolean | undefined;
  readonly cacheAgeMs?: number | undefined;
  readonly fallbackFrom?: ChannelKind | undefined;
  readonly fallbackReason?: string | undefined;
}

export interface UnifierCounters {
  /** Ticks run through the data-quality checks. */
  readonly ticksChecked: number;
  readonly issues: Readonly<Record<QualityIssueKind, number>>;
  readonly quality: Readonly<Record<DataQuality, number>>;
}

interface SeenPrice {
  readonly price: number;
  /** Monotonic receive instant. */
  readonly receivedAt: number;
  readonly tradeTimestamp: number;
}

/** What the first inspection of a tick object found. */
interface Inspection {
  /** Issues found on receipt (data checks, exchange time ahead of the clock then, disagreement). */
  readonly issues: readonly QualityIssue[];
  /** The local receive instant on the monotonic clock (the tick's own `receivedAt` is wall time). */
  readonly receivedAtMonotonic: number;
  /** A future exchange time found at a later hand-out (not on receipt) has been counted for this tick. */
  futureCountedAtHandOut: boolean;
}

/**
 * Turns channel tickers into graded tickers. Every tick is inspected once (data checks, cross-channel
 * comparison, rhythm learning) and counted; grading at hand-out applies the rules in `gradeTicker`.
 *
 * Durations (time since receipt, the cross-check window) are measured on the monotonic clock: each tick's wall
 * receive time is translated to a monotonic instant when the tick is first seen, so a wall-clock jump neither
 * makes old data young nor fresh data old. Wall time is only compared with exchange times.
 */
export class Unifier {
  private readonly rhythm: RhythmTracker;
  private readonly wallToMonotonic: WallToMonotonic;
  private readonly lastSeen = new Map<MarketCode, Partial<Record<ChannelKind, SeenPrice>>>();
  // The WebSocket source may hand out the same object again; it is inspected (and counted) once.
  private readonly inspected = new WeakMap<ChannelTicker, Inspection>();
  private ticksChecked = 0;
  private readonly issueCounts = Object.fromEntries(QUALITY_ISSUE_KINDS.map((kind) => [kind, 0])) as Record<
    QualityIssueKind,
    number
  >;
  private readonly qualityCounts: Record<DataQuality, number> = { high: 0, medium: 0, low: 0 };

  constructor(private readonly options: UnifierOptions) {
    this.rhythm = new RhythmTracker({ ...options.quality, maxSymbols: options.maxSymbols });
    this.wallToMonotonic = new WallToMonotonic(options.clock);
  }

  /** Runs the data checks and the cross-channel comparison on a tick (once per tick object). */
  inspect(tick: ChannelTicker): readonly QualityIssue[] {
    return this.inspection(tick).issues;
  }

  /** The tick's local receive instant on the monotonic clock (inspects the tick if not yet). */
  receivedAtMonotonic(tick: ChannelTicker): number {
    return this.inspection(tick).receivedAtMonotonic;
  }

  /** The symbol's expected update interval: the stream's figure when given, else what was learned. */
  expectedIntervalMs(symbol: MarketCode, fromStream?: number): number {
    return this.rhythm.expectedIntervalMs(symbol, fromStream);
  }

  /**
   * Inspects (if not yet) and grades a tick for hand-out, counting the resulting quality. The exchange time is
   * checked against the local clock again at hand-out: the wall clock may have jumped back since the tick arrived,
   * and a value whose age comes out negative beyond the tolerance is always flagged.
   */
  grade(tick: ChannelTicker, context: ServeContext): Ticker {
    const inspection = this.inspection(tick);
    const { clock } = this.options;
    const nowMs = clock.now();
    const nowMonotonic = this.wallToMonotonic.sample();
    const input: GradeInput = {
      tick,
      servedFrom: context.servedFrom,
      nowMs,
      processingTimeMs: Math.max(0, nowMonotonic - context.startedAt),
      issues: this.handOutIssues(tick, inspection, nowMs),
      expectedIntervalMs: this.expectedIntervalMs(tick.symbol, context.streamExpectedIntervalMs),
      staleFactor: this.options.staleFactor,
      cacheTtlMs: this.options.cacheTtlMs,
      sinceUpdateMs:
        context.servedFrom === 'websocket' ? Math.max(0, nowMonotonic - inspection.receivedAtMonotonic) : undefined,
      suspectedStaleByStream: context.suspectedStaleByStream,
      cacheAgeMs: context.cacheAgeMs,
      fallbackFrom: context.fallbackFrom,
      fallbackReason: context.fallbackReason,
    };
    const ticker = gradeTicker(input);
    this.qualityCounts[ticker.quality]++;
    if (stalenessIssue(input) !== undefined) this.issueCounts['suspected-stale']++;
    return ticker;
  }

  counters(): UnifierCounters {
    return { ticksChecked: this.ticksChecked, issues: { ...this.issueCounts }, quality: { ...this.qualityCounts } };
  }

  private inspection(tick: ChannelTicker): Inspection {
    const known = this.inspected.get(tick);
    if (known !== undefined) return known;
    const { quality } = this.options;
    // A receive stamp ahead of the local clock under every offset seen cannot be placed: taken as received now.
    const receivedAtMonotonic = this.wallToMonotonic.toMonotonic(tick.receivedAt) ?? this.options.clock.monotonic();
    const issues = checkTicker(tick, this.options.clock.now(), quality.futureToleranceMs);
    const disagreement = this.crossCheck(tick, receivedAtMonotonic);
    if (disagreement !== undefined) issues.push(disagreement);
    this.rhythm.observe(tick.symbol, tick.tradeTimestamp);
    this.ticksChecked++;
    for (const issue of issues) this.issueCounts[issue.kind]++;
    const inspection: Inspection = { issues, receivedAtMonotonic, futureCountedAtHandOut: false };
    this.inspected.set(tick, inspection);
    return inspection;
  }

  /** The receipt issues plus a future exchange time found now; each tick is counted once as in the future. */
  private handOutIssues(tick: ChannelTicker, inspection: Inspection, nowMs: number): readonly QualityIssue[] {
    if (inspection.issues.some((issue) => issue.kind === 'future-timestamp')) return inspection.issues;
    const future = checkFutureTimestamp(tick, nowMs, this.options.quality.futureToleranceMs);
    if (future === undefined) return inspection.issues;
    if (!inspection.futureCountedAtHandOut) {
      inspection.futureCountedAtHandOut = true;
      this.issueCounts['future-timestamp']++;
    }
    return [...inspection.issues, future];
  }

  private crossCheck(tick: ChannelTicker, receivedAt: number): QualityIssue | undefined {
    const seen = this.lastSeen.get(tick.symbol) ?? {};
    const other: ChannelKind = tick.source === 'rest' ? 'websocket' : 'rest';
    const otherSeen = seen[other];
    seen[tick.source] = { price: tick.price, receivedAt, tradeTimestamp: tick.tradeTimestamp };
    this.lastSeen.delete(tick.symbol);
    this.lastSeen.set(tick.symbol, seen);
    this.trimLastSeen();
    const { crossCheckWindowMs, disagreementThreshold } = this.options.quality;
    if (otherSeen === undefined || Math.abs(receivedAt - otherSeen.receivedAt) > crossCheckWindowMs) {
      return undefined;
    }
    // Only values about the same last trade must agree. Two different trades differ because the market moved (one
    // tick of a low-priced market is well over 0.1%); an old trade on one channel is staleness, judged elsewhere.
    if (tick.tradeTimestamp !== otherSeen.tradeTimestamp) return undefined;
    const difference = relativeDifference(tick.price, otherSeen.price);
    if (difference <= disagreementThreshold) return undefined;
    return {
      kind: 'channel-disagreement',
      note: `${tick.source} price ${tick.price} differs from ${other} price ${otherSeen.price} by ${(difference * 100).toFixed(3)}%`,
    };
  }

  private trimLastSeen(): void {
    while (this.lastSeen.size > this.options.maxSymbols) {
      const oldest = this.lastSeen.keys().next();
      if (oldest.done === true) return;
      this.lastSeen.delete(oldest.value);
    }
  }
}
