import type { BestQuote, Trade } from '@marketdata/domain';
import * as v from 'valibot';
import {
  upbitAskBid,
  upbitChange,
  upbitEpochMs,
  upbitExactInteger,
  upbitMarketCode,
  upbitNonNegative,
} from '../../shared/schemas.js';
import { streamTypeSchema } from './common-schemas.js';
import { type MapResult, validateFrame } from './frame-validation.js';
import { expandSimpleKeys, TRADE_SIMPLE_KEYS } from './simple-keys.js';

const tradeFrameSchema = v.object({
  type: v.literal('trade'),
  code: upbitMarketCode,
  trade_price: upbitNonNegative,
  trade_volume: upbitNonNegative,
  ask_bid: upbitAskBid,
  prev_closing_price: upbitNonNegative,
  change: upbitChange,
  change_price: upbitNonNegative,
  trade_timestamp: upbitEpochMs,
  timestamp: upbitEpochMs,
  // Kept as exact decimal text: ~1.7e16 exceeds 2^53 (the frame must be parsed with parseJsonExact).
  sequential_id: upbitExactInteger,
  // Newer frames only (2024 onwards); older captures have none of them.
  best_ask_price: v.optional(upbitNonNegative),
  best_ask_size: v.optional(upbitNonNegative),
  best_bid_price: v.optional(upbitNonNegative),
  best_bid_size: v.optional(upbitNonNegative),
  stream_type: streamTypeSchema,
});

type TradeFrame = v.InferOutput<typeof tradeFrameSchema>;

function bestQuoteOf(frame: TradeFrame): BestQuote | undefined {
  const { best_ask_price, best_ask_size, best_bid_price, best_bid_size } = frame;
  if (best_ask_price === undefined || best_ask_size === undefined) return undefined;
  if (best_bid_price === undefined || best_bid_size === undefined) return undefined;
  return { askPrice: best_ask_price, askSize: best_ask_size, bidPrice: best_bid_price, bidSize: best_bid_size };
}

/** A trade frame (DEFAULT or SIMPLE) to the same `Trade` the REST adapter produces, `sequentialId` exact. */
export function mapTradeFrame(
  raw: Readonly<Record<string, unknown>>,
  simple: boolean,
  receivedAt: number,
  receivedAtMonotonic: number,
): MapResult<Trade> {
  const input = simple ? expandSimpleKeys(raw, TRADE_SIMPLE_KEYS) : raw;
  const checked = validateFrame('trade', tradeFrameSchema, input, simple, [TRADE_SIMPLE_KEYS]);
  if (!checked.ok) return checked;
  const frame = checked.value;
  return {
    ok: true,
    value: {
      symbol: frame.code,
      price: frame.trade_price,
      volume: frame.trade_volume,
      side: frame.ask_bid,
      sequentialId: frame.sequential_id,
      tradeTimestamp: frame.trade_timestamp,
      prevClose: frame.prev_closing_price,
      // Upbit sends it unsigned on WebSocket trades with the direction in `change`; the domain's is signed (as
      // REST trades send it), so a FALL makes it negative.
      changePrice: frame.change === 'FALL' ? -frame.change_price : frame.change_price,
      change: frame.change,
      best: bestQuoteOf(frame),
      exchangeTimestamp: frame.timestamp,
      receivedAt,
      receivedAtMonotonic,
      source: 'websocket',
      streamType: frame.stream_type,
    },
  };
}
