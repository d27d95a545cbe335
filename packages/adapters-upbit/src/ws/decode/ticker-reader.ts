import type { ChannelTicker } from '@marketdata/domain';
import { isDashedDateText, isUpbitAskBid, isUpbitChange, isUpbitLabel } from '../../shared/upbit-fields.js';
import { decodeUpbitEpochMs, decodeUpbitNonNegative, decodeUpbitNumber } from '../../shared/upbit-number.js';
import { isStreamType } from './common-schemas.js';
import { isKnownMarketCode } from './known-codes.js';
import type { TickerWireNames } from './wire-names.js';

type Frame = Readonly<Record<string, unknown>>;

const REFUSED = Symbol('refused');

function optionalNonNegative(value: unknown): number | undefined | typeof REFUSED {
  if (value === undefined) return undefined;
  return decodeUpbitNonNegative(value) ?? REFUSED;
}

function optionalText(value: unknown, check: (value: unknown) => value is string): string | undefined | typeof REFUSED {
  if (value === undefined) return undefined;
  return check(value) ? value : REFUSED;
}

/**
 * Reads, checks and maps a ticker frame (DEFAULT or SIMPLE, by `names`) in one pass, straight into the
 * `ChannelTicker` that `mapTickerFrame` would give: the same fields, the same rules (the schema in
 * `ticker-mapper.ts`), nothing built in between. Undefined when any field is refused; the caller then asks
 * `mapTickerFrame` to say why, so a refusal reads the same on both paths.
 */
export function readTickerFrame(
  raw: Frame,
  names: TickerWireNames,
  receivedAt: number,
  receivedAtMonotonic: number,
): ChannelTicker | undefined {
  const symbol = raw[names.code];
  if (!isKnownMarketCode(symbol)) return undefined;
  const open = decodeUpbitNonNegative(raw[names.opening_price]);
  const high = decodeUpbitNonNegative(raw[names.high_price]);
  const low = decodeUpbitNonNegative(raw[names.low_price]);
  const price = decodeUpbitNonNegative(raw[names.trade_price]);
  const prevClose = decodeUpbitNonNegative(raw[names.prev_closing_price]);
  const change = raw[names.change];
  const changePrice = decodeUpbitNumber(raw[names.signed_change_price]);
  const changeRate = decodeUpbitNumber(raw[names.signed_change_rate]);
  const lastTradeVolume = decodeUpbitNonNegative(raw[names.trade_volume]);
  const dayVolume = decodeUpbitNonNegative(raw[names.acc_trade_volume]);
  const volume24h = decodeUpbitNonNegative(raw[names.acc_trade_volume_24h]);
  const dayTurnover = decodeUpbitNonNegative(raw[names.acc_trade_price]);
  const turnover24h = decodeUpbitNonNegative(raw[names.acc_trade_price_24h]);
  const tradeTimestamp = decodeUpbitEpochMs(raw[names.trade_timestamp]);
  const exchangeTimestamp = decodeUpbitEpochMs(raw[names.timestamp]);
  if (
    open === undefined ||
    high === undefined ||
    low === undefined ||
    price === undefined ||
    prevClose === undefined ||
    !isUpbitChange(change) ||
    changePrice === undefined ||
    changeRate === undefined ||
    lastTradeVolume === undefined ||
    dayVolume === undefined ||
    volume24h === undefined ||
    dayTurnover === undefined ||
    turnover24h === undefined ||
    tradeTimestamp === undefined ||
    exchangeTimestamp === undefined
  ) {
    return undefined;
  }
  const askBid = raw[names.ask_bid];
  const accAskVolume = optionalNonNegative(raw[names.acc_ask_volume]);
  const accBidVolume = optionalNonNegative(raw[names.acc_bid_volume]);
  const high52w = optionalNonNegative(raw[names.highest_52_week_price]);
  const high52wDate = optionalText(raw[names.highest_52_week_date], isDashedDateText);
  const low52w = optionalNonNegative(raw[names.lowest_52_week_price]);
  const low52wDate = optionalText(raw[names.lowest_52_week_date], isDashedDateText);
  const marketState = optionalText(raw[names.market_state], isUpbitLabel);
  const tradingSuspended = raw[names.is_trading_suspended];
  const marketWarning = optionalText(raw[names.market_warning], isUpbitLabel);
  const delisting = raw[names.delisting_date];
  const streamType = raw[names.stream_type];
  if (
    (askBid !== undefined && !isUpbitAskBid(askBid)) ||
    accAskVolume === REFUSED ||
    accBidVolume === REFUSED ||
    high52w === REFUSED ||
    high52wDate === REFUSED ||
    low52w === REFUSED ||
    low52wDate === REFUSED ||
    marketState === REFUSED ||
    (tradingSuspended !== undefined && typeof tradingSuspended !== 'boolean') ||
    marketWarning === REFUSED ||
    (delisting !== undefined && delisting !== null && !isUpbitLabel(delisting)) ||
    (streamType !== undefined && !isStreamType(streamType))
  ) {
    return undefined;
  }
  return {
    symbol,
    price,
    open,
    high,
    low,
    prevClose,
    change,
    changePrice,
    changeRate,
    lastTradeVolume,
    dayVolume,
    dayTurnover,
    volume24h,
    turnover24h,
    tradeTimestamp,
    high52w,
    high52wDate,
    low52w,
    low52wDate,
    askBid,
    accAskVolume,
    accBidVolume,
    marketState,
    tradingSuspended,
    marketWarning,
    delistingDate: delisting,
    exchangeTimestamp,
    receivedAt,
    receivedAtMonotonic,
    // The REST ticker's fields in the same order (one object shape for both channels keeps readers monomorphic).
    latencyMs: undefined,
    source: 'websocket',
    streamType,
  };
}
