import type {
  Candle,
  CandleStreamKind,
  Clock,
  Logger,
  MarketCode,
  StreamingSource,
  TickerSource,
} from '@marketdata/domain';
import { ConflatingQueue } from '../facade/consumer-queue.js';
import { restPollingFeed } from '../facade/feeds.js';
import type { HistoryCalls } from '../facade/history-calls.js';
import type { FeedSink, StreamOpener } from '../facade/stream-opener.js';
import type { StatsCollector } from '../stats/stats-collector.js';
import { checkCandles } from '../unifier/record-checks.js';
import type { Unifier } from '../unifier/unifier.js';
import { CandleFeed, type CandleFeedOptions, type LiveInput, type QueuedCandleEvent } from './candle-feed.js';
import type { IntervalSpec } from './candle-intervals.js';
import type { CandleUpdate } from './candle-update.js';
import { pollRestCandles } from './rest-candle-polling.js';

export interface WatchCandlesDeps {
  readonly clock: Clock;
  readonly logger: Logger;
  readonly opener: StreamOpener;
  readonly websocket: Pick<StreamingSource, 'listen' | 'observe'> | undefined;
  readonly rest: Pick<TickerSource, 'watchTickers'>;
  readonly history: HistoryCalls;
  readonly unifier: Unifier;
  readonly stats: StatsCollector;
  /** The longest wait for a symbol's first live record before its history is fetched anyway. */
  readonly webSocketTimeoutMs: number;
}

/**
 * `watchCandles`: one `CandleFeed` per stream, opened through the stream opener like every `watch*` (the market list
 * checked first, the consumer's queue tied to its signal and to `close()`). The live part is Upbit's WebSocket candle
 * stream for seconds and minutes (REST candle polling without a WebSocket), and the ticker stream (WebSocket, or REST
 * polling without one) for days and up.
 * The queue conflates per candle (`symbol` and `openTime`): a slow consumer gets each candle's latest state, every
 * candle in order, and never loses one.
 */
export function watchCandles(
  deps: WatchCandlesDeps,
  symbols: readonly MarketCode[],
  interval: IntervalSpec,
  history: number,
  signal: AbortSignal | undefined,
): AsyncIterableIterator<CandleUpdate> {
  const { opener, unifier, stats } = deps;
  const live = liveInput(deps, symbols, interval);
  return opener.openStream<QueuedCandleEvent, CandleUpdate>({
    operation: 'watchCandles',
    symbols,
    signal,
    queue: ({ onClose }) =>
      new ConflatingQueue<QueuedCandleEvent, CandleUpdate>({
        keyOf: (event) =>
          event.type === 'history' ? `${event.symbol}|history` : `${event.symbol}|${event.candle.openTime}`,
        deliver: (event) => {
          if (interval.streamType !== undefined) stats.recordDelivered(interval.streamType as CandleStreamKind);
          if (event.type === 'history') {
            const newest = event.candles.at(-1);
            const grade = unifier.gradeValue(
              {
                symbol: event.symbol,
                exchangeTimestamp: newest?.exchangeTimestamp ?? deps.clock.now(),
                issues: [...event.issues, ...checkCandles(event.candles)],
              },
              { servedFrom: event.source, startedAt: event.arrivedAt },
            );
            return { type: 'history', symbol: event.symbol, interval: interval.name, candles: event.candles, ...grade };
          }
          const grade = unifier.gradeValue(
            {
              symbol: event.symbol,
              exchangeTimestamp: event.candle.exchangeTimestamp,
              issues: checkCandles([event.candle]),
            },
            { servedFrom: event.candle.source, startedAt: event.arrivedAt },
          );
          return { type: 'candle', symbol: event.symbol, interval: interval.name, candle: event.candle, ...grade };
        },
        onConflated: () => stats.recordConflated(),
        onClose,
      }),
    feed: (sink) => {
      const feed = new CandleFeed({
        clock: deps.clock,
        logger: deps.logger,
        interval,
        symbols,
        history,
        fetchCandles: fetchCandlesOf(deps),
        live: live(sink),
        observeGaps:
          deps.websocket === undefined
            ? undefined
            : (onGap) => (deps.websocket as Pick<StreamingSource, 'observe'>).observe({ onGap }),
        firstLiveTimeoutMs: deps.webSocketTimeoutMs,
        push: (event) => sink.push(event),
      });
      feed.start();
      return () => feed.stop();
    },
  });
}

function fetchCandlesOf(deps: WatchCandlesDeps): CandleFeedOptions['fetchCandles'] {
  return async (symbol, interval, count, to, signal) =>
    (await deps.history.candles(symbol, { interval, count, to, signal })).candles;
}

/**
 * The live input of the interval: the WebSocket candle stream (seconds, minutes; REST polling without a WebSocket),
 * or tickers (days and up: the WebSocket's, or REST polling).
 */
function liveInput(
  deps: WatchCandlesDeps,
  symbols: readonly MarketCode[],
  interval: IntervalSpec,
): (sink: FeedSink<QueuedCandleEvent>) => LiveInput {
  const { websocket, rest } = deps;
  if (interval.streamType !== undefined) {
    if (websocket === undefined) {
      const polling = { clock: deps.clock, logger: deps.logger, symbols, interval, fetchCandles: fetchCandlesOf(deps) };
      return () => ({ kind: 'candles', start: (onCandle) => pollRestCandles(polling, onCandle) });
    }
    const kind = interval.streamType as CandleStreamKind;
    return (sink) => ({
      kind: 'candles',
      start: (onCandle) => {
        const handle = websocket.listen(kind, symbols, {
          onRecord: (candle: Candle) => onCandle(candle),
          onError: (error) => sink.fail(error, 'websocket'),
        });
        return () => handle.release();
      },
    });
  }
  return (sink) => ({
    kind: 'tickers',
    start: (onTick) => {
      if (websocket !== undefined) {
        const handle = websocket.listen('ticker', symbols, {
          onRecord: (tick) => onTick(tick),
          onError: (error) => sink.fail(error, 'websocket'),
        });
        return () => handle.release();
      }
      return restPollingFeed(
        rest,
        symbols,
        (tick) => tick,
      )({
        push: onTick,
        end: () => sink.end(),
        fail: (error, channel) => sink.fail(error, channel),
      });
    },
  });
}
