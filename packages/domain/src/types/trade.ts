import type { MarketCode } from '../market-code.js';
import type { EpochMs, PriceChange, Provenance, TradeSide } from './common.js';

/** The best ask and bid at the time of a trade, when Upbit sends them. */
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
  /**
   * Change against the previous close. REST `/v1/trades/ticks` sends it **signed** (negative below the previous
   * close, seen in 2026 traffic; documented as signed) and it is kept as sent. WebSocket trade frames send it
   * unsigned with the direction in `change`: the adapter applies that sign, so this is signed on both channels.
   */
  readonly changePrice: number;
  /** Direction against the previous close (WebSocket trades only; REST trades carry none). */
  readonly change?: PriceChange | undefined;
  /** Best quotes at the time of the trade (WebSocket, newer frames only). */
  readonly best?: BestQuote | undefined;
  /**
   * True when the stream missed this trade (a gap, an unusable frame) and it was fetched from REST afterwards: it is
   * delivered in order among the streamed ones, once.
   */
  readonly backfilled?: boolean | undefined;
}
