import {
  DataValidationError,
  type MarketCode,
  type RequestOptions,
  type Trade,
  type TradeQuery,
} from '@marketdata/domain';
import type { UpbitResponse } from '../http/request-executor.js';
import { mapTrade } from '../mappers/map-trade.js';
import { restTiming } from '../mappers/rest-provenance.js';
import type { UpbitTrade } from '../schemas/trade-schema.js';
import { UPBIT_MAX_TRADES_PER_REQUEST, type UpbitTradeParams } from '../upbit-rest-client.js';

type TradePage = (params: UpbitTradeParams, options: RequestOptions) => Promise<UpbitResponse<readonly UpbitTrade[]>>;

export interface TradePaging {
  readonly page: TradePage;
  readonly code: MarketCode;
  readonly query: TradeQuery;
  /** The most trades one call may ask for (several requests). */
  readonly maxCount: number;
}

function checkedCount(count: unknown, maxCount: number): number | undefined {
  if (count === undefined) return undefined;
  if (typeof count === 'number' && Number.isSafeInteger(count) && count >= 1 && count <= maxCount) return count;
  throw new DataValidationError(`count must be an integer 1..${maxCount} (more than 500 are paged by cursor)`, {
    channel: 'rest',
    operation: 'getTrades',
    path: 'count',
    value: count,
  });
}

/**
 * Trades newest first. Without `count`: one request (Upbit answers its default, 1). With `count`: requests of at
 * most 500, each paced on the shared `crix-trades` budget and bound by the caller's signal; the next request's
 * `cursor` is the `sequential_id` of the last trade of the page before (Upbit: "continue from just before that
 * trade"), and `to`/`daysAgo` stay as given. Upbit says `sequential_id` does not order trades, so trades are told
 * apart by id (a trade seen on an earlier page is not repeated), never compared by size. It stops when a page
 * comes back shorter than asked (no more that day) or brings nothing new.
 */
export async function pageTrades(paging: TradePaging): Promise<readonly Trade[]> {
  const { page, code, query, maxCount } = paging;
  const count = checkedCount(query.count, maxCount);
  const wanted = count ?? 1;
  const seen = new Set<string>();
  const out: Trade[] = [];
  let cursor = query.cursor;
  // Set once a page repeated a trade already had (an answer continuing from the cursor trade itself): later pages ask
  // one more, so the repeat does not cost a whole request.
  let seamRepeats = false;
  while (out.length < wanted) {
    const remaining = wanted - out.length + (seamRepeats ? 1 : 0);
    const ask = count === undefined ? undefined : Math.min(UPBIT_MAX_TRADES_PER_REQUEST, remaining);
    const params = { count: ask, cursor, to: query.to, daysAgo: query.daysAgo };
    const response = await page(params, { signal: query.signal });
    const timing = restTiming(response);
    let added = 0;
    for (const raw of response.data) {
      if (raw.market !== code) {
        const context = { channel: 'rest', operation: 'getTrades', path: '$.market', value: raw.market } as const;
        throw new DataValidationError(`Upbit answered a trade of ${raw.market} for ${code}`, context);
      }
      if (seen.has(raw.sequential_id)) {
        seamRepeats = true;
        continue;
      }
      seen.add(raw.sequential_id);
      if (out.length < wanted) out.push(mapTrade(raw, timing));
      added++;
    }
    const last = response.data.at(-1);
    if (ask === undefined || last === undefined || response.data.length < ask || added === 0) break;
    cursor = last.sequential_id;
  }
  return out;
}
