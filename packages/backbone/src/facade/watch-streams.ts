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
  type TradeSource,
} from '@marketdata/domain';
import type { TickerCache } from '../cache/ticker-cache.js';
import type { FreshnessJudge } from '../freshness/freshness-judge.js';
import type { ChannelRouter } from '../router/channel-router.js';
import type { RequestedSource } from '../router/route-types.js';
import type { StatsCollector } from '../stats/stats-collector.js';
import type { Unifier } from '../unifier/unifier.js';
import { classify } from './channel-errors.js';
import { BoundedQueue, ConflatingQueue } from './consumer-queue.js';
import type { FallbackEpisodes } from './fallback-episodes.js';
import { restPollingFeed, webSocketFeed } from './feeds.js';
import type { StreamFallbacks } from './stream-fallbacks.js';
import type { Feed, StreamOpener } from './stream-opener.js';
import { TickerSupervisor } from './ticker-supervisor.js';
import { TradeBackfill } from './trade-backfill.js';

export interface WatchStreamsOptions {
  readonly clock: Clock;
  readonly opener: StreamOpener;
  readonly router: ChannelRouter;
  readonly rest: Pick<TickerSource, 'watchTickers' | 'getTickers'> & {
    readonly getTrades?: TradeSource['getTrades'] | undefined;
  };
  readonly websocket: Pick<StreamingSource, 'listen' | 'observe'> | undefined;
  readonly judge: FreshnessJudge;
  readonly unifier: Unifier;
  readonly cache: TickerCache;
  readonly stats: StatsCollector;
  readonly episodes: FallbackEpisodes;
  /** Streams standing in with REST, for `health()`. */
  readonly fallbacks: StreamFallbacks;
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
   * Tickers, conflated per symbol and graded at hand-out. An `auto` or `websocket` stream is supervised: whatever
   * the WebSocket cannot serve comes from REST polling meanwhile (labelled a fallback, counted, logged once per
   * episode, named in `health()`), and goes back to the WebSocket once it delivers again; `strict` ends with a typed
   * error instead. A `rest` stream polls REST.
   */
  tickers(
    symbols: readonly MarketCode[],
    requested: RequestedSource,
    strict: boolean,
    signal: AbortSignal | undefined,
  ) {
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
      feed: this.tickerFeed(symbols, decision.channel, requested, strict, label),
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
      feed: webSocketFeed(
        websocket,
        judge,
        'orderbook',
        symbols,
        (book) => book,
        (error) => stats.recordError(classify(error, 'websocket', 'watchOrderBooks')),
      ),
    });
  }

  /**
   * Trades (WebSocket), every one in order: events are never conflated; a bounded queue instead. What the stream
   * misses (a gap, an unusable frame) is fetched from REST and delivered in order, marked `backfilled`
   * (`TradeBackfill`).
   */
  trades(symbols: readonly MarketCode[], signal: AbortSignal | undefined) {
    const { opener, judge, stats, tradeQueueCapacity, rest, clock } = this.options;
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
      feed: (sink) => {
        const unwatch = judge.watch('trade', symbols);
        const backfill = new TradeBackfill({
          clock,
          symbols,
          websocket,
          rest: rest.getTrades === undefined ? undefined : { getTrades: rest.getTrades.bind(rest) },
          deliver: (trade) => sink.push(trade),
          fail: (error) => sink.fail(error, 'websocket'),
          end: () => sink.end(),
          onError: (error, channel) => stats.recordError(classify(error, channel, 'watchTrades')),
          onRecovered: (_symbol, found, abandoned) => stats.recordBackfill(found, abandoned),
        });
        try {
          backfill.start();
        } catch (error) {
          unwatch();
          backfill.stop();
          throw error;
        }
        return () => {
          unwatch();
          backfill.stop();
        };
      },
    });
  }

  /**
   * The ticker feed. REST polling when the router chose REST for an explicit `rest` stream or without a WebSocket;
   * otherwise the stream supervisor: the WebSocket, with REST standing in for the symbols it cannot serve (see
   * `TickerSupervisor`), or a typed error for a `strict` stream.
   */
  private tickerFeed(
    symbols: readonly MarketCode[],
    channel: 'rest' | 'websocket',
    requested: RequestedSource,
    strict: boolean,
    initial: Label,
  ): Feed<QueuedTick> {
    const { rest, websocket, judge, episodes, stats, clock, fallbacks } = this.options;
    const item = (tick: ChannelTicker, label: Label): QueuedTick => ({
      tick,
      arrivedAt: clock.monotonic(),
      fallbackFrom: label.fallbackFrom,
      fallbackReason: label.fallbackReason,
    });
    const seen = (tick: ChannelTicker): void => {
      this.options.unifier.inspect(tick);
      this.options.cache.remember(tick);
    };
    if (websocket === undefined || requested === 'rest') {
      return restPollingFeed(rest, symbols, (tick) => {
        seen(tick);
        return item(tick, initial);
      });
    }
    return (sink) => {
      const key = {};
      const supervisor = new TickerSupervisor({
        clock,
        symbols,
        websocket,
        rest,
        judge,
        strict,
        startOnRest: channel === 'rest' ? (initial.fallbackReason ?? 'websocket unavailable') : undefined,
        seen,
        deliver: (tick, fallbackReason) =>
          sink.push(
            item(tick, {
              fallbackFrom: fallbackReason === undefined ? undefined : 'websocket',
              fallbackReason,
            }),
          ),
        fail: (error) => sink.fail(error, 'websocket'),
        onChannels: (onRest, reason, returned) => {
          fallbacks.set(key, 'watchTickers', onRest, reason);
          if (!returned) episodes.fellBack('websocket', 'rest', reason);
          else if (onRest.length === 0) episodes.succeeded('websocket');
        },
        onError: (error, errorChannel) => stats.recordError(classify(error, errorChannel, 'watchTickers')),
      });
      supervisor.start();
      return () => {
        supervisor.stop();
        fallbacks.set(key, 'watchTickers', [], '');
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
