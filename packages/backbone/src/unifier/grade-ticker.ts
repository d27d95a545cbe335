import type { ChannelKind, ChannelTicker, DataSource, Ticker } from '@marketdata/domain';
import { gradeRecord } from './grade-record.js';
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

/**
 * Grades a channel ticker into the `Ticker` the facade hands out, by the rules of `gradeRecord` (shared with every
 * other kind of value). Pure: same input, same output. Whether the value is stale is not decided here: the freshness
 * judge's verdict arrives as a `stale` issue among the others.
 *
 * The ticker's issues: a data-quality check flagged it (non-positive price, price outside the day's high/low,
 * exchange time ahead of the local clock beyond the tolerance, on receipt or at this hand-out); the two channels
 * disagree by more than the threshold (0.1%) about the same last trade; the freshness judge calls it stale (all
 * `low`); the market is suspended or delisted (`low`), or warned, under caution or to be delisted (`medium`), as the
 * ticker's own fields or the market directory's details say.
 *
 * `ageMs` is the local wall time of the hand-out minus the exchange event time; it can be negative when the
 * exchange clock is ahead of ours, slightly (within the tolerance, not flagged) or because our wall clock jumped
 * back. Beyond the tolerance it is always flagged (`low`). Staleness and the cache TTL are judged by the time since
 * receipt instead, on the monotonic clock, because a quiet market's exchange time can be minutes old while the value
 * is still current.
 */
export function gradeTicker(input: GradeInput): Ticker {
  const grade = gradeRecord({
    servedFrom: input.servedFrom,
    exchangeTimestamp: input.tick.exchangeTimestamp,
    nowMs: input.nowMs,
    processingTimeMs: input.processingTimeMs,
    issues: input.issues,
    expectedIntervalMs: input.expectedIntervalMs,
    cacheTtlMs: input.cacheTtlMs,
    cacheAgeMs: input.cacheAgeMs,
    fallbackFrom: input.fallbackFrom,
    fallbackReason: input.fallbackReason,
  });
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
    high52w: tick.high52w,
    high52wDate: tick.high52wDate,
    low52w: tick.low52w,
    low52wDate: tick.low52wDate,
    askBid: tick.askBid,
    accAskVolume: tick.accAskVolume,
    accBidVolume: tick.accBidVolume,
    marketState: tick.marketState,
    tradingSuspended: tick.tradingSuspended,
    marketWarning: tick.marketWarning,
    delistingDate: tick.delistingDate,
    exchangeTimestamp: tick.exchangeTimestamp,
    receivedAt: tick.receivedAt,
    receivedAtMonotonic: tick.receivedAtMonotonic,
    streamType: tick.streamType,
    latencyMs: tick.latencyMs,
    source: grade.source,
    quality: grade.quality,
    confidence: grade.confidence,
    processingTimeMs: grade.processingTimeMs,
    ageMs: grade.ageMs,
    qualityNotes: grade.qualityNotes,
  };
}
