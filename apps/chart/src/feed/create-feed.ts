/**
 * Picks the ChartFeed. This is the one file to change when the facade's candle methods land: the facade feed
 * (`facade-feed.ts`) needs nothing but the facade, and this file then stops creating a REST source of its own.
 */
import { createUpbitRestSource } from '@marketdata/adapters-upbit';
import type { MarketData } from '@marketdata/backbone';
import type { Clock, Logger, Random } from '@marketdata/domain';
import type { ChartFeed } from './chart-feed.js';
import { createInterimFeed } from './interim-feed.js';

export interface FeedSources {
  readonly marketData: MarketData;
  /** The REST endpoint the facade uses (the interim feed reads candles and markets there itself). */
  readonly restUrl: string;
  readonly clock: Clock;
  readonly random: Random;
  readonly logger: Logger;
}

export interface OpenedFeed {
  readonly feed: ChartFeed;
  /** Closes what the feed opened itself (the facade is closed by its owner). */
  close(): Promise<void>;
}

export function createChartFeed(sources: FeedSources): OpenedFeed {
  const rest = createUpbitRestSource({
    url: sources.restUrl,
    clock: sources.clock,
    random: sources.random,
    logger: sources.logger.child({ component: 'chart-rest' }),
  });
  return {
    feed: createInterimFeed({ marketData: sources.marketData, rest }),
    close: () => rest.close(),
  };
}
