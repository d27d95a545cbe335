import {
  CANDLE_STREAM_KINDS,
  type Candle,
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
import { STREAM_KINDS } from './protocol/subscription-request.js';
import { type FeedListener, StreamFeed } from './stream-feed.js';

type AnyFeed = StreamFeed<{ readonly symbol: MarketCode }>;
type FeedsByKind = { readonly [K in StreamKind]: StreamFeed<StreamRecord<K>> };

/**
 * The feeds of a source, one per kind, reached by kind: tickers, books and candles are states (the latest record
 * per symbol, replayed to a new listener), trades are events. Each candle interval is its own kind (`candle.1m`…).
 */
export class StreamFeeds {
  private readonly byKind: FeedsByKind;
  private readonly feeds: readonly AnyFeed[];

  constructor(
    clock: Clock,
    recentTradesPerSymbol: number,
    private readonly onListenerError: (error: unknown) => void,
  ) {
    const candles = {} as Record<(typeof CANDLE_STREAM_KINDS)[number], StreamFeed<Candle>>;
    for (const kind of CANDLE_STREAM_KINDS) {
      candles[kind] = new StreamFeed<Candle>(
        {
          kind,
          keep: 1,
          replay: true,
          // Upbit may send the same period several times (the last wins) and, after a newer period, a late update
          // of an earlier one: that one is delivered but the newer period stays the latest.
          isOlder: (latest, next) => next.openTime < latest.openTime,
        },
        clock,
        onListenerError,
      );
    }
    // No prototype: a kind from an untyped caller (`toString`) finds no feed instead of an Object method.
    this.byKind = Object.assign(Object.create(null) as object, {
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
      ...candles,
    }) as FeedsByKind;
    this.feeds = STREAM_KINDS.map((kind) => this.byKind[kind] as unknown as AnyFeed);
  }

  /** The feed of `kind` (undefined only for a kind outside `StreamKind`, from an untyped caller). */
  of<K extends StreamKind>(kind: K): StreamFeed<StreamRecord<K>> {
    return this.byKind[kind] as StreamFeed<StreamRecord<K>>;
  }

  /** A refusal: every listener hears it (or, when `tellListeners` is false, only waiters are rejected). */
  refused(error: MarketDataError, tellListeners: boolean): void {
    for (const feed of this.feeds) {
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
    for (const feed of this.feeds) feed.endAll(reason);
  }

  /** The source closed: listeners end quietly, waiters are rejected with `closed`, records go. */
  close(closed: MarketDataError): void {
    for (const feed of this.feeds) {
      feed.endAll(undefined);
      feed.rejectWaiters(closed);
      feed.clear();
    }
  }

  get listenerCount(): number {
    return this.feeds.reduce((sum, feed) => sum + feed.listenerCount, 0);
  }

  get waiting(): number {
    return this.feeds.reduce((sum, feed) => sum + feed.waiting, 0);
  }
}

/** A kind named by an untyped caller must be one of `StreamKind`: anything else is a clear typed error. */
export function checkKind(kind: unknown): void {
  if (typeof kind === 'string' && (STREAM_KINDS as readonly string[]).includes(kind)) return;
  throw new DataValidationError(
    `Unknown stream kind ${JSON.stringify(String(kind))}: expected one of ${STREAM_KINDS.join(', ')}`,
    {
      channel: 'websocket',
      path: 'kind',
      value: kind,
    },
  );
}
