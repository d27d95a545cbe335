import type { MarketStatus } from './market-status.js';

export type TradeSide = 'ASK' | 'BID';
export type PriceChange = 'RISE' | 'EVEN' | 'FALL';

/** Static description of a market (what /v1/market/all lists). */
export interface MarketInfo {
  readonly code: string;
  readonly quote: string;
  readonly base: string;
  readonly koreanName: string;
  readonly englishName: string;
  /** market_event.warning */
  readonly warning: boolean;
  /** Names of the market_event.caution flags that are true. */
  readonly cautions: readonly string[];
}

/** One simulated trade, as REST /v1/trades/ticks and WS trade frames report it. */
export interface TradeRecord {
  /** Per-market sequence, 1-based and gap-free: the last four digits of `sequentialId` are `seq % 10000`. */
  readonly seq: number;
  /** `trade_timestamp * 10000 + seq % 10000` as decimal digits (> 2^53, like Upbit's ~1.7e16 ids). */
  readonly sequentialId: string;
  readonly price: number;
  readonly volume: number;
  readonly side: TradeSide;
  readonly tradeTimestamp: number;
  /** Server time the trade was published (WS `timestamp`), a few ms after `tradeTimestamp`. */
  readonly timestamp: number;
  readonly prevClose: number;
  readonly change: PriceChange;
  /** Unsigned, as the WebSocket trade frame carries it. */
  readonly changePrice: number;
  /**
   * `price - prevClose`: REST `/v1/trades/ticks` carries the sign (a 2026 capture shows `change_price: -224000.0`
   * for a trade below the previous close), unlike the WebSocket trade frame and the ticker.
   */
  readonly signedChangePrice: number;
  readonly bestAskPrice: number;
  readonly bestAskSize: number;
  readonly bestBidPrice: number;
  readonly bestBidSize: number;
}

/** A read-only view of a market's current state (the same state REST and WebSocket serialize). */
export interface SimMarketState {
  readonly code: string;
  readonly tradePrice: number;
  readonly openingPrice: number;
  readonly highPrice: number;
  readonly lowPrice: number;
  readonly prevClosingPrice: number;
  readonly change: PriceChange;
  readonly accTradeVolume: number;
  readonly accTradePrice: number;
  readonly accTradeVolume24h: number;
  readonly accTradePrice24h: number;
  readonly tradeTimestamp: number;
  /** Ticker `timestamp`: when the ticker last changed. */
  readonly tickerTimestamp: number;
  /** Sequence number of the last trade (see TradeRecord.seq). */
  readonly lastTradeSeq: number;
  readonly lastSequentialId: string;
  readonly bestAskPrice: number;
  readonly bestBidPrice: number;
  /** Configured average trades per second (after tradeRateScale). */
  readonly tradesPerSecond: number;
  readonly frozen: boolean;
  /** Listing status: `market_event` and the WebSocket ticker's `market_state`, `is_trading_suspended`, ... */
  readonly status: MarketStatus;
}

/** The top of a book as last published (books go out on a 100 ms grid; REST serves the last published one). */
export interface BookTop {
  readonly version: number;
  readonly bestBid: number;
  readonly bestAsk: number;
  readonly bestBidSize: number;
  readonly bestAskSize: number;
  readonly fair: number;
}
