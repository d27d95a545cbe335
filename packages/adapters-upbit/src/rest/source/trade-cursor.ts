import type { Trade } from '@marketdata/domain';

export interface NewTrades {
  /** Trades after the cursor, oldest first. */
  readonly fresh: readonly Trade[];
  /** The newest `sequential_id` seen so far. */
  readonly cursor: bigint | undefined;
  /** Every trade of the page was new: older ones may have been missed. */
  readonly gapPossible: boolean;
}

/** Picks the trades of a newest-first page that come after `cursor` (compared exactly, as bigint). */
export function newTradesSince(page: readonly Trade[], cursor: bigint | undefined): NewTrades {
  const fresh = page.filter((trade) => cursor === undefined || BigInt(trade.sequentialId) > cursor).reverse();
  let newest = cursor;
  for (const trade of fresh) {
    const id = BigInt(trade.sequentialId);
    if (newest === undefined || id > newest) newest = id;
  }
  const gapPossible = cursor !== undefined && page.length > 0 && fresh.length === page.length;
  return { fresh, cursor: newest, gapPossible };
}
