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
  checkTicker,
  QUALITY_ISSUE_KINDS,
  type QualityIssue,
  type QualityIssueKind,
  relativeDifference,
} from './quality-checks.js';
import { RhythmTracker } from './symbol-rhythm.js';

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
  readonly receivedAt: number;
  readonly tradeTimestamp: number;
}

/**
 * Turns channel tickers into graded tickers. Every tick is inspected once (data checks, cross-channel
 * comparison, rhythm learning) and counted; grading at hand-out applies the rules in `gradeTicker`.
 */
export class Unifier {
  private readonly rhythm: RhythmTracker;
  private readonly lastSeen = new Map<MarketCode, Partial<Record<ChannelKind, SeenPrice>>>();
  // The WebSocket source may hand out the same object again; it is inspected (and counted) once.
  private readonly inspected = new WeakMap<ChannelTicker, readonly QualityIssue[]>();
  private ticksChecked = 0;
  private readonly issueCounts = Object.fromEntries(QUALITY_ISSUE_KINDS.map((kind) => [kind, 0])) as Record<
    QualityIssueKind,
    number
  >;
  private readonly qualityCounts: Record<DataQuality, number> = { high: 0, medium: 0, low: 0 };

  constructor(private readonly options: UnifierOptions) {
    this.rhythm = new RhythmTracker({ ...options.quality, maxSymbols: options.maxSymbols });
  }

  /** Runs the data checks and the cross-channel comparison on a tick (once per tick object). */
  inspect(tick: ChannelTicker): readonly QualityIssue[] {
    const known = this.inspected.get(tick);
    if (known !== undefined) return known;
    const { quality } = this.options;
    const issues = checkTicker(tick, this.options.clock.now(), quality.futureToleranceMs);
    const disagreement = this.crossCheck(tick);
    if (disagreement !== undefined) issues.push(disagreement);
    this.rhythm.observe(tick.symbol, tick.tradeTimestamp);
    this.ticksChecked++;
    for (const issue of issues) this.issueCounts[issue.kind]++;
    this.inspected.set(tick, issues);
    return issues;
  }

  /** The symbol's expected update interval: the stream's figure when given, else what was learned. */
  expectedIntervalMs(symbol: MarketCode, fromStream?: number): number {
    return this.rhythm.expectedIntervalMs(symbol, fromStream);
  }

  /** Inspects (if not yet) and grades a tick for hand-out, counting the resulting quality. */
  grade(tick: ChannelTicker, context: ServeContext): Ticker {
    const issues = this.inspect(tick);
    const { clock } = this.options;
    const nowMs = clock.now();
    const input: GradeInput = {
      tick,
      servedFrom: context.servedFrom,
      nowMs,
      processingTimeMs: Math.max(0, clock.monotonic() - context.startedAt),
      issues,
      expectedIntervalMs: this.expectedIntervalMs(tick.symbol, context.streamExpectedIntervalMs),
      staleFactor: this.options.staleFactor,
      cacheTtlMs: this.options.cacheTtlMs,
      sinceUpdateMs: context.servedFrom === 'websocket' ? nowMs - tick.receivedAt : undefined,
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

  private crossCheck(tick: ChannelTicker): QualityIssue | undefined {
    const seen = this.lastSeen.get(tick.symbol) ?? {};
    const other: ChannelKind = tick.source === 'rest' ? 'websocket' : 'rest';
    const otherSeen = seen[other];
    seen[tick.source] = { price: tick.price, receivedAt: tick.receivedAt, tradeTimestamp: tick.tradeTimestamp };
    this.lastSeen.delete(tick.symbol);
    this.lastSeen.set(tick.symbol, seen);
    this.trimLastSeen();
    const { crossCheckWindowMs, disagreementThreshold } = this.options.quality;
    if (otherSeen === undefined || Math.abs(tick.receivedAt - otherSeen.receivedAt) > crossCheckWindowMs) {
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
