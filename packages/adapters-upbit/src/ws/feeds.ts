import type {
  ChannelTicker,
  Clock,
  MarketCode,
  MarketDataError,
  OrderBook,
  StreamKind,
  StreamRecord,
  Trade,
} from '@marketdata/domain';
import { StreamFeed } from './stream-feed.js';

type AnyFeed = StreamFeed<{ readonly symbol: MarketCode }>;

/** The three feeds of a source (tickers and books are states, trades are events), reached by kind. */
export class StreamFeeds {
  private readonly byKind: { readonly [K in StreamKind]: StreamFeed<StreamRecord<K>> };

  constructor(clock: Clock, recentTradesPerSymbol: number, onListenerError: (error: unknown) => void) {
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
