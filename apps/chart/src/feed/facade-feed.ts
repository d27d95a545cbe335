/**
 * The ChartFeed on the facade's own candle and market methods: `getCandles` (paged past Upbit's 200 by the REST
 * source), `watchCandles` (one ordered series joining REST history and the live WebSocket candle stream, last-wins
 * per candle time) and `getMarkets({ details: true })`.
 */
import type { CandleIntervalName, MarketData } from '@marketdata/backbone';
import { ClosedError, type MarketCode } from '@marketdata/domain';
import type { ChartInterval } from '../protocol/intervals.js';
import type {
  CandleHistoryQuery,
  CandleListener,
  CandleWatch,
  ChartCandle,
  ChartFeed,
  ChartMarket,
} from './chart-feed.js';
import { asMarketDataError } from './errors.js';

/** The facade's name of each chart interval. */
const FACADE_INTERVAL: Readonly<Record<ChartInterval, CandleIntervalName>> = {
  '1s': '1s',
  '1m': '1m',
  '5m': '5m',
  '15m': '15m',
  '1h': '60m',
  '4h': '240m',
  '1d': '1d',
  '1w': '1w',
  '1M': '1M',
};

/**
 * REST candles the live series starts with. The first screen comes from `history()`; these few only join the
 * stream to it without a seam (a candle that closed between the two reads is in both, last-wins).
 */
const SEAM_CANDLES = 3;

function toChartCandle(candle: {
  readonly openTime: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
}): ChartCandle {
  const { openTime, open, high, low, close, volume } = candle;
  return { openTime, open, high, low, close, volume };
}

export function createFacadeFeed(marketData: MarketData): ChartFeed {
  return {
    async markets(options = {}) {
      const list = await marketData.getMarkets({ details: true, signal: options.signal });
      return list.markets.map(
        (market): ChartMarket => ({
          symbol: market.symbol,
          koreanName: market.koreanName,
          englishName: market.englishName,
          warning: market.warning,
          cautions: market.cautions,
        }),
      );
    },

    async history(symbol: MarketCode, interval: ChartInterval, query: CandleHistoryQuery) {
      const list = await marketData.getCandles(symbol, {
        interval: FACADE_INTERVAL[interval],
        count: query.count,
        to: query.before,
        signal: query.signal,
      });
      return list.candles
        .filter((candle) => query.before === undefined || candle.openTime < query.before)
        .map(toChartCandle);
    },

    watch(symbol: MarketCode, interval: ChartInterval, listener: CandleListener): CandleWatch {
      const stop = new AbortController();
      const signal = stop.signal;
      void (async () => {
        try {
          const updates = marketData.watchCandles([symbol], FACADE_INTERVAL[interval], {
            history: SEAM_CANDLES,
            signal,
          });
          for await (const update of updates) {
            if (update.type === 'history') listener.onCandles(update.candles.map(toChartCandle));
            else listener.onCandles([toChartCandle(update.candle)]);
          }
          if (!signal.aborted) throw new ClosedError('candle stream', { operation: 'watchCandles' });
        } catch (error) {
          if (!signal.aborted) listener.onError(asMarketDataError(error, 'watchCandles'));
        }
      })();
      return { stop: () => stop.abort() };
    },
  };
}
