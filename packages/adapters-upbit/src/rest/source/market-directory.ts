import { MarketListDirectory, type MarketListDirectoryOptions } from '@marketdata/domain';

/** The Upbit REST source's directory settings: `refreshMs` is `marketListTtlMs`, `load` is `/v1/market/all`. */
export type UpbitMarketDirectoryOptions = Omit<MarketListDirectoryOptions, 'failureMessage'>;

/** After a failed load of the market list, nobody asks for it again for this long. */
export const MARKET_LIST_RETRY_AFTER_FAILURE_MS = 10_000;

/**
 * The one list of Upbit's markets (`/v1/market/all?isDetails=true`), owned by the REST source and loaded in one
 * place: one load at a time, shared by every caller of `ready()`, refreshed once older than `refreshMs`, not asked
 * for again within `retryAfterFailureMs` of a failure. `getMarkets()` answers from it, REST batch isolation of
 * unknown codes reads it, and the facade hands it to whoever needs `isListed`.
 *
 * Loading is on demand: nothing loads until someone calls `ready()` (or `getMarkets()`), and `isListed` never loads.
 * A load goes on when the caller that started it leaves (its answer serves the next caller); it stops only when the
 * source closes. After a failed refresh the previous list keeps answering `isListed` (a stale list beats none);
 * `view().lastError` says why it is stale. (The domain's `MarketListDirectory` does all of it.)
 *
 * A market listed after the list was loaded is missing from it until the next refresh. Whether `/v1/ticker` knows
 * codes that `/v1/market/all` does not list is unknown (API.md); we assume it does not.
 */
export class UpbitMarketDirectory extends MarketListDirectory {
  constructor(options: UpbitMarketDirectoryOptions) {
    super({ ...options, failureMessage: 'Could not load the Upbit market list' });
  }
}
