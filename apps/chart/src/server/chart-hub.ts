import type { MarketData } from '@marketdata/backbone';
import type { Clock, Logger } from '@marketdata/domain';
import type { ChartFeed } from '../feed/chart-feed.js';
import type { ChartMode } from '../protocol/messages.js';
import { FeedStatusMonitor } from './feed-status.js';
import { MarketCatalog } from './market-catalog.js';
import { createReconciler } from './reconcile.js';
import type { ChartHub } from './tab-session.js';
import { Upstream } from './upstream.js';

export interface OpenHubOptions {
  readonly mode: ChartMode;
  readonly marketData: MarketData;
  readonly feed: ChartFeed;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly signal?: AbortSignal | undefined;
  /** Health is read this often (default 500 ms). */
  readonly statusPollMs?: number | undefined;
}

export interface OpenedHub extends ChartHub {
  close(): void;
}

/**
 * What every tab shares, started: the market list (loaded first: without it there is nothing to show, and a failure
 * here is how an unreachable Upbit shows up at start), the upstream streams, the status monitor and the reconciler.
 */
export async function openChartHub(options: OpenHubOptions): Promise<OpenedHub> {
  const { marketData, feed, clock, logger } = options;
  const catalog = new MarketCatalog({ feed, clock, logger });
  await catalog.load(options.signal);
  const upstream = new Upstream(marketData, feed);
  const reconcile = createReconciler({ upstream, feed, logger });
  const status = new FeedStatusMonitor({
    marketData,
    upstream,
    clock,
    logger,
    pollMs: options.statusPollMs,
    onRecovered: (why) => void reconcile(why),
  });
  catalog.start();
  status.start();
  return {
    mode: options.mode,
    upstream,
    feed,
    catalog,
    status,
    clock,
    logger,
    close: () => {
      status.stop();
      catalog.stop();
      upstream.close();
    },
  };
}
