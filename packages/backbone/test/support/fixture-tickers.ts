import type { ChannelKind, ChannelTicker, MarketCode, PriceChange } from '@marketdata/domain';
import { parseMarketCode } from '@marketdata/domain';
import { fixtureJson } from '@marketdata/fixtures';

/** The fields of Upbit's REST ticker this test mapping reads (see API.md). */
interface RestTickerPayload {
  readonly market: string;
  readonly trade_timestamp: number;
  readonly opening_price: number;
  readonly high_price: number;
  readonly low_price: number;
  readonly trade_price: number;
  readonly prev_closing_price: number;
  readonly change: PriceChange;
  readonly signed_change_price: number;
  readonly signed_change_rate: number;
  readonly trade_volume: number;
  readonly acc_trade_price: number;
  readonly acc_trade_price_24h: number;
  readonly acc_trade_volume: number;
  readonly acc_trade_volume_24h: number;
  readonly timestamp: number;
}

/**
 * A minimal test-side mapping of recorded REST ticker payloads to domain tickers (the adapter's own mapper is
 * tested in adapters-upbit; the backbone only needs realistic values).
 */
function toChannelTicker(payload: RestTickerPayload, source: ChannelKind): ChannelTicker {
  return {
    symbol: parseMarketCode(payload.market),
    price: payload.trade_price,
    open: payload.opening_price,
    high: payload.high_price,
    low: payload.low_price,
    prevClose: payload.prev_closing_price,
    change: payload.change,
    changePrice: payload.signed_change_price,
    changeRate: payload.signed_change_rate,
    lastTradeVolume: payload.trade_volume,
    dayVolume: payload.acc_trade_volume,
    dayTurnover: payload.acc_trade_price,
    volume24h: payload.acc_trade_volume_24h,
    turnover24h: payload.acc_trade_price_24h,
    tradeTimestamp: payload.trade_timestamp,
    exchangeTimestamp: payload.timestamp,
    receivedAt: payload.timestamp,
    receivedAtMonotonic: 0,
    source,
  };
}

/** Every KRW market of the recorded `/v1/ticker/all?quote_currencies=KRW` answer (244 markets, 2026-03-11). */
export function recordedKrwTickers(): readonly ChannelTicker[] {
  const payloads = fixtureJson('rest-ticker-all-quote-krw.json') as readonly RestTickerPayload[];
  return payloads.map((payload) => toChannelTicker(payload, 'rest'));
}

/** The latest exchange time in the recorded KRW answer: tests start their fake clock just after it. */
export const RECORDED_AT = Math.max(...recordedKrwTickers().map((tick) => tick.exchangeTimestamp));

export function recordedTicker(symbol: string): ChannelTicker {
  const tick = recordedKrwTickers().find((candidate) => candidate.symbol === symbol);
  if (tick === undefined) throw new Error(`No recorded ticker for ${symbol}`);
  return tick;
}

/** When a record was received: wall time and the monotonic time the adapter stamps (a `Clock` will do). */
export interface Receipt {
  now(): number;
  monotonic(): number;
}

/** A fixed receipt instant. */
export function receipt(wall: number, monotonic: number): Receipt {
  return { now: () => wall, monotonic: () => monotonic };
}

/** The recorded ticker of `symbol`, as a channel would deliver it, received at `at` (and with changes). */
export function tickAt(
  symbol: string,
  source: ChannelKind,
  at: Receipt,
  changes: Partial<Omit<ChannelTicker, 'symbol' | 'source'>> = {},
): ChannelTicker {
  return { ...recordedTicker(symbol), source, receivedAt: at.now(), receivedAtMonotonic: at.monotonic(), ...changes };
}

export function code(symbol: string): MarketCode {
  return parseMarketCode(symbol);
}
