import type { MarketCode, OrderBook } from '@marketdata/domain';
import * as v from 'valibot';
import { upbitEpochMs, upbitMarketCode, upbitNonNegative } from '../../shared/schemas.js';
import { streamTypeSchema } from './common-schemas.js';
import { type MapResult, validateFrame } from './frame-validation.js';
import { expandSimpleKeys, ORDERBOOK_SIMPLE_KEYS, ORDERBOOK_UNIT_SIMPLE_KEYS } from './simple-keys.js';

const unitSchema = v.object({
  ask_price: upbitNonNegative,
  bid_price: upbitNonNegative,
  ask_size: upbitNonNegative,
  bid_size: upbitNonNegative,
});

// A unit-count suffix (`KRW-BTC.15`) is how orderbook codes are requested. Whether Upbit echoes the suffix in
// the frame's `code` is unknown, so it is accepted and removed here.
const UNIT_SUFFIX = /\.\d+$/;

const orderBookFrameSchema = v.object({
  type: v.literal('orderbook'),
  code: v.pipe(
    v.unknown(),
    v.transform((code) => (typeof code === 'string' ? code.replace(UNIT_SUFFIX, '') : code)),
    upbitMarketCode,
  ),
  total_ask_size: upbitNonNegative,
  total_bid_size: upbitNonNegative,
  orderbook_units: v.array(unitSchema),
  timestamp: upbitEpochMs,
  // Price grouping; frames from before grouping existed (2019) have no `level`, which means none (0).
  level: v.optional(upbitNonNegative, 0),
  stream_type: streamTypeSchema,
});

function expandSimple(raw: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out = expandSimpleKeys(raw, ORDERBOOK_SIMPLE_KEYS);
  const units = out.orderbook_units;
  if (Array.isArray(units)) {
    out.orderbook_units = units.map((unit: unknown) =>
      typeof unit === 'object' && unit !== null
        ? expandSimpleKeys(unit as Record<string, unknown>, ORDERBOOK_UNIT_SIMPLE_KEYS)
        : unit,
    );
  }
  return out;
}

/** An orderbook frame (DEFAULT or SIMPLE; always a full book, never a diff) to the domain `OrderBook`. */
export function mapOrderBookFrame(
  raw: Readonly<Record<string, unknown>>,
  simple: boolean,
  receivedAt: number,
  receivedAtMonotonic: number,
): MapResult<OrderBook> {
  const input = simple ? expandSimple(raw) : raw;
  const tables = [ORDERBOOK_SIMPLE_KEYS, ORDERBOOK_UNIT_SIMPLE_KEYS];
  const checked = validateFrame('orderbook', orderBookFrameSchema, input, simple, tables);
  if (!checked.ok) return checked;
  const frame = checked.value;
  return {
    ok: true,
    value: {
      symbol: frame.code as MarketCode,
      levels: frame.orderbook_units.map((unit) => ({
        askPrice: unit.ask_price,
        askSize: unit.ask_size,
        bidPrice: unit.bid_price,
        bidSize: unit.bid_size,
      })),
      totalAskSize: frame.total_ask_size,
      totalBidSize: frame.total_bid_size,
      grouping: frame.level,
      exchangeTimestamp: frame.timestamp,
      receivedAt,
      receivedAtMonotonic,
      source: 'websocket',
      streamType: frame.stream_type,
    },
  };
}
