import {
  type Logger,
  type MarketCode,
  type MarketDataError,
  QueueFullError,
  type StreamKind,
  type SubscriptionHandle,
} from '@marketdata/domain';
import type { FeedListener } from '../stream-feed.js';
import { ConflatingQueue } from './conflating-queue.js';
import { DroppingQueue } from './dropping-queue.js';
import { StreamWatcher } from './stream-watcher.js';
import type { WatchQueue } from './watch-queue.js';

/** What one consumer's queue did: values overwritten (tickers, books) and trades dropped (a slow consumer). */
export interface WatchStats {
  readonly conflated: number;
  readonly dropped: number;
}

/** An `AsyncIterable` of one stream; each `for await` (iterator) is a consumer with its own queue. */
export interface UpbitWatchStream<T> extends AsyncIterable<T> {
  /** Counts of this stream's consumers (usually one), summed. */
  stats(): WatchStats;
}

export interface WatchSettings {
  readonly kind: StreamKind;
  readonly signal: AbortSignal | undefined;
  readonly onError: ((error: MarketDataError) => void) | undefined;
  /** Trades: the bounded FIFO's capacity. */
  readonly tradeQueueSize: number;
  readonly logger: Logger;
}

type Listen<T> = (listener: FeedListener<T>) => SubscriptionHandle;

/**
 * A standalone watch built on `listen`: one queue per consumer (conflating per symbol for states, a bounded FIFO
 * that drops the oldest for trades, which are never conflated), each counting its own conflation or drops. A
 * trade overflow is reported once per episode through `onError` as a `QueueFullError`. The iteration ends with
 * the error when the source ends the listener for good (a refusal), quietly when the source closes.
 */
export function watchStream<T extends { readonly symbol: MarketCode }>(
  listen: Listen<T>,
  settings: WatchSettings,
  closedError: () => MarketDataError | undefined,
): UpbitWatchStream<T> {
  const totals = { conflated: 0, dropped: 0 };
  const notify = (error: MarketDataError): void => {
    try {
      settings.onError?.(error);
    } catch (thrown) {
      settings.logger.error('onError callback threw', { error: String(thrown) });
    }
  };
  const makeQueue = (): WatchQueue<T> => {
    if (settings.kind !== 'trade') return new ConflatingQueue<T>(() => totals.conflated++);
    const capacity = settings.tradeQueueSize;
    return new DroppingQueue<T>(capacity, (dropped, firstOfEpisode) => {
      totals.dropped++;
      if (!firstOfEpisode) return;
      settings.logger.warn('Slow watchTrades consumer: dropping the oldest trades', { capacity });
      notify(
        new QueueFullError(`watchTrades consumer is too slow: trade queue full (${capacity}), oldest trades dropped`, {
          capacity,
          channel: 'websocket',
          operation: 'watchTrades',
          symbol: dropped.symbol,
        }),
      );
    });
  };
  return {
    stats: () => ({ ...totals }),
    [Symbol.asyncIterator]: (): AsyncIterator<T> => {
      const closed = closedError();
      if (closed !== undefined) {
        return { next: () => Promise.reject(closed), return: () => Promise.resolve({ value: undefined, done: true }) };
      }
      let handle: SubscriptionHandle | undefined;
      const watcher = new StreamWatcher<T>(makeQueue(), () => handle?.release());
      handle = listen({
        onRecord: (value) => watcher.push(value),
        onError: notify,
        onEnd: (reason) => watcher.end(reason),
      });
      if (watcher.isEnded) handle.release();
      watcher.bindSignal(settings.signal);
      return watcher;
    },
  };
}
