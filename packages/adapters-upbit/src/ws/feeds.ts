import {
  type ChannelTicker,
  type Clock,
  DataValidationError,
  type MarketCode,
  type MarketDataError,
  type OrderBook,
  type StreamKind,
  type StreamRecord,
  type Trade,
} from '@marketdata/domain';
import { type FeedListener, StreamFeed } from './stream-feed.js';

type AnyFeed = StreamFeed<{ readonly symbol: MarketCode }>;

/** The three feeds of a source (tickers and books are states, trades are events), reached by kind. */
export class StreamFeeds {
  private readonly byKind: { readonly [K in StreamKind]: StreamFeed<StreamRecord<K>> };

  constructor(
    clock: Clock,
    recentTradesPerSymbol: number,
    private readonly onListenerError: (error: unknown) => void,
  ) {
    this.byKind = {
      ticker: new StreamFeed<ChannelTicker>({ kind: 'ticker', keep: 1, replay: true }, clock, onListenerError),
      orderbook: new StreamFeed<OrderBook>({ kind: 'orderbook', keep: 1, replay: true }, clock, onListenerError),
      trade: new StreamFeed<Trade>(
        {
          kind: 'trade',
          keep: recentTradesPerSymbol,
          replay: false,
          // After a reconnect the trade SNAPSHOT repeats the latest trade, which may already have been delivered.
          isRepeat: (last, next) => last.sequentialId === next.sequentialId,
        },
        clock,
        onListenerError,
      ),
    };
  }

  /** The feed of `kind` (undefined only for a kind outside `StreamKind`, from an untyped caller). */
  of<K extends StreamKind>(kind: K): StreamFeed<StreamRecord<K>> {
    return this.byKind[kind] as StreamFeed<StreamRecord<K>>;
  }

  /** A refusal: every listener hears it (or, when `tellListeners` is false, only waiters are rejected). */
  refused(error: MarketDataError, tellListeners: boolean): void {
    for (const feed of this.all()) {
      if (tellListeners) feed.refused(error);
      else feed.rejectWaiters(error);
    }
  }

  /** Tells one new listener of a refusal that stands; `ended` when it ends it too (already removed). */
  tellOne(listener: Pick<FeedListener<never>, 'onError' | 'onEnd'>, error: MarketDataError, ended: boolean): void {
    try {
      listener.onError?.(error);
      if (ended) listener.onEnd?.(error);
    } catch (thrown) {
      this.onListenerError(thrown);
    }
  }

  /** Ends every listener of every kind (`undefined`: the source closed). */
  endAll(reason: MarketDataError | undefined): void {
    for (const feed of this.all()) feed.endAll(reason);
  }

  /** The source closed: listeners end quietly, waiters are rejected with `closed`, records go. */
  close(closed: MarketDataError): void {
    for (const feed of this.all()) {
      feed.endAll(undefined);
      feed.rejectWaiters(closed);
      feed.clear();
    }
  }

  get listenerCount(): number {
    return this.all().reduce((sum, feed) => sum + feed.listenerCount, 0);
  }

  get waiting(): number {
    return this.all().reduce((sum, feed) => sum + feed.waiting, 0);
  }

  private all(): readonly AnyFeed[] {
    return [this.byKind.ticker, this.byKind.trade, this.byKind.orderbook] as unknown as readonly AnyFeed[];
  }
}

/** A kind named by an untyped caller must be one of the three: anything else is a clear typed error. */
export function checkKind(kind: unknown): void {
  if (kind === 'ticker' || kind === 'trade' || kind === 'orderbook') return;
  throw new DataValidationError(
    `Unknown stream kind ${JSON.stringify(String(kind))}: expected ticker, trade or orderbook`,
    {
      channel: 'websocket',
      path: 'kind',
      value: kind,
    },
  );
}
