import type { MarketCode, MarketDataError } from '@marketdata/domain';
import type { ChartInterval } from '../protocol/intervals.js';

/** One candle as the chart draws it. `openTime` is the period start (UTC epoch ms). */
export interface ChartCandle {
  readonly openTime: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
}

/** A listed market, with what the picker searches and the header shows. */
export interface ChartMarket {
  readonly symbol: MarketCode;
  readonly koreanName: string;
  readonly englishName: string;
  readonly warning: boolean;
  readonly cautions: readonly string[];
}

export interface CandleHistoryQuery {
  /** Most candles wanted (the newest ones before `before`). */
  readonly count: number;
  /** Only candles whose period starts strictly before this, UTC epoch ms; undefined: up to now. */
  readonly before?: number | undefined;
  readonly signal?: AbortSignal | undefined;
}

export interface CandleListener {
  /** Updates, last-wins per `openTime`; the same period comes again as it changes. */
  onCandles(candles: readonly ChartCandle[]): void;
  /** The live series failed or ended; nothing follows. */
  onError(error: MarketDataError): void;
}

export interface CandleWatch {
  stop(): void;
}

/**
 * What the chart needs for candles and the market list, so the server does not care where they come from. The
 * implementation is the facade's (`facade-feed.ts`: `getCandles`, `watchCandles`, `getMarkets`); `create-feed.ts`
 * picks it, and is the only file to change to feed the chart from anything else (a fake in tests, for one).
 */
export interface ChartFeed {
  markets(options?: { readonly signal?: AbortSignal | undefined }): Promise<readonly ChartMarket[]>;
  /** At most `count` candles, oldest first, all before `query.before`. Fewer means nothing older exists. */
  history(symbol: MarketCode, interval: ChartInterval, query: CandleHistoryQuery): Promise<readonly ChartCandle[]>;
  /** Live updates of the series until `stop()`. */
  watch(symbol: MarketCode, interval: ChartInterval, listener: CandleListener): CandleWatch;
}
