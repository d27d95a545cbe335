import type { MarketCode } from '../market-code.js';
import type { Provenance } from './common.js';

/** One level of an order book: the ask and the bid at this depth. */
export interface OrderBookLevel {
  readonly askPrice: number;
  readonly askSize: number;
  readonly bidPrice: number;
  readonly bidSize: number;
}

/** A full book (Upbit sends full books, never diffs). Levels are best first. */
export interface OrderBook extends Provenance {
  readonly symbol: MarketCode;
  readonly levels: readonly OrderBookLevel[];
  readonly totalAskSize: number;
  readonly totalBidSize: number;
  /** Price grouping unit (`level`); 0 = none. */
  readonly grouping: number;
}
