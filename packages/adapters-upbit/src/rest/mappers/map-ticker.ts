import type { ChannelTicker } from '@marketdata/domain';
import type { UpbitTicker } from '../schemas/ticker-schema.js';
import type { RestTiming } from './rest-provenance.js';

/**
 * `/v1/ticker` entry → `ChannelTicker`. Change price/rate are the signed ones; `timestamp` is the exchange time.
 * REST tickers carry the 52-week high/low but none of the WebSocket-only fields (last side, accumulated ask/bid
 * volume, market state, suspension, warning, delisting date): those stay undefined, never guessed.
 */
export function mapTicker(raw: UpbitTicker, timing: RestTiming): ChannelTicker {
  return {
    symbol: raw.market,
    price: raw.trade_price,
    open: raw.opening_price,
    high: raw.high_price,
    low: raw.low_price,
    prevClose: raw.prev_closing_price,
    change: raw.change,
    changePrice: raw.signed_change_price,
    changeRate: raw.signed_change_rate,
    lastTradeVolume: raw.trade_volume,
    dayVolume: raw.acc_trade_volume,
    dayTurnover: raw.acc_trade_price,
    volume24h: raw.acc_trade_volume_24h,
    turnover24h: raw.acc_trade_price_24h,
    tradeTimestamp: raw.trade_timestamp,
    high52w: raw.highest_52_week_price,
    high52wDate: raw.highest_52_week_date,
    low52w: raw.lowest_52_week_price,
    low52wDate: raw.lowest_52_week_date,
    askBid: undefined,
    accAskVolume: undefined,
    accBidVolume: undefined,
    marketState: undefined,
    tradingSuspended: undefined,
    marketWarning: undefined,
    delistingDate: undefined,
    exchangeTimestamp: raw.timestamp,
    receivedAt: timing.receivedAt,
    receivedAtMonotonic: timing.receivedAtMonotonic,
    latencyMs: timing.latencyMs,
    source: 'rest',
    // The WebSocket ticker's fields in the same order (one object shape for both channels keeps readers monomorphic).
    streamType: undefined,
  };
}
