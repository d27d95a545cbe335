import type { ChannelTicker, DataQuality } from '@marketdata/domain';

/**
 * What the data-quality checks can flag. The data checks, disagreement and staleness make a value `low`; the market
 * status kinds say what the market's own state is (`market-suspended`: trading suspended or the market not active,
 * `low`; `market-delisting`: a delisting date is set, `medium`; `market-warning`: an investment warning or caution,
 * `medium`).
 */
export type QualityIssueKind =
  | 'non-positive-price'
  | 'price-outside-day-range'
  | 'future-timestamp'
  | 'channel-disagreement'
  | 'stale'
  | 'market-suspended'
  | 'market-delisting'
  | 'market-warning'
  | 'inconsistent-record';

export const QUALITY_ISSUE_KINDS: readonly QualityIssueKind[] = [
  'non-positive-price',
  'price-outside-day-range',
  'future-timestamp',
  'channel-disagreement',
  'stale',
  'market-suspended',
  'market-delisting',
  'market-warning',
  'inconsistent-record',
];

export interface QualityIssue {
  readonly kind: QualityIssueKind;
  /** Human-readable, with the numbers that triggered it. */
  readonly note: string;
  /** The quality this issue caps the value at; `low` when absent. */
  readonly quality?: Exclude<DataQuality, 'high'> | undefined;
}

/**
 * The checks that need nothing but the tick and the local clock: non-positive price, price outside the day's
 * high/low, exchange times ahead of the local clock by more than the tolerance.
 */
export function checkTicker(tick: ChannelTicker, nowMs: number, futureToleranceMs: number): QualityIssue[] {
  const issues: QualityIssue[] = [];
  if (!(tick.price > 0)) {
    issues.push({ kind: 'non-positive-price', note: `price ${tick.price} is not positive` });
  } else if (!(tick.low <= tick.price && tick.price <= tick.high)) {
    // Upbit's behaviour for a market without a trade since 00:00 UTC (high/low possibly 0) is unknown; such a
    // tick is flagged rather than trusted.
    issues.push({
      kind: 'price-outside-day-range',
      note: `price ${tick.price} outside the day's range [${tick.low}, ${tick.high}]`,
    });
  }
  const future = checkFutureTimestamp(tick, nowMs, futureToleranceMs);
  if (future !== undefined) issues.push(future);
  return issues;
}

/**
 * Exchange times ahead of the local wall clock by more than the tolerance. Run on receipt and again at every
 * hand-out, since the local wall clock may jump back in between.
 */
export function checkFutureTimestamp(
  record: { readonly exchangeTimestamp: number; readonly tradeTimestamp?: number | undefined },
  nowMs: number,
  futureToleranceMs: number,
): QualityIssue | undefined {
  const latest = Math.max(record.exchangeTimestamp, record.tradeTimestamp ?? record.exchangeTimestamp);
  if (!(latest > nowMs + futureToleranceMs)) return undefined;
  return {
    kind: 'future-timestamp',
    note: `exchange time is ${latest - nowMs} ms ahead of the local clock (tolerance ${futureToleranceMs} ms)`,
  };
}

/** Relative difference of two prices against their mean (0.001 = 0.1%). */
export function relativeDifference(a: number, b: number): number {
  const mean = (Math.abs(a) + Math.abs(b)) / 2;
  return mean === 0 ? 0 : Math.abs(a - b) / mean;
}
