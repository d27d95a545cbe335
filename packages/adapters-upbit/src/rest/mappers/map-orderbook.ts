import type { OrderBook } from '@marketdata/domain';
import type { UpbitOrderBook } from '../schemas/orderbook-schema.js';
import type { RestTiming } from './rest-provenance.js';

/** `/v1/orderbook` entry → `OrderBook`; levels stay in Upbit's order (best first). */
export function mapOrderBook(raw: UpbitOrderBook, timing: RestTiming): OrderBook {
  return {
    symbol: raw.market,
    levels: raw.orderbook_units.map((unit) => ({
      askPrice: unit.ask_price,
      askSize: unit.ask_size,
      bidPrice: unit.bid_price,
      bidSize: unit.bid_size,
    })),
    totalAskSize: raw.total_ask_size,
    totalBidSize: raw.total_bid_size,
    grouping: raw.level,
    exchangeTimestamp: raw.timestamp,
    receivedAt: timing.receivedAt,
    receivedAtMonotonic: timing.receivedAtMonotonic,
    latencyMs: timing.latencyMs,
    source: 'rest',
  };
}
