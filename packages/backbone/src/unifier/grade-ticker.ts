import type { ChannelKind, ChannelTicker, DataQuality, DataSource, Ticker } from '@marketdata/domain';
import type { QualityIssue } from './quality-checks.js';

export interface GradeInput {
  readonly tick: ChannelTicker;
  /** Where this value is handed out from: the live channel that fetched it, or the cache. */
  readonly servedFrom: DataSource;
  /** Local wall-clock time of the hand-out, epoch ms (only compared with exchange times, for `ageMs`). */
  readonly nowMs: number;
  readonly processingTimeMs: number;
  /**
   * Issues found when the tick was inspected (data checks and cross-channel disagreement), plus an exchange time
   * ahead of the local clock at hand-out.
   */
  readonly issues: readonly QualityIssue[];
  /** The symbol's expected update interval (its rhythm). */
  readonly expectedIntervalMs: number;
  readonly staleFactor: number;
  readonly cacheTtlMs: number;
  /** WebSocket values: milliseconds since the value was received, on the monotonic clock. */
  readonly sinceUpdateMs?: number | undefined;
  /** WebSocket values: the stream itself suspects the symbol is stale. */
  readonly suspectedStaleByStream?: boolean | undefined;
  /** Cache hits: milliseconds since the value was received (on the monotonic clock). */
  readonly cacheAgeMs?: number | undefined;
  /** Set when the value comes from another channel than the one the router preferred. */
  readonly fallbackFrom?: ChannelKind | undefined;
  readonly fallbackReason?: string | undefined;
}

const ISSUE_FACTOR = 0.5;
const FALLBACK_FACTOR = 0.8;

function lower(current: DataQuality, cap: DataQuality): DataQuality {
  const rank: Record<DataQuality, number> = { high: 2, medium: 1, low: 0 };
  return rank[cap] < rank[current] ? cap : current;
}

/** The staleness issue the grading rules see in this input, if any. */
export function stalenessIssue(input: GradeInput): QualityIssue | undefined {
  const limit = input.staleFactor * input.expectedIntervalMs;
  if (input.servedFrom === 'websocket') {
    if (input.suspectedStaleByStream === true) {
      return { kind: 'suspected-stale', note: 'the stream suspects this symbol is stale' };
    }
    if (input.sinceUpdateMs !== undefined && input.sinceUpdateMs > limit) {
      return {
        kind: 'suspected-stale',
        note: `last update ${Math.round(input.sinceUpdateMs)} ms ago, expected every ${Math.round(input.expectedIntervalMs)} ms`,
      };
    }
  }
  if (input.servedFrom === 'cache' && input.tick.source === 'websocket' && input.suspectedStaleByStream === true) {
    // A cached stream value is no fresher than the stream that produced it (after a drop, during a stall).
    return { kind: 'suspected-stale', note: 'cached from a stream that suspects this symbol is stale' };
  }
  if (input.servedFrom === 'cache' && input.cacheAgeMs !== undefined && input.cacheAgeMs > limit) {
    return {
      kind: 'suspected-stale',
      note: `cached ${Math.round(input.cacheAgeMs)} ms ago, expected every ${Math.round(input.expectedIntervalMs)} ms`,
    };
  }
  return undefined;
}

/**
 * Grades a channel ticker into the `Ticker` the facade hands out. Pure: same input, same output.
 *
 * Quality (the lowest rule that applies wins):
 * - `low`  — a data-quality check flagged the tick (non-positive price, price outside the day's high/low, exchange
 *            time ahead of the local clock beyond the tolerance, on receipt or at this hand-out); or the two
 *            channels disagree by more than the threshold (0.1%) about the same last trade (same exchange trade
 *            time, received within the cross-check window; different trades differ because the market moved,
 *            which is not disagreement); or the value is suspected stale: a WebSocket value received more than
 *            `staleFactor` x the symbol's expected interval ago (or flagged by the stream itself), or a cache hit
 *            older than `staleFactor` x the expected interval, or a cached WebSocket value while the stream flags
 *            the symbol as stale (a cache is no fresher than its feed). Times since receipt are monotonic durations.
 * - `medium` — served by a fallback channel (the router preferred the other one, which failed or is disabled);
 *            or a cache hit older than the symbol's expected interval (still within the TTL).
 * - `high` — validated, no check flagged, fresh for the symbol's own rhythm (a REST answer fetched for this call,
 *            a WebSocket value received within `staleFactor` x the expected interval, or a cache hit younger than
 *            the expected interval: no newer value was due yet), and no disagreement between channels.
 *
 * Confidence starts at 1 and is multiplied by 0.5 for each issue (data check, disagreement, staleness), by 0.8
 * for a fallback, and by (1 - 0.5 x cacheAge / TTL) for a cache hit older than the expected interval. It is
 * rounded to three decimals.
 *
 * `ageMs` is the local wall time of the hand-out minus the exchange event time; it can be negative when the
 * exchange clock is ahead of ours, slightly (within the tolerance, not flagged) or because our wall clock jumped
 * back. Beyond the tolerance it is always flagged (`low`): the exchange time is checked against the local clock on
 * receipt and again at every hand-out, so a value received before a backward jump is not handed out as `high`
 * with a negative age. The cache TTL and staleness are judged by the time since receipt instead, measured on the
 * monotonic clock (immune to wall-clock jumps), because a quiet market's exchange time can be minutes old while
 * the value is still current.
 */
export function gradeTicker(input: GradeInput): Ticker {
  let quality: DataQuality = 'high';
  let confidence = 1;
  const notes: string[] = [];

  const issues = [...input.issues];
  const stale = stalenessIssue(input);
  if (stale !== undefined) issues.push(stale);
  for (const issue of issues) {
    quality = 'low';
    confidence *= ISSUE_FACTOR;
    notes.push(issue.note);
  }

  if (input.fallbackFrom !== undefined) {
    quality = lower(quality, 'medium');
    confidence *= FALLBACK_FACTOR;
    const why = input.fallbackReason === undefined ? '' : `: ${input.fallbackReason}`;
    notes.push(`fallback from ${input.fallbackFrom}${why}`);
  }

  if (input.servedFrom === 'cache' && input.cacheAgeMs !== undefined && input.cacheAgeMs > input.expectedIntervalMs) {
    quality = lower(quality, 'medium');
    confidence *= 1 - (0.5 * Math.min(input.cacheAgeMs, input.cacheTtlMs)) / input.cacheTtlMs;
    notes.push(
      `served from cache, ${Math.round(input.cacheAgeMs)} ms old (expected interval ${Math.round(input.expectedIntervalMs)} ms)`,
    );
  }

  return {
    ...input.tick,
    source: input.servedFrom,
    quality,
    confidence: Math.round(confidence * 1000) / 1000,
    processingTimeMs: input.processingTimeMs,
    ageMs: input.nowMs - input.tick.exchangeTimestamp,
    qualityNotes: notes,
  };
}
