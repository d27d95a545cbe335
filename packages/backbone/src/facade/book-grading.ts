import type { ChannelKind, MarketDataError, OrderBook } from '@marketdata/domain';
import type { FreshnessJudge } from '../freshness/freshness-judge.js';
import { describeStale } from '../freshness/verdicts.js';
import type { StatsCollector } from '../stats/stats-collector.js';
import type { QualityIssue } from '../unifier/quality-checks.js';
import { checkOrderBook } from '../unifier/record-checks.js';
import type { Unifier } from '../unifier/unifier.js';
import type { GradedOrderBook } from './market-data-results.js';

export type BookOutcome =
  | { readonly ok: true; readonly value: GradedOrderBook }
  | { readonly ok: false; readonly error: MarketDataError };

/** A book and where it is handed out from. */
export interface ServedBook {
  readonly book: OrderBook;
  readonly from: 'rest' | 'websocket' | 'cache';
  readonly cacheAgeMs?: number | undefined;
}

export interface BookGradingDeps {
  readonly unifier: Unifier;
  readonly judge: FreshnessJudge;
  readonly stats: StatsCollector;
}

/** The freshness judge's verdict on a stream book, as an issue (a book held after the stream stopped). */
export function bookStaleIssue(judge: FreshnessJudge, book: OrderBook): QualityIssue | undefined {
  if (book.source !== 'websocket') return undefined;
  const verdict = judge.staleness('orderbook', book.symbol, book.receivedAtMonotonic, true);
  return verdict === undefined ? undefined : { kind: 'stale', note: describeStale(verdict, 'last update') };
}

/**
 * A book graded for hand-out: its own checks (levels, a crossed book), staleness when it comes from the stream or
 * the cache, the market's state, fallback and cache age (`Unifier.gradeValue`); its levels cut to `depth`.
 */
export function gradeBook(
  deps: BookGradingDeps,
  served: ServedBook,
  request: { readonly depth: number | undefined },
  startedAt: number,
  fallback: readonly [ChannelKind, string] | undefined,
): BookOutcome {
  const { unifier, judge, stats } = deps;
  const { book } = served;
  const issues: QualityIssue[] = checkOrderBook(book);
  if (served.from !== 'rest') {
    const stale = bookStaleIssue(judge, book);
    if (stale !== undefined) issues.push(stale);
  }
  const grade = unifier.gradeValue(
    {
      symbol: book.symbol,
      exchangeTimestamp: book.exchangeTimestamp,
      issues,
      expectedIntervalMs: judge.expectedIntervalMs('orderbook', book.symbol),
    },
    {
      servedFrom: served.from,
      startedAt,
      cacheAgeMs: served.cacheAgeMs,
      fallbackFrom: fallback?.[0],
      fallbackReason: fallback?.[1],
    },
  );
  const levels = request.depth === undefined ? book.levels : book.levels.slice(0, request.depth);
  if (fallback !== undefined) stats.recordFallback(fallback[0], served.from);
  return {
    ok: true,
    value: {
      symbol: book.symbol,
      levels,
      totalAskSize: book.totalAskSize,
      totalBidSize: book.totalBidSize,
      grouping: book.grouping,
      exchangeTimestamp: book.exchangeTimestamp,
      receivedAt: book.receivedAt,
      receivedAtMonotonic: book.receivedAtMonotonic,
      streamType: book.streamType,
      latencyMs: book.latencyMs,
      ...grade,
    },
  };
}
