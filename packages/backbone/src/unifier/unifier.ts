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
import type { FreshnessJudge } from '../freshness/freshness-judge.js';
import { describeStale } from '../freshness/verdicts.js';
import { type Grade, gradeRecord } from './grade-record.js';
import { gradeTicker } from './grade-ticker.js';
import { type MarketStatusFacts, marketStatusIssues } from './market-status.js';
import {
  checkFutureTimestamp,
  checkTicker,
  QUALITY_ISSUE_KINDS,
  type QualityIssue,
  type QualityIssueKind,
  relativeDifference,
} from './quality-checks.js';

export interface UnifierOptions {
  readonly clock: Clock;
  readonly quality: QualityConfig;
  readonly cacheTtlMs: number;
  readonly maxSymbols: number;
  /** The one stale rule and the symbols' rhythms; the unifier feeds it the trade times it sees. */
  readonly judge: FreshnessJudge;
  /** The market directory's details of a symbol (warnings, cautions), when at hand. */
  readonly marketDetails?: ((symbol: MarketCode) => MarketStatusFacts | undefined) | undefined;
  /**
   * The latest ticker the WebSocket holds for a symbol (synchronous, no I/O): its status fields (suspension, market
   * state, delisting date) grade the symbol's other values too (books, trades, candles).
   */
  readonly latestTicker?: ((symbol: MarketCode) => ChannelTicker | undefined) | undefined;
}

/** A value other than a ticker, as the grading rules need it. */
export interface GradeValueInput {
  /** The market the value is about; undefined for values about no one market (the market list). */
  readonly symbol: MarketCode | undefined;
  /** The exchange time the value's age is measured from. */
  readonly exchangeTimestamp: number;
  /** Issues the value's own data checks found (`record-checks.ts`), and staleness where it was judged. */
  readonly issues: readonly QualityIssue[];
  /** How often a newer value is due; a cache hit older than this lowers the grade. Default: the cache TTL. */
  readonly expectedIntervalMs?: number | undefined;
}

/** How a value is being handed out; everything the grading rules need besides the tick itself. */
export interface ServeContext {
  readonly servedFrom: DataSource;
  /** Monotonic time the call (or the stream delivery) started, for `processingTimeMs`. */
  readonly startedAt: number;
  readonly cacheAgeMs?: number | undefined;
  readonly fallbackFrom?: ChannelKind | undefined;
  readonly fallbackReason?: string | undefined;
}

/** Data-quality counters: ticks checked, issues by kind, values by grade. */
export interface UnifierCounters {
  /** Ticks run through the data-quality checks. */
  readonly ticksChecked: number;
  readonly issues: Readonly<Record<QualityIssueKind, number>>;
  readonly quality: Readonly<Record<DataQuality, number>>;
}

interface SeenPrice {
  readonly price: number;
  readonly receivedAtMonotonic: number;
  readonly tradeTimestamp: number;
}

/** What the first inspection of a tick object found. */
interface Inspection {
  /** Issues found on receipt (data checks, exchange time ahead of the clock then, disagreement). */
  readonly issues: readonly QualityIssue[];
  /** A future exchange time found at a later hand-out (not on receipt) has been counted for this tick. */
  futureCountedAtHandOut: boolean;
  /** The market state the tick carries itself, read once. */
  readonly ownStatus: MarketStatusFacts | undefined;
  /** Its market-state issues with the directory's facts they were found with: reused while those stay the same. */
  status?: { readonly details: MarketStatusFacts | undefined; readonly issues: readonly QualityIssue[] };
}

/**
 * Turns channel tickers into graded tickers. Every tick is inspected once (data checks, cross-channel comparison,
 * its trade time handed to the freshness judge) and counted; grading at hand-out applies the rules in
 * `gradeTicker`, with the judge's verdict on staleness. Durations come from the monotonic receive time the adapter
 * stamped on the tick; wall time is only compared with exchange times.
 */
/**
 * The market state a ticker carries itself (WebSocket tickers: `market_state`, `is_trading_suspended`,
 * `market_warning`, `delisting_date`); undefined when it carries none (REST tickers), so the market directory's
 * details are the only source then.
 */
function tickerStatusFacts(tick: ChannelTicker): MarketStatusFacts | undefined {
  const { marketState, tradingSuspended, marketWarning, delistingDate } = tick;
  if (
    marketState === undefined &&
    tradingSuspended === undefined &&
    marketWarning === undefined &&
    delistingDate === undefined
  ) {
    return undefined;
  }
  return {
    from: `${tick.source} ticker`,
    marketState,
    tradingSuspended,
    delistingDate,
    warning: marketWarning === undefined ? undefined : marketWarning !== 'NONE',
  };
}

export class Unifier {
  private readonly lastSeen = new Map<MarketCode, Partial<Record<ChannelKind, SeenPrice>>>();
  // A source may hand out the same object again (the stream's latest value); it is inspected (and counted) once.
  private readonly inspected = new WeakMap<ChannelTicker, Inspection>();
  private ticksChecked = 0;
  private readonly issueCounts = Object.fromEntries(QUALITY_ISSUE_KINDS.map((kind) => [kind, 0])) as Record<
    QualityIssueKind,
    number
  >;
  private readonly qualityCounts: Record<DataQuality, number> = { high: 0, medium: 0, low: 0 };

  constructor(private readonly options: UnifierOptions) {}

  /** Runs the data checks and the cross-channel comparison on a tick (once per tick object). */
  inspect(tick: ChannelTicker): readonly QualityIssue[] {
    return this.inspection(tick).issues;
  }

  /** A channel has answered for this symbol (recently enough to be remembered): it exists. */
  hasSeen(symbol: MarketCode): boolean {
    return this.lastSeen.has(symbol);
  }

  /**
   * Inspects (if not yet) and grades a tick for hand-out, counting the resulting quality. The exchange time is
   * checked against the local clock again at hand-out: the wall clock may have jumped back since the tick arrived,
   * and a value whose age comes out negative beyond the tolerance is always flagged.
   */
  grade(tick: ChannelTicker, context: ServeContext): Ticker {
    const inspection = this.inspection(tick);
    const { clock, judge, cacheTtlMs } = this.options;
    const nowMs = clock.now();
    const handOutAt = clock.monotonic();
    let issues = this.handOutIssues(tick, inspection, nowMs);
    const stale = this.staleIssue(tick, context.servedFrom, handOutAt);
    if (stale !== undefined) {
      issues = [...issues, stale];
      this.issueCounts.stale++;
    }
    const status = this.tickStatusIssues(tick.symbol, inspection);
    if (status.length > 0) issues = [...issues, ...status];
    const ticker = gradeTicker({
      tick,
      servedFrom: context.servedFrom,
      nowMs,
      processingTimeMs: Math.max(0, handOutAt - context.startedAt),
      issues,
      expectedIntervalMs: judge.expectedIntervalMs('ticker', tick.symbol),
      cacheTtlMs,
      cacheAgeMs: context.cacheAgeMs,
      fallbackFrom: context.fallbackFrom,
      fallbackReason: context.fallbackReason,
    });
    this.qualityCounts[ticker.quality]++;
    return ticker;
  }

  /**
   * Grades a value other than a ticker (an order book, a list of trades or candles, the market list) by the same
   * rules: its own data checks, an exchange time ahead of the local clock, the market's state, fallback and cache
   * age. Counted among the issues, not among the tickers' qualities.
   */
  gradeValue(input: GradeValueInput, context: ServeContext): Grade {
    const { clock, quality, cacheTtlMs } = this.options;
    const nowMs = clock.now();
    const issues = [...input.issues];
    const future = checkFutureTimestamp(input, nowMs, quality.futureToleranceMs);
    if (future !== undefined) issues.push(future);
    for (const issue of issues) this.issueCounts[issue.kind]++;
    if (input.symbol !== undefined) {
      const ticker = this.options.latestTicker?.(input.symbol);
      issues.push(...this.marketIssues(input.symbol, ticker === undefined ? undefined : tickerStatusFacts(ticker)));
    }
    return gradeRecord({
      servedFrom: context.servedFrom,
      exchangeTimestamp: input.exchangeTimestamp,
      nowMs,
      processingTimeMs: Math.max(0, clock.monotonic() - context.startedAt),
      issues,
      expectedIntervalMs: input.expectedIntervalMs ?? cacheTtlMs,
      cacheTtlMs,
      cacheAgeMs: context.cacheAgeMs,
      fallbackFrom: context.fallbackFrom,
      fallbackReason: context.fallbackReason,
    });
  }

  /** The market's own state as issues (the value's own fields first, then the market directory's details), counted. */
  marketIssues(symbol: MarketCode, own: MarketStatusFacts | undefined): QualityIssue[] {
    const issues = marketStatusIssues([own, this.options.marketDetails?.(symbol)]);
    for (const issue of issues) this.issueCounts[issue.kind]++;
    return issues;
  }

  /** `marketIssues` for a tick at hand-out, found again only when the directory's facts changed; counted each time. */
  private tickStatusIssues(symbol: MarketCode, inspection: Inspection): readonly QualityIssue[] {
    const details = this.options.marketDetails?.(symbol);
    let status = inspection.status;
    if (status === undefined || status.details !== details) {
      status = { details, issues: marketStatusIssues([inspection.ownStatus, details]) };
      inspection.status = status;
    }
    for (const issue of status.issues) this.issueCounts[issue.kind]++;
    return status.issues;
  }

  counters(): UnifierCounters {
    return { ticksChecked: this.ticksChecked, issues: { ...this.issueCounts }, quality: { ...this.qualityCounts } };
  }

  /** The judge's verdict as an issue. A REST answer fetched for this call is current by definition. */
  private staleIssue(tick: ChannelTicker, servedFrom: DataSource, now: number): QualityIssue | undefined {
    if (servedFrom === 'rest') return undefined;
    // A cached stream value is no fresher than the stream that produced it (after a drop, during a stall).
    const fromStream = tick.source === 'websocket';
    const { symbol, receivedAtMonotonic, tradeTimestamp } = tick;
    const verdict = this.options.judge.staleness(
      'ticker',
      symbol,
      receivedAtMonotonic,
      fromStream,
      tradeTimestamp,
      now,
    );
    if (verdict === undefined) return undefined;
    if (servedFrom === 'websocket') return { kind: 'stale', note: describeStale(verdict, 'last update') };
    const note =
      verdict.cause === 'cannot-deliver'
        ? `cached from a stream that cannot deliver (${verdict.detail})`
        : describeStale(verdict, 'cached');
    return { kind: 'stale', note };
  }

  private inspection(tick: ChannelTicker): Inspection {
    const known = this.inspected.get(tick);
    if (known !== undefined) return known;
    const issues = checkTicker(tick, this.options.clock.now(), this.options.quality.futureToleranceMs);
    const disagreement = this.crossCheck(tick);
    if (disagreement !== undefined) issues.push(disagreement);
    this.options.judge.noteTicker(tick);
    this.ticksChecked++;
    for (const issue of issues) this.issueCounts[issue.kind]++;
    const inspection: Inspection = { issues, futureCountedAtHandOut: false, ownStatus: tickerStatusFacts(tick) };
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

  private crossCheck(tick: ChannelTicker): QualityIssue | undefined {
    const receivedAt = tick.receivedAtMonotonic;
    const seen = this.lastSeen.get(tick.symbol) ?? {};
    const other: ChannelKind = tick.source === 'rest' ? 'websocket' : 'rest';
    const otherSeen = seen[other];
    seen[tick.source] = { price: tick.price, receivedAtMonotonic: receivedAt, tradeTimestamp: tick.tradeTimestamp };
    this.lastSeen.delete(tick.symbol);
    this.lastSeen.set(tick.symbol, seen);
    this.trimLastSeen();
    const { crossCheckWindowMs, disagreementThreshold } = this.options.quality;
    if (otherSeen === undefined || Math.abs(receivedAt - otherSeen.receivedAtMonotonic) > crossCheckWindowMs) {
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
