import type { MarketData } from '@marketdata/backbone';
import {
  ClosedError,
  type MarketCode,
  type OrderBook,
  parseMarketCode,
  type Ticker,
  type Trade,
} from '@marketdata/domain';
import type { ChartCandle, ChartFeed } from '../feed/chart-feed.js';
import { asMarketDataError } from '../feed/errors.js';
import { type ChartInterval, isChartInterval } from '../protocol/intervals.js';
import { SharedStreams, type StreamOpener } from './shared-streams.js';

/** Key of a candle stream: one per market and interval. */
export function candleKey(symbol: MarketCode, interval: ChartInterval): string {
  return `${symbol}|${interval}`;
}

export function parseCandleKey(key: string): { readonly symbol: MarketCode; readonly interval: ChartInterval } {
  const [symbol, interval] = key.split('|');
  if (!isChartInterval(interval)) throw new Error(`not a candle key: ${key}`);
  return { symbol: parseMarketCode(symbol), interval };
}

/** Runs a facade iterator for one symbol until stopped, handing each value on. */
function iterate<T>(
  start: (symbol: MarketCode, signal: AbortSignal) => AsyncIterable<T>,
  operation: string,
): StreamOpener<T> {
  return (key, emit, fail) => {
    const stop = new AbortController();
    void (async () => {
      try {
        for await (const value of start(parseMarketCode(key), stop.signal)) emit(value);
        if (!stop.signal.aborted) fail(new ClosedError(`${operation} stream`, { operation }));
      } catch (error) {
        if (!stop.signal.aborted) fail(asMarketDataError(error, operation));
      }
    })();
    return () => stop.abort();
  };
}

/** The newest candle of two, for replay to a tab that joins an open candle stream. */
function newestCandle(
  previous: readonly ChartCandle[] | undefined,
  batch: readonly ChartCandle[],
): readonly ChartCandle[] {
  let newest = previous?.[0];
  for (const candle of batch) if (newest === undefined || candle.openTime >= newest.openTime) newest = candle;
  return newest === undefined ? [] : [newest];
}

/**
 * Everything the server reads from upstream, shared among tabs: one facade stream per market for tickers, books and
 * trades, and one candle series per market and interval.
 */
export class Upstream {
  readonly tickers: SharedStreams<Ticker>;
  readonly books: SharedStreams<OrderBook>;
  readonly trades: SharedStreams<Trade>;
  readonly candles: SharedStreams<readonly ChartCandle[]>;

  constructor(
    readonly marketData: MarketData,
    readonly feed: ChartFeed,
  ) {
    this.tickers = new SharedStreams({
      replayLatest: true,
      open: iterate((symbol, signal) => marketData.watchTickers([symbol], { signal }), 'watchTickers'),
    });
    this.books = new SharedStreams({
      replayLatest: true,
      open: iterate((symbol, signal) => marketData.watchOrderBooks([symbol], { signal }), 'watchOrderBooks'),
    });
    this.trades = new SharedStreams({
      replayLatest: false,
      open: iterate((symbol, signal) => marketData.watchTrades([symbol], { signal }), 'watchTrades'),
    });
    this.candles = new SharedStreams<readonly ChartCandle[]>({
      replayLatest: true,
      remember: newestCandle,
      open: (key, emit, fail) => {
        const { symbol, interval } = parseCandleKey(key);
        const watch = feed.watch(symbol, interval, { onCandles: emit, onError: fail });
        return () => watch.stop();
      },
    });
  }

  /** Upstream streams open right now, by kind (one per market, or per market and interval for candles). */
  openStreams(): Readonly<Record<'tickers' | 'books' | 'trades' | 'candles', readonly string[]>> {
    return {
      tickers: this.tickers.openKeys,
      books: this.books.openKeys,
      trades: this.trades.openKeys,
      candles: this.candles.openKeys,
    };
  }

  close(): void {
    this.tickers.closeAll();
    this.books.closeAll();
    this.trades.closeAll();
    this.candles.closeAll();
  }
}
