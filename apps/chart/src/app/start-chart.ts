import type { Clock, Logger, Random } from '@marketdata/domain';
import { createUpbitMarketData } from '@marketdata/upbit';
import { createChartFeed } from '../feed/create-feed.js';
import type { ChartMode } from '../protocol/messages.js';
import { type OpenedHub, openChartHub } from '../server/chart-hub.js';
import { type ChartServer, type ProcessUsage, startChartServer } from '../server/chart-server.js';
import type { StaticAsset } from '../server/static-assets.js';
import type { TabSenderOptions } from '../server/tab-sender.js';

export interface StartChartOptions {
  readonly mode: ChartMode;
  readonly restUrl: string;
  readonly wsUrl: string;
  readonly port: number;
  readonly assets: ReadonlyMap<string, StaticAsset>;
  readonly clock: Clock;
  readonly random: Random;
  readonly logger: Logger;
  readonly processUsage: () => ProcessUsage;
  /** Aborts the start (the market list load). */
  readonly signal?: AbortSignal | undefined;
  readonly sender?: TabSenderOptions | undefined;
}

export interface StartedChart {
  readonly server: ChartServer;
  readonly hub: OpenedHub;
  /** Closes the server, the shared streams, the feed and the facade, in that order. */
  close(): Promise<void>;
}

/** The facade on the endpoints, the chart feed, the shared hub and the HTTP/WebSocket server: everything but I/O glue. */
export async function startChart(options: StartChartOptions): Promise<StartedChart> {
  const { clock, random, logger } = options;
  const marketData = createUpbitMarketData({
    restUrl: options.restUrl,
    wsUrl: options.wsUrl,
    clock,
    random,
    logger: logger.child({ component: 'facade' }),
  });
  const opened = createChartFeed({ marketData });
  const closeUpstream = async (): Promise<void> => {
    await opened.close();
    await marketData.close();
  };
  let hub: OpenedHub;
  try {
    hub = await openChartHub({
      mode: options.mode,
      marketData,
      feed: opened.feed,
      clock,
      logger,
      signal: options.signal,
    });
  } catch (error) {
    await closeUpstream();
    throw error;
  }
  let server: ChartServer;
  try {
    server = await startChartServer({
      hub,
      assets: options.assets,
      port: options.port,
      processUsage: options.processUsage,
      sender: options.sender,
    });
  } catch (error) {
    hub.close();
    await closeUpstream();
    throw error;
  }
  return {
    server,
    hub,
    close: async () => {
      await server.close();
      hub.close();
      await closeUpstream();
    },
  };
}
