import type { MarketCode } from '../market-code.js';
import type { EpochMs, PriceChange, Provenance, TradeSide } from './common.js';

export interface BestQuote {
  readonly askPrice: number;
  readonly askSize: number;
  readonly bidPrice: number;
  readonly bidSize: number;
}

export interface Trade extends Provenance {
  readonly symbol: MarketCode;
  readonly price: number;
  readonly volume: number;
  readonly side: TradeSide;
  /**
   * Upbit's `sequential_id`, kept exact as decimal text: it exceeds 2^53, so a JS number would round it.
   * Use `BigInt(sequentialId)` to compare.
   */
  readonly sequentialId: string;
  readonly tradeTimestamp: EpochMs;
  readonly prevClose: number;
  /** Unsigned on REST trades as Upbit sends it; sign given by `change` where present. */
  readonly changePrice: number;
  readonly change?: PriceChange | undefined;
  /** Best quotes at the time of the trade (WebSocket, newer frames only). */
  readonly best?: BestQuote | undefined;
  /**
   * True when the stream missed this trade (a gap, an unusable frame) and it was fetched from REST afterwards: it is
   * delivered in order among the streamed ones, once.
   */
  readonly backfilled?: boolean | undefined;
}
