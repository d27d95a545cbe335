import type { ChannelTicker } from '@marketdata/domain';
import * as v from 'valibot';
import { upbitChange, upbitEpochMs, upbitMarketCode, upbitNonNegative, upbitNumber } from '../../shared/schemas.js';
import { streamTypeSchema } from './common-schemas.js';
import { type MapResult, validateFrame } from './frame-validation.js';
import { expandSimpleKeys, TICKER_SIMPLE_KEYS } from './simple-keys.js';

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
  timestamp: upbitEpochMs,
  stream_type: streamTypeSchema,
});

/** A ticker frame (DEFAULT or SIMPLE) to the same `ChannelTicker` the REST adapter produces. */
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
      exchangeTimestamp: frame.timestamp,
      receivedAt,
      receivedAtMonotonic,
      source: 'websocket',
      streamType: frame.stream_type,
    },
  };
}
