/**
 * The interim ChartFeed, until the facade's own candle methods land (`getCandles`, `watchCandles`, `getMarkets`):
 *   - history and the market list from a REST source of the chart's own (the REST adapter shares one request
 *     budget per process and host with the facade's, so the two never draw more than Upbit allows together);
 *   - live candles folded from the facade's `watchTrades`, seeded with the newest REST candle (its `timestamp` is
 *     its last trade: trades up to it are already in it).
 * Limits, on purpose not hidden: no `1s` history (the REST adapter has no seconds endpoint), and a trade lost on
 * the wire is missing from the live candle until the server's reconcile re-reads it from REST.
 */
import type { MarketData } from '@marketdata/backbone';
import {
  type Candle,
  type CandleSource,
  ChannelUnavailableError,
  ClosedError,
  type MarketCode,
  type MarketListSource,
  type Trade,
} from '@marketdata/domain';
import type { ChartInterval } from '../protocol/intervals.js';
import type {
  CandleHistoryQuery,
  CandleListener,
  CandleWatch,
  ChartCandle,
  ChartFeed,
  ChartMarket,
} from './chart-feed.js';
import { domainInterval } from './domain-intervals.js';
import { asMarketDataError } from './errors.js';
import { foldTrade } from './fold-trade.js';

/** Upbit answers at most 200 candles per request. */
const UPBIT_PAGE = 200;

export interface InterimFeedOptions {
  readonly marketData: MarketData;
  readonly rest: CandleSource & MarketListSource;
}

function toChartCandle(candle: Candle): ChartCandle {
  const { openTime, open, high, low, close, volume } = candle;
  return { openTime, open, high, low, close, volume };
}

function noSecondsHistory(): ChannelUnavailableError {
  return new ChannelUnavailableError('1-second candles need the facade candle methods, which are not merged yet', {
    channel: 'rest',
    operation: 'history',
    reason: 'no seconds candles in the REST adapter',
  });
}

export function createInterimFeed(options: InterimFeedOptions): ChartFeed {
  const { marketData, rest } = options;

  async function history(
    symbol: MarketCode,
    interval: ChartInterval,
    query: CandleHistoryQuery,
  ): Promise<readonly ChartCandle[]> {
    const domain = domainInterval(interval);
    if (domain === undefined) throw noSecondsHistory();
    const newestFirst: ChartCandle[] = [];
    let to = query.before;
    while (newestFirst.length < query.count) {
      const want = Math.min(UPBIT_PAGE, query.count - newestFirst.length);
      const page = await rest.getCandles(symbol, { interval: domain, count: want, to, signal: query.signal });
      let oldest: number | undefined;
      for (const candle of page) {
        if (to !== undefined && candle.openTime >= to) continue;
        newestFirst.push(toChartCandle(candle));
        oldest = oldest === undefined ? candle.openTime : Math.min(oldest, candle.openTime);
      }
      if (page.length < want || oldest === undefined) break;
      to = oldest;
    }
    return newestFirst.reverse();
  }

  function watch(symbol: MarketCode, interval: ChartInterval, listener: CandleListener): CandleWatch {
    const stop = new AbortController();
    const signal = stop.signal;
    const domain = domainInterval(interval);
    let current: ChartCandle | undefined;
    let seededUpTo = Number.NEGATIVE_INFINITY;
    let seeded = false;
    const early: Trade[] = [];
    const apply = (trade: Trade): void => {
      if (trade.tradeTimestamp <= seededUpTo) return;
      const next = foldTrade(current, trade, interval);
      if (next === undefined) return;
      current = next;
      listener.onCandles([next]);
    };
    const seed = async (): Promise<void> => {
      if (domain !== undefined) {
        const [newest] = await rest.getCandles(symbol, { interval: domain, count: 1, signal });
        if (newest !== undefined) {
          current = toChartCandle(newest);
          seededUpTo = newest.exchangeTimestamp;
        }
      }
      seeded = true;
      for (const trade of early.splice(0)) apply(trade);
    };
    const consume = async (): Promise<void> => {
      for await (const trade of marketData.watchTrades([symbol], { signal })) {
        if (seeded) apply(trade);
        else early.push(trade);
      }
      if (!signal.aborted) throw new ClosedError('trade stream', { operation: 'watch' });
    };
    // Trades first (nothing between the REST candle and the stream is missed), the seed alongside.
    Promise.all([consume(), seed()]).catch((error: unknown) => {
      if (signal.aborted) return;
      stop.abort();
      listener.onError(asMarketDataError(error, 'watch candles'));
    });
    return { stop: () => stop.abort() };
  }

  return {
    async markets(query = {}) {
      const markets = await rest.getMarkets({ signal: query.signal });
      return markets.map(
        (market): ChartMarket => ({
          symbol: market.symbol,
          koreanName: market.koreanName,
          englishName: market.englishName,
          warning: market.warning,
          cautions: market.cautions,
        }),
      );
    },
    history,
    watch,
  };
}
