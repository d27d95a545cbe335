import type { ChannelTicker } from '@marketdata/domain';
import * as v from 'valibot';
import {
  upbitAskBid,
  upbitChange,
  upbitDashedDate,
  upbitEpochMs,
  upbitLabel,
  upbitMarketCode,
  upbitNonNegative,
  upbitNumber,
} from '../../shared/schemas.js';
import { streamTypeSchema } from './common-schemas.js';
import { type MapResult, validateFrame } from './frame-validation.js';
import { expandSimpleKeys, TICKER_SIMPLE_KEYS } from './simple-keys.js';

// The price fields every recorded frame carries are required. The others (last side, accumulated ask/bid volume,
// 52-week high/low, market state, suspension, warning, delisting date) are optional: Upbit's abridged SIMPLE docs
// example and older frames lack some, and a ticker without them still has a price. Present values are validated like
// the rest; only `delisting_date` may be null (every recorded frame has null: "none"), and its null is kept.
const tickerFrameSchema = v.object({
  type: v.literal('ticker'),
  code: upbitMarketCode,
  opening_price: upbitNonNegative,
  high_price: upbitNonNegative,
  low_price: upbitNonNegative,
  trade_price: upbitNonNegative,
  prev_closing_price: upbitNonNegative,
  change: upbitChange,
  signed_change_price: upbitNumber,
  signed_change_rate: upbitNumber,
  trade_volume: upbitNonNegative,
  acc_trade_volume: upbitNonNegative,
  acc_trade_volume_24h: upbitNonNegative,
  acc_trade_price: upbitNonNegative,
  acc_trade_price_24h: upbitNonNegative,
  trade_timestamp: upbitEpochMs,
  ask_bid: v.optional(upbitAskBid),
  acc_ask_volume: v.optional(upbitNonNegative),
  acc_bid_volume: v.optional(upbitNonNegative),
  highest_52_week_price: v.optional(upbitNonNegative),
  highest_52_week_date: v.optional(upbitDashedDate),
  lowest_52_week_price: v.optional(upbitNonNegative),
  lowest_52_week_date: v.optional(upbitDashedDate),
  market_state: v.optional(upbitLabel),
  is_trading_suspended: v.optional(v.boolean()),
  market_warning: v.optional(upbitLabel),
  delisting_date: v.optional(v.nullable(upbitLabel)),
  timestamp: upbitEpochMs,
  stream_type: streamTypeSchema,
});

/** A ticker frame (DEFAULT or SIMPLE) to the same `ChannelTicker` the REST adapter produces, plus the WS-only fields. */
export function mapTickerFrame(
  raw: Readonly<Record<string, unknown>>,
  simple: boolean,
  receivedAt: number,
  receivedAtMonotonic: number,
): MapResult<ChannelTicker> {
  const input = simple ? expandSimpleKeys(raw, TICKER_SIMPLE_KEYS) : raw;
  const checked = validateFrame('ticker', tickerFrameSchema, input, simple, [TICKER_SIMPLE_KEYS]);
  if (!checked.ok) return checked;
  const frame = checked.value;
  return {
    ok: true,
    value: {
      symbol: frame.code,
      price: frame.trade_price,
      open: frame.opening_price,
      high: frame.high_price,
      low: frame.low_price,
      prevClose: frame.prev_closing_price,
      change: frame.change,
      changePrice: frame.signed_change_price,
      changeRate: frame.signed_change_rate,
      lastTradeVolume: frame.trade_volume,
      dayVolume: frame.acc_trade_volume,
      dayTurnover: frame.acc_trade_price,
      volume24h: frame.acc_trade_volume_24h,
      turnover24h: frame.acc_trade_price_24h,
      tradeTimestamp: frame.trade_timestamp,
      high52w: frame.highest_52_week_price,
      high52wDate: frame.highest_52_week_date,
      low52w: frame.lowest_52_week_price,
      low52wDate: frame.lowest_52_week_date,
      askBid: frame.ask_bid,
      accAskVolume: frame.acc_ask_volume,
      accBidVolume: frame.acc_bid_volume,
      marketState: frame.market_state,
      tradingSuspended: frame.is_trading_suspended,
      marketWarning: frame.market_warning,
      delistingDate: frame.delisting_date,
      exchangeTimestamp: frame.timestamp,
      receivedAt,
      receivedAtMonotonic,
      latencyMs: undefined, // the REST ticker's shape (see ticker-reader.ts)
      source: 'websocket',
      streamType: frame.stream_type,
    },
  };
}
