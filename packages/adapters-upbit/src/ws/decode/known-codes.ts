import { isMarketCode, type MarketCode } from '@marketdata/domain';

/** Codes already found valid; bounded, so a stream of ever new (hostile) codes only empties it now and then. */
const MAX_KNOWN = 4096;
const known = new Set<string>();

/**
 * `isMarketCode`, remembered: a stream carries a few hundred markets at most, so the pattern runs once per market
 * instead of once per frame (a set lookup costs half the pattern's time).
 */
export function isKnownMarketCode(value: unknown): value is MarketCode {
  if (typeof value !== 'string') return false;
  if (known.has(value)) return true;
  if (!isMarketCode(value)) return false;
  if (known.size >= MAX_KNOWN) known.clear();
  known.add(value);
  return true;
}
