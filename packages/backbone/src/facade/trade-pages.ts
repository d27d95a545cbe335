import type { MarketCode, Trade, TradeSource } from '@marketdata/domain';

/** Upbit's largest `count` on `/v1/trades/ticks`. */
export const TRADE_PAGE_SIZE = 500;
/** Pages fetched per recovery at most (5 000 trades): beyond that the rest of a gap stays a reported gap. */
export const MAX_TRADE_PAGES = 10;

/**
 * REST trades of `symbol` newer than `after`, oldest first: pages back from the newest by `cursor` until a trade at
 * or before `after`, a short page, or the page limit.
 */
export async function fetchTradesAfter(
  rest: Pick<TradeSource, 'getTrades'>,
  symbol: MarketCode,
  after: bigint,
  signal: AbortSignal,
): Promise<Trade[]> {
  const found: Trade[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_TRADE_PAGES; page++) {
    const trades = await rest.getTrades(symbol, { count: TRADE_PAGE_SIZE, cursor, signal });
    let reached = false;
    for (const trade of trades) {
      if (BigInt(trade.sequentialId) <= after) {
        reached = true;
        break;
      }
      found.push(trade);
    }
    const oldest = trades.at(-1);
    if (reached || oldest === undefined || trades.length < TRADE_PAGE_SIZE) break;
    cursor = oldest.sequentialId;
  }
  return found.reverse();
}

export function compareSequence(a: string, b: string): number {
  const difference = BigInt(a) - BigInt(b);
  return difference < 0n ? -1 : difference > 0n ? 1 : 0;
}
