import {
  type ChannelKind,
  type ChannelTicker,
  ChannelUnavailableError,
  type Clock,
  type MarketCode,
  type OrderBook,
  type StreamingSource,
  type StreamKind,
  type Ticker,
  type TickerSource,
  type Trade,
} from '@marketdata/domain';
import type { TickerCache } from '../cache/ticker-cache.js';
import type { FreshnessJudge } from '../freshness/freshness-judge.js';
import type { ChannelRouter } from '../router/channel-router.js';
import type { RequestedSource } from '../router/route-types.js';
import type { StatsCollector } from '../stats/stats-collector.js';
import type { Unifier } from '../unifier/unifier.js';
import { classify, describeError } from './channel-errors.js';
import { BoundedQueue, ConflatingQueue } from './consumer-queue.js';
import type { FallbackEpisodes } from './fallback-episodes.js';
import { restPollingFeed, webSocketFeed } from './feeds.js';
import type { Feed, FeedSink, StreamOpener } from './stream-opener.js';

export interface WatchStreamsOptions {
  readonly clock: Clock;
  readonly opener: StreamOpener;
  readonly router: ChannelRouter;
  readonly rest: Pick<TickerSource, 'watchTickers'>;
  readonly websocket: Pick<StreamingSource, 'listen'> | undefined;
  readonly judge: FreshnessJudge;
  readonly unifier: Unifier;
  readonly cache: TickerCache;
  readonly stats: StatsCollector;
  readonly episodes: FallbackEpisodes;
  readonly tradeQueueCapacity: number;
}

interface QueuedTick {
  readonly tick: ChannelTicker;
  readonly arrivedAt: number;
  readonly fallbackFrom: ChannelKind | undefined;
  readonly fallbackReason: string | undefined;
}

interface Label {
  readonly fallbackFrom: ChannelKind | undefined;
  readonly fallbackReason: string | undefined;
}

/**
 * The three `watch*` streams, each a small spec for the one stream opener: what to listen to, how to label, which
 * queue. Tickers are graded at hand-out (the freshness judge labels a stale one); order books and trades pass as
 * they are. States conflate per symbol; trades never do.
 */
export class WatchStreams {
  constructor(private readonly options: WatchStreamsOptions) {}

  /**
   * Tickers, conflated per symbol and graded at hand-out. WebSocket when usable, else the REST source's own polling
   * stream. If the WebSocket refuses an `auto` stream, it continues on REST (labelled a fallback, counted, logged
   * once per episode); it does not switch back by itself.
   */
  tickers(symbols: readonly MarketCode[], requested: RequestedSource, signal: AbortSignal | undefined) {
    const { router, opener, unifier, stats } = this.options;
    const decision = router.route({ symbol: first(symbols), kind: 'ticker', operation: 'watch', requested });
    if (decision.channel !== 'rest' && decision.channel !== 'websocket') {
      throw new ChannelUnavailableError(`No channel can stream tickers (${decision.detail})`, {
        channel: 'router',
        operation: 'watchTickers',
        reason: decision.reason,
      });
    }
    const label: Label = {
      fallbackFrom: decision.fallbackFrom,
      fallbackReason: decision.fallbackFrom === undefined ? undefined : `${decision.reason} (${decision.detail})`,
    };
    if (decision.fallbackFrom !== undefined) {
      this.options.episodes.fellBack(decision.fallbackFrom, decision.channel, decision.detail);
    }
    return opener.openStream<QueuedTick, Ticker>({
      operation: 'watchTickers',
      symbols,
      signal,
      queue: ({ onClose }) =>
        new ConflatingQueue<QueuedTick, Ticker>({
          keyOf: (item) => item.tick.symbol,
          deliver: (item) => {
            const ticker = unifier.grade(item.tick, {
              servedFrom: item.tick.source,
              startedAt: item.arrivedAt,
              fallbackFrom: item.fallbackFrom,
              fallbackReason: item.fallbackReason,
            });
            stats.recordDelivered('ticker');
            if (item.fallbackFrom !== undefined) stats.recordFallback(item.fallbackFrom, item.tick.source);
            return ticker;
          },
          onConflated: () => stats.recordConflated(),
          onClose,
        }),
      feed: this.tickerFeed(symbols, decision.channel, requested, label),
    });
  }

  /** Order books (WebSocket only), conflated per symbol: a slow consumer gets the latest full book. */
  orderBooks(symbols: readonly MarketCode[], signal: AbortSignal | undefined) {
    const { opener, judge, stats } = this.options;
    const websocket = this.requireWebSocket(symbols, 'orderbook', 'watchOrderBooks');
    return opener.openStream<OrderBook, OrderBook>({
      operation: 'watchOrderBooks',
      symbols,
      signal,
      queue: ({ onClose }) =>
        new ConflatingQueue<OrderBook, OrderBook>({
          keyOf: (book) => book.symbol,
          deliver: (book) => {
            stats.recordDelivered('orderbook');
            return book;
          },
          onConflated: () => stats.recordConflated(),
          onClose,
        }),
      feed: webSocketFeed(websocket, judge, 'orderbook', symbols, (book) => book),
    });
  }

  /** Trades (WebSocket only), every one in order: events are never conflated; a bounded queue instead. */
  trades(symbols: readonly MarketCode[], signal: AbortSignal | undefined) {
    const { opener, judge, stats, tradeQueueCapacity } = this.options;
    const websocket = this.requireWebSocket(symbols, 'trade', 'watchTrades');
    return opener.openStream<Trade, Trade>({
      operation: 'watchTrades',
      symbols,
      signal,
      queue: ({ onClose }) =>
        new BoundedQueue<Trade, Trade>({
          capacity: tradeQueueCapacity,
          operation: 'watchTrades',
          deliver: (trade) => {
            stats.recordDelivered('trade');
            return trade;
          },
          onClose,
        }),
      feed: webSocketFeed(websocket, judge, 'trade', symbols, (trade) => trade),
    });
  }

  /** The ticker feed, with its one fallback: a WebSocket refusal moves an `auto` stream to REST polling. */
  private tickerFeed(
    symbols: readonly MarketCode[],
    channel: 'rest' | 'websocket',
    requested: RequestedSource,
    initial: Label,
  ): Feed<QueuedTick> {
    const { rest, websocket, judge, router, episodes, stats } = this.options;
    let label = initial;
    const toItem = (tick: ChannelTicker): QueuedTick => {
      this.options.unifier.inspect(tick);
      this.options.cache.remember(tick);
      const { fallbackFrom, fallbackReason } = label;
      return { tick, arrivedAt: this.options.clock.monotonic(), fallbackFrom, fallbackReason };
    };
    const polling = restPollingFeed(rest, symbols, toItem);
    if (channel === 'rest' || websocket === undefined) return polling;
    return (sink) => {
      let stopWebSocket: (() => void) | undefined;
      let stopPolling: (() => void) | undefined;
      let switched = false;
      const onError = (raw: unknown, target: FeedSink<QueuedTick>): void => {
        if (switched) return;
        if (requested !== 'auto' || router.channelViews().rest.state === 'disabled') {
          target.fail(raw, 'websocket');
          return;
        }
        switched = true;
        const error = classify(raw, 'websocket', 'watchTickers');
        stats.recordError(error);
        episodes.fellBack('websocket', 'rest', describeError(error));
        label = { fallbackFrom: 'websocket', fallbackReason: describeError(error) };
        const websocketRelease = stopWebSocket;
        stopWebSocket = undefined;
        websocketRelease?.();
        // Runs inside the source's listener callback: nothing may be thrown back into it.
        try {
          stopPolling = polling(target);
        } catch (pollingError) {
          target.fail(pollingError, 'rest');
        }
      };
      const stop = webSocketFeed(websocket, judge, 'ticker', symbols, toItem, onError)(sink);
      // A refusal may arrive synchronously, while `listen` is still replaying: then the WebSocket is done already.
      if (switched) stop();
      else stopWebSocket = stop;
      return () => {
        stopWebSocket?.();
        stopPolling?.();
      };
    };
  }

  private requireWebSocket(symbols: readonly MarketCode[], kind: StreamKind, operation: string) {
    const decision = this.options.router.route({ symbol: first(symbols), kind, operation: 'watch', requested: 'auto' });
    const websocket = this.options.websocket;
    if (decision.channel !== 'websocket' || websocket === undefined) {
      throw new ChannelUnavailableError(`${operation} needs the websocket channel (${decision.detail})`, {
        channel: 'router',
        operation,
        reason: decision.reason,
      });
    }
    return websocket;
  }
}

function first(symbols: readonly MarketCode[]): MarketCode {
  const [symbol] = symbols;
  if (symbol === undefined) throw new Error('a stream needs at least one symbol');
  return symbol;
}
