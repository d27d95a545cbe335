import type { ChannelKind, DataQuality, DataSource } from '@marketdata/domain';
import type { QualityIssue } from './quality-checks.js';

/**
 * The grade every value the facade hands out carries, whatever it is (a ticker, an order book, a list of trades or
 * candles, the market list): where it came from, how much to trust it, and why not fully.
 */
export interface Grade {
  readonly source: DataSource;
  readonly quality: DataQuality;
  /** 0..1; how much the unifier trusts this value (see `gradeRecord`). */
  readonly confidence: number;
  /** Time spent inside the backbone for this call (or stream delivery), ms. */
  readonly processingTimeMs: number;
  /** Local wall time of the hand-out minus the exchange event time, ms (negative when the exchange clock is ahead). */
  readonly ageMs: number;
  /** Human-readable reasons behind a quality below `high`. Empty when `high`. */
  readonly qualityNotes: readonly string[];
}

export interface GradeRecordInput {
  /** Where this value is handed out from: the live channel that fetched it, or the cache. */
  readonly servedFrom: DataSource;
  /** The exchange event time the age is measured from. */
  readonly exchangeTimestamp: number;
  /** Local wall-clock time of the hand-out, epoch ms (only compared with exchange times, for `ageMs`). */
  readonly nowMs: number;
  readonly processingTimeMs: number;
  /** Every issue that applies, each with the quality it caps the value at (`low` unless it says `medium`). */
  readonly issues: readonly QualityIssue[];
  /** The value's expected update interval: a cache hit older than this lowers the grade. */
  readonly expectedIntervalMs: number;
  readonly cacheTtlMs: number;
  /** Cache hits: milliseconds since the value was received (on the monotonic clock). */
  readonly cacheAgeMs?: number | undefined;
  /** Set when the value comes from another channel than the one preferred (by the router or by the caller). */
  readonly fallbackFrom?: ChannelKind | undefined;
  readonly fallbackReason?: string | undefined;
}

const LOW_ISSUE_FACTOR = 0.5;
const MEDIUM_ISSUE_FACTOR = 0.8;
const FALLBACK_FACTOR = 0.8;
const RANK: Readonly<Record<DataQuality, number>> = { high: 2, medium: 1, low: 0 };

export function lowerQuality(current: DataQuality, cap: DataQuality): DataQuality {
  return RANK[cap] < RANK[current] ? cap : current;
}

/**
 * The grading rules, shared by every kind of value. Pure: same input, same output.
 *
 * Quality (the lowest rule that applies wins):
 * - each issue caps it at the issue's own level: `low` for data that is wrong or stale (a failed data check,
 *   channels disagreeing, an exchange time ahead of the local clock, a stale stream value, a suspended or delisted
 *   market), `medium` for data that is right but comes with a warning (an investment warning or caution on the
 *   market, a delisting date set);
 * - `medium` when served by a fallback channel (the preferred one failed or is disabled), or for a cache hit older
 *   than the expected interval (a newer value was due; still within the TTL);
 * - `high` otherwise.
 *
 * Confidence starts at 1 and is multiplied by 0.5 for each `low` issue, 0.8 for each `medium` one, 0.8 for a
 * fallback, and (1 - 0.5 x cacheAge / TTL) for a cache hit older than the expected interval; rounded to three
 * decimals.
 */
export function gradeRecord(input: GradeRecordInput): Grade {
  let quality: DataQuality = 'high';
  let confidence = 1;
  const notes: string[] = [];

  for (const issue of input.issues) {
    const cap = issue.quality ?? 'low';
    quality = lowerQuality(quality, cap);
    confidence *= cap === 'medium' ? MEDIUM_ISSUE_FACTOR : LOW_ISSUE_FACTOR;
    notes.push(issue.note);
  }

  if (input.fallbackFrom !== undefined) {
    quality = lowerQuality(quality, 'medium');
    confidence *= FALLBACK_FACTOR;
    const why = input.fallbackReason === undefined ? '' : `: ${input.fallbackReason}`;
    notes.push(`fallback from ${input.fallbackFrom}${why}`);
  }

  if (input.servedFrom === 'cache' && input.cacheAgeMs !== undefined && input.cacheAgeMs > input.expectedIntervalMs) {
    quality = lowerQuality(quality, 'medium');
    confidence *= 1 - (0.5 * Math.min(input.cacheAgeMs, input.cacheTtlMs)) / input.cacheTtlMs;
    notes.push(
      `served from cache, ${Math.round(input.cacheAgeMs)} ms old (expected interval ${Math.round(input.expectedIntervalMs)} ms)`,
    );
  }

  return {
    source: input.servedFrom,
    quality,
    confidence: Math.round(confidence * 1000) / 1000,
    processingTimeMs: input.processingTimeMs,
    ageMs: input.nowMs - input.exchangeTimestamp,
    qualityNotes: notes,
  };
}
