/**
 * Picks the ChartFeed: the facade's own candle and market methods (`facade-feed.ts`). The one file to change to feed
 * the chart from somewhere else.
 */
import type { MarketData } from '@marketdata/backbone';
import type { ChartFeed } from './chart-feed.js';
import { createFacadeFeed } from './facade-feed.js';

export interface FeedSources {
  readonly marketData: MarketData;
}

export interface OpenedFeed {
  readonly feed: ChartFeed;
  /** Closes what the feed opened itself (nothing: the facade is closed by its owner). */
  close(): Promise<void>;
}

export function createChartFeed(sources: FeedSources): OpenedFeed {
  return { feed: createFacadeFeed(sources.marketData), close: async () => {} };
}
