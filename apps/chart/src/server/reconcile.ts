import type { Logger } from '@marketdata/domain';
import type { ChartFeed } from '../feed/chart-feed.js';
import { asMarketDataError } from '../feed/errors.js';
import { parseCandleKey, type Upstream } from './upstream.js';

/** Candles re-read per open series after a reconnect or a gap: one REST page. */
export const RECONCILE_CANDLES = 200;

/**
 * After the stream was interrupted (new connection, closed gap) the live candles may miss what happened meanwhile:
 * every open candle series re-reads its newest candles from REST and hands them to its tabs (last-wins per time, so
 * REST's closed candles replace whatever the live series made of them). One series after the other: the REST
 * adapter paces them within Upbit's limits anyway.
 */
export function createReconciler(deps: {
  readonly upstream: Upstream;
  readonly feed: ChartFeed;
  readonly logger: Logger;
}): (why: string) => Promise<void> {
  let running: Promise<void> | undefined;
  let again = false;
  const runOnce = async (why: string): Promise<void> => {
    for (const key of deps.upstream.candles.openKeys) {
      const { symbol, interval } = parseCandleKey(key);
      try {
        const candles = await deps.feed.history(symbol, interval, { count: RECONCILE_CANDLES });
        deps.upstream.candles.inject(key, candles);
        deps.logger.info('candles reconciled with REST', { key, why, candles: candles.length });
      } catch (error) {
        deps.logger.warn('candle reconcile failed', { key, why, error: asMarketDataError(error, 'reconcile').message });
      }
    }
  };
  return async (why) => {
    if (running !== undefined) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        await runOnce(why);
      } while (again);
    })().finally(() => {
      running = undefined;
    });
    return running;
  };
}
