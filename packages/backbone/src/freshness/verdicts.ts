import type { ConnectionState, MarketCode, StreamKind, StreamRefusal } from '@marketdata/domain';

// What the freshness judge says, in the shapes its readers take: a verdict, the router's condition, health's report.

/** Why a value is stale. */
export type StaleVerdict =
  | { readonly cause: 'silent'; readonly ageMs: number; readonly expectedMs: number }
  | { readonly cause: 'cannot-deliver'; readonly detail: string };

/** The stream's view of one symbol's ticker feed, as the router needs it. */
export interface StreamCondition {
  /** Milliseconds since the last arrival (monotonic); undefined before the first. */
  readonly sinceUpdateMs: number | undefined;
  readonly expectedIntervalMs: number;
  /** Set when the judge calls the feed stale, with the reason. */
  readonly stale: string | undefined;
}

/** A watched feed judged stale. */
export interface StaleStream {
  readonly kind: StreamKind;
  readonly symbol: MarketCode;
  readonly note: string;
}

export interface StreamHealth {
  readonly connection: ConnectionState;
  readonly epoch: number;
  readonly openGaps: number;
  readonly refusal: StreamRefusal | undefined;
  /** Feeds someone wants (hot subscriptions, open streams). */
  readonly watched: number;
  readonly stale: readonly StaleStream[];
}

/** A verdict as a quality note: `label` names what the age is of ("last update", "cached"). */
export function describeStale(verdict: StaleVerdict, label: string): string {
  if (verdict.cause === 'cannot-deliver') return verdict.detail;
  return `${label} ${Math.round(verdict.ageMs)} ms ago, expected every ${Math.round(verdict.expectedMs)} ms`;
}
