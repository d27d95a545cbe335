import type { Trade } from '@marketdata/domain';
import { type ChartInterval, periodStart } from '../protocol/intervals.js';
import type { ChartCandle } from './chart-feed.js';

/**
 * The candle after one more trade: a trade of a later period opens a new candle, one of the same period moves
 * high/low/close and adds its volume. A trade of an earlier period than `current` changes nothing (undefined):
 * the interim feed never rewrites a past candle from a late trade; the REST reconcile does.
 */
export function foldTrade(
  current: ChartCandle | undefined,
  trade: Pick<Trade, 'price' | 'volume' | 'tradeTimestamp'>,
  interval: ChartInterval,
): ChartCandle | undefined {
  const openTime = periodStart(interval, trade.tradeTimestamp);
  if (current === undefined || openTime > current.openTime) {
    return {
      openTime,
      open: trade.price,
      high: trade.price,
      low: trade.price,
      close: trade.price,
      volume: trade.volume,
    };
  }
  if (openTime < current.openTime) return undefined;
  return {
    openTime,
    open: current.open,
    high: Math.max(current.high, trade.price),
    low: Math.min(current.low, trade.price),
    close: trade.price,
    volume: current.volume + trade.volume,
  };
}
