import type { MarketEngine } from '../model/market-engine.js';
import type { MarketState } from '../model/market-state.js';
import type { RestGroup } from '../options.js';
import { CODE_NOT_FOUND, INVALID_PARAMETER, MISSING_PARAMETER, TYPE_MISMATCH } from './error-bodies.js';
import { parseWholeNumber, type QueryValue } from './query.js';

/** What every REST route shares: its result type, context, the recorded error replies and parameter readers. */
export interface RouteResult {
  readonly status: number;
  readonly body: string;
}

export interface RouteContext {
  readonly engine: MarketEngine;
  readonly now: number;
  readonly query: URLSearchParams;
}

export interface Route {
  readonly group: RestGroup;
  handle(context: RouteContext): RouteResult;
}

export function ok(body: string): RouteResult {
  return { status: 200, body };
}
export const notFound: RouteResult = { status: 404, body: CODE_NOT_FOUND };
export const missing: RouteResult = { status: 400, body: MISSING_PARAMETER };
export const mismatch: RouteResult = { status: 400, body: TYPE_MISMATCH };
export const invalid: RouteResult = { status: 400, body: INVALID_PARAMETER };

export function isError(value: unknown): value is RouteResult {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<RouteResult>;
  return typeof candidate.status === 'number' && typeof candidate.body === 'string';
}

/**
 * The markets of a `markets=` list. Any unknown code fails the whole request with 404 `Code not found`
 * (observed, also for one bad code among good ones). Codes must be upper case, per API.md (a 2026-09 probe saw
 * the REST orderbook accept lower case; the simulator follows API.md).
 */
export function marketsParam(context: RouteContext, name: string): MarketState[] | RouteResult {
  const raw = context.query.get(name);
  if (raw === null) return missing;
  const codes = raw.split(',').filter((code) => code.length > 0);
  if (codes.length === 0) return missing;
  const markets: MarketState[] = [];
  for (const code of codes) {
    const market = context.engine.get(code);
    if (market === undefined) return notFound;
    markets.push(market);
  }
  return markets;
}

export function singleMarket(context: RouteContext): MarketState | RouteResult {
  const code = context.query.get('market');
  if (code === null || code === '') return missing;
  return context.engine.get(code) ?? notFound;
}

export function count(query: URLSearchParams, fallback: number, max: number): number | RouteResult {
  const parsed: QueryValue<number> = parseWholeNumber(query.get('count'));
  if (parsed.kind === 'absent') return fallback;
  if (parsed.kind === 'invalid') return mismatch;
  // Above the maximum Upbit answers the maximum: the orderbook clamps to 30 (observed), and for candles a user
  // report says no count returns more than 200 (in pyupbit's tracker, #22). Below 1 is not on record: 1 (chosen here).
  return Math.max(1, Math.min(parsed.value, max));
}
