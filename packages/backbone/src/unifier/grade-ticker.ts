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
   * Every issue that applies: data checks and cross-channel disagreement found on receipt, an exchange time ahead
   * of the local clock at hand-out, and staleness as the freshness judge called it.
   */
  readonly issues: readonly QualityIssue[];
  /** The symbol's expected update interval (its rhythm, from the freshness judge). */
  readonly expectedIntervalMs: number;
  readonly cacheTtlMs: number;
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

/**
 * Grades a channel ticker into the `Ticker` the facade hands out. Pure: same input, same output. Whether the value is
 * stale is not decided here: the freshness judge's verdict arrives as a `stale` issue among the others.
 *
 * Quality (the lowest rule that applies wins):
 * - `low`  — any issue: a data-quality check flagged the tick (non-positive price, price outside the day's high/low,
 *            exchange time ahead of the local clock beyond the tolerance, on receipt or at this hand-out); or the two
 *            channels disagree by more than the threshold (0.1%) about the same last trade; or the freshness judge
 *            calls the value stale.
 * - `medium` — served by a fallback channel (the router preferred the other one, which failed or is disabled);
 *            or a cache hit older than the symbol's expected interval (a newer value was due; still within the TTL).
 * - `high` — validated, no issue, and no newer value due yet (a REST answer fetched for this call, a stream value
 *            the judge calls fresh, or a cache hit younger than the expected interval).
 *
 * Confidence starts at 1 and is multiplied by 0.5 for each issue, by 0.8 for a fallback, and by
 * (1 - 0.5 x cacheAge / TTL) for a cache hit older than the expected interval. It is rounded to three decimals.
 *
 * `ageMs` is the local wall time of the hand-out minus the exchange event time; it can be negative when the
 * exchange clock is ahead of ours, slightly (within the tolerance, not flagged) or because our wall clock jumped
 * back. Beyond the tolerance it is always flagged (`low`). Staleness and the cache TTL are judged by the time since
 * receipt instead, on the monotonic clock, because a quiet market's exchange time can be minutes old while the value
 * is still current.
 */
export function gradeTicker(input: GradeInput): Ticker {
  let quality: DataQuality = 'high';
  let confidence = 1;
  const notes: string[] = [];

  for (const issue of input.issues) {
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

  // Field by field rather than `{ ...tick, source }`: this runs on every hand-out, and a spread that then overrides
  // a key is several times slower in V8 (and makes objects of varying shape).
  const tick = input.tick;
  return {
    symbol: tick.symbol,
    price: tick.price,
    open: tick.open,
    high: tick.high,
    low: tick.low,
    prevClose: tick.prevClose,
    change: tick.change,
    changePrice: tick.changePrice,
    changeRate: tick.changeRate,
    lastTradeVolume: tick.lastTradeVolume,
    dayVolume: tick.dayVolume,
    dayTurnover: tick.dayTurnover,
    volume24h: tick.volume24h,
    turnover24h: tick.turnover24h,
    tradeTimestamp: tick.tradeTimestamp,
    exchangeTimestamp: tick.exchangeTimestamp,
    receivedAt: tick.receivedAt,
    receivedAtMonotonic: tick.receivedAtMonotonic,
    streamType: tick.streamType,
    latencyMs: tick.latencyMs,
    source: input.servedFrom,
    quality,
    confidence: Math.round(confidence * 1000) / 1000,
    processingTimeMs: input.processingTimeMs,
    ageMs: input.nowMs - tick.exchangeTimestamp,
    qualityNotes: notes,
  };
}
