import type { Trade } from '@marketdata/domain';
import type { UpbitTrade } from '../schemas/trade-schema.js';
import type { RestTiming } from './rest-provenance.js';

/**
 * `/v1/trades/ticks` entry → `Trade`. REST trades carry one time, `timestamp` (the trade's), used for both
 * `exchangeTimestamp` and `tradeTimestamp`. `change_price` is signed on REST trades and kept as sent. They carry no
 * `change` direction, so none is given (deriving one from the sign would be ours, not Upbit's).
 */
export function mapTrade(raw: UpbitTrade, timing: RestTiming): Trade {
  return {
    symbol: raw.market,
    price: raw.trade_price,
    volume: raw.trade_volume,
    side: raw.ask_bid,
    sequentialId: raw.sequential_id,
    tradeTimestamp: raw.timestamp,
    prevClose: raw.prev_closing_price,
    changePrice: raw.change_price,
    exchangeTimestamp: raw.timestamp,
    receivedAt: timing.receivedAt,
    receivedAtMonotonic: timing.receivedAtMonotonic,
    latencyMs: timing.latencyMs,
    source: 'rest',
  };
}
