import {
  type ChannelKind,
  type Clock,
  createDeadline,
  type ErrorChannel,
  type Logger,
  type MarketCode,
  onAbort,
  TimeoutError,
  toMarketDataError,
  untilAborted,
} from '@marketdata/domain';
import type { StatsCollector } from '../stats/stats-collector.js';
import type { ConsumerQueue, ConsumerQueueHooks } from './consumer-queue.js';
import type { SymbolListing } from './symbol-listing.js';

/** Where a feed delivers. */
export interface FeedSink<Q> {
  push(item: Q): void;
  end(): void;
  /** Ends the consumer's stream with this error (classified and counted on the way). */
  fail(error: unknown, channel: ChannelKind): void;
}

/** Starts delivering into the sink; returns the function that stops it (called once, whatever ends the stream). */
export type Feed<Q> = (sink: FeedSink<Q>) => () => void;

export interface StreamSpec<Q, T> {
  readonly operation: string;
  readonly symbols: readonly MarketCode[];
  readonly signal: AbortSignal | undefined;
  /** The consumer's own queue (conflating for states, bounded FIFO for events). */
  readonly queue: (hooks: Pick<ConsumerQueueHooks<Q, T>, 'onClose'>) => ConsumerQueue<Q, T>;
  readonly feed: Feed<Q>;
}

export interface StreamOpenerOptions {
  readonly clock: Clock;
  readonly logger: Logger;
  readonly stats: StatsCollector;
  readonly listing: SymbolListing;
  /** Bounds the wait for the market list before a stream starts (`restTimeoutMs`). */
  readonly listingTimeoutMs: number;
  /** Aborted by `close()`. */
  readonly lifetime: AbortSignal;
}

/**
 * Opens every `watch*` stream the same way: the consumer's queue as the async iterator, tied to the caller's signal
 * and the facade's lifetime; the market list checked first (Upbit's WebSocket never answers an unlisted code, so
 * such a stream would otherwise wait forever); then the feed started, pushing into the queue until either ends.
 * When the list is at hand the feed starts in the same synchronous run, so a stream subscribes at once.
 */
export class StreamOpener {
  private readonly open = new Set<() => void>();

  constructor(private readonly options: StreamOpenerOptions) {}

  openStream<Q, T>(spec: StreamSpec<Q, T>): AsyncIterableIterator<T> {
    const { stats, lifetime, listing } = this.options;
    const closing = new AbortController();
    let stopFeed: (() => void) | undefined;
    let stopListening = (): void => {};
    const stop = (): void => queue.stop();
    const queue = spec.queue({
      onClose: () => {
        closing.abort();
        stopFeed?.();
        stopFeed = undefined;
        this.open.delete(stop);
        stopListening();
        stats.streamClosed();
      },
    });
    stats.streamOpened();
    this.open.add(stop);
    if (spec.signal?.aborted === true || lifetime.aborted) {
      stop();
      return queue;
    }
    if (spec.signal !== undefined) stopListening = onAbort(spec.signal, stop);

    const begin = (): void => {
      if (closing.signal.aborted) return;
      const unlisted = listing.unlisted(spec.symbols, spec.operation).values().next().value;
      if (unlisted !== undefined) {
        queue.fail(unlisted);
        return;
      }
      const fail = (raw: unknown, channel: ErrorChannel): void => {
        const error = toMarketDataError(raw, { channel, operation: spec.operation });
        stats.recordError(error);
        queue.fail(error);
      };
      let release: () => void;
      try {
        release = spec.feed({ push: (item) => queue.push(item), end: () => queue.end(), fail });
      } catch (error) {
        // A source that throws instead of listening: the consumer gets the error, nothing stays open.
        fail(error, 'api');
        return;
      }
      if (closing.signal.aborted) release();
      else stopFeed = release;
    };
    if (!listing.needsWait()) begin();
    else this.afterListing(spec.operation, closing.signal, begin);
    return queue;
  }

  /** Ends every open stream (the facade is closing). */
  closeAll(): void {
    for (const stop of [...this.open]) stop();
  }

  /**
   * Waits for the market list, at most `listingTimeoutMs`, then begins. A list that cannot be had in time rules
   * nothing out: the stream begins unverified, as it would without a directory.
   */
  private afterListing(operation: string, closing: AbortSignal, begin: () => void): void {
    const { clock, listingTimeoutMs, listing, logger } = this.options;
    const wait = createDeadline(
      clock,
      listingTimeoutMs,
      () => new TimeoutError(`market list not ready within ${listingTimeoutMs} ms`, { timeoutMs: listingTimeoutMs }),
      [closing],
    );
    untilAborted(listing.ready(wait.signal), wait.signal)
      .catch((error: unknown) => {
        if (!closing.aborted) logger.debug('stream starts without the market list', { operation, error });
      })
      .finally(() => {
        wait.dispose();
        begin();
      });
  }
}
