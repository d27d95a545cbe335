import { MarketListDirectory, type MarketListDirectoryOptions } from '@marketdata/domain';

/** The fleet directory's settings: `load` is `getMarkets` through the gateway. */
export type FleetDirectoryOptions = Omit<MarketListDirectoryOptions, 'failureMessage'>;

/**
 * The market list as the gateway has it (its REST source's one directory, asked for by request/reply): one load at a
 * time shared by every caller, refreshed once older than `refreshMs`, not asked again within `retryAfterFailureMs` of
 * a failure; a failed refresh keeps the previous list answering `isListed`. Nothing loads until `ready()` is called.
 * (The domain's `MarketListDirectory` does all of it.)
 */
export class FleetMarketDirectory extends MarketListDirectory {
  constructor(options: FleetDirectoryOptions) {
    super({ ...options, failureMessage: 'Could not load the market list from the fleet gateway' });
  }
}
