import type { CandleInterval } from '@marketdata/domain';
import type { ChartInterval } from '../protocol/intervals.js';

/**
 * The domain's candle interval for a chart interval; undefined for `1s`, which the domain's `CandleUnit` has no
 * unit for yet (Upbit has `/v1/candles/seconds` and `candle.1s`; the facade's candle methods bring it).
 */
export function domainInterval(interval: ChartInterval): CandleInterval | undefined {
  switch (interval) {
    case '1s':
      return undefined;
    case '1m':
      return { unit: 'minutes', size: 1 };
    case '5m':
      return { unit: 'minutes', size: 5 };
    case '15m':
      return { unit: 'minutes', size: 15 };
    case '1h':
      return { unit: 'minutes', size: 60 };
    case '4h':
      return { unit: 'minutes', size: 240 };
    case '1d':
      return { unit: 'days', size: 1 };
    case '1w':
      return { unit: 'weeks', size: 1 };
    case '1M':
      return { unit: 'months', size: 1 };
  }
}
