import type { MarketState } from '../model/market-state.js';
import { CAUTION_FLAGS, type MarketStatus } from '../model/market-status.js';
import type { MarketInfo, TradeRecord } from '../model/market-types.js';
import { type BookLevels, totalOf } from '../model/order-book.js';
import { supportedLevels, tickSize } from '../model/tick-size.js';
import { bigDecimalText, fixed8OrZero, plainText, scaledText } from './number-text.js';
import {
  colonTimeUtc,
  compactDateKst,
  compactDateUtc,
  compactTimeKst,
  compactTimeUtc,
  dashedDateUtc,
} from './time-text.js';

/**
 * REST payloads, written as JSON text field by field: key order and number spelling follow the recorded real
 * responses (fixtures rest-*.json), which JSON.stringify could not reproduce (BigDecimal trailing zeros,
 * sequential_id beyond 2^53).
 */

/** Change figures shared by REST and WebSocket tickers: unsigned, signed, and the rate with 10 decimals. */
export interface ChangeTexts {
  readonly change: string;
  readonly changePrice: string;
  readonly signedChangePrice: string;
  readonly changeRate: string;
  readonly signedChangeRate: string;
}

export function changeTexts(price: number, prevClose: number): ChangeTexts {
  const diff = price - prevClose;
  if (diff === 0 || prevClose === 0) {
    return { change: 'EVEN', changePrice: '0', signedChangePrice: '0', changeRate: '0', signedChangeRate: '0' };
  }
  const rate = Math.abs(diff) / prevClose;
  const abs = scaledText(Math.abs(diff), 8);
  const rateText = scaledText(rate, 10);
  const negative = diff < 0;
  return {
    change: negative ? 'FALL' : 'RISE',
    changePrice: abs,
    signedChangePrice: negative ? `-${abs}` : abs,
    changeRate: rateText,
    signedChangeRate: negative ? `-${rateText}` : rateText,
  };
}

/** `acc_trade_price`: Upbit writes today's turnover with 16 decimals. */
export function accTradePriceText(value: number): string {
  return value === 0 ? '0E-16' : scaledText(value, 16);
}

export function restTicker(m: MarketState): string {
  const last = m.lastTrade;
  const tradeTs = last?.tradeTimestamp ?? m.tickerTimestamp;
  const c = changeTexts(m.price, m.prevClose);
  return (
    `{"market":"${m.info.code}","trade_date":"${compactDateUtc(tradeTs)}","trade_time":"${compactTimeUtc(tradeTs)}"` +
    `,"trade_date_kst":"${compactDateKst(tradeTs)}","trade_time_kst":"${compactTimeKst(tradeTs)}"` +
    `,"trade_timestamp":${tradeTs},"opening_price":${scaledText(m.open, 8)},"high_price":${scaledText(m.high, 8)}` +
    `,"low_price":${scaledText(m.low, 8)},"trade_price":${scaledText(m.price, 8)}` +
    `,"prev_closing_price":${scaledText(m.prevClose, 8)},"change":"${c.change}","change_price":${c.changePrice}` +
    `,"change_rate":${c.changeRate},"signed_change_price":${c.signedChangePrice}` +
    `,"signed_change_rate":${c.signedChangeRate},"trade_volume":${bigDecimalText(last?.volume ?? 0, 8)}` +
    `,"acc_trade_price":${accTradePriceText(m.accTurnover)},"acc_trade_price_24h":${bigDecimalText(m.turnover24h, 8)}` +
    `,"acc_trade_volume":${bigDecimalText(m.accVolume, 8)},"acc_trade_volume_24h":${bigDecimalText(m.volume24h, 8)}` +
    `,"highest_52_week_price":${scaledText(m.high52, 8)},"highest_52_week_date":"${m.high52Date}"` +
    `,"lowest_52_week_price":${scaledText(m.low52, 8)},"lowest_52_week_date":"${m.low52Date}"` +
    `,"timestamp":${m.tickerTimestamp}}`
  );
}

export function restTrade(code: string, t: TradeRecord): string {
  return (
    `{"market":"${code}","trade_date_utc":"${dashedDateUtc(t.tradeTimestamp)}"` +
    `,"trade_time_utc":"${colonTimeUtc(t.tradeTimestamp)}","timestamp":${t.tradeTimestamp}` +
    `,"trade_price":${scaledText(t.price, 8)},"trade_volume":${scaledText(t.volume, 8)}` +
    `,"prev_closing_price":${scaledText(t.prevClose, 8)},"change_price":${fixed8OrZero(t.signedChangePrice)}` +
    `,"ask_bid":"${t.side}","sequential_id":${t.sequentialId}}`
  );
}

function zeroOr(value: number, text: (v: number) => string): string {
  return value === 0 ? '0' : text(value);
}

/** REST orderbook: plain numbers, and each unit written bid first (as the REST captures show). */
export function restOrderbook(m: MarketState, book: BookLevels, units: number): string {
  let out =
    `{"market":"${m.info.code}","timestamp":${m.bookTimestamp}` +
    `,"total_ask_size":${plainText(totalOf(book.askSizes, units))},"total_bid_size":${plainText(totalOf(book.bidSizes, units))}` +
    ',"orderbook_units":[';
  for (let i = 0; i < units; i++) {
    if (i > 0) out += ',';
    out +=
      `{"bid_price":${zeroOr(book.bidPrices[i] ?? 0, plainText)},"bid_size":${zeroOr(book.bidSizes[i] ?? 0, plainText)}` +
      `,"ask_price":${zeroOr(book.askPrices[i] ?? 0, plainText)},"ask_size":${zeroOr(book.askSizes[i] ?? 0, plainText)}}`;
  }
  return `${out}],"level":${plainText(book.level)}}`;
}

export function restInstrument(m: MarketState): string {
  const levels = supportedLevels(m.info.code, m.price)
    .map((level) => `"${plainText(level)}"`)
    .join(',');
  return (
    `{"market":"${m.info.code}","quote_currency":"${m.info.quote}"` +
    `,"tick_size":"${plainText(tickSize(m.info.code, m.price))}","supported_levels":[${levels}]}`
  );
}

/** A `/v1/market/all` row; with `details`, the `market_event` flags as the 2026 capture orders them. */
export function restMarket(info: MarketInfo, status: MarketStatus, details: boolean): string {
  const head =
    `{"market":"${info.code}","korean_name":${JSON.stringify(info.koreanName)}` +
    `,"english_name":${JSON.stringify(info.englishName)}`;
  if (!details) return `${head}}`;
  const caution = CAUTION_FLAGS.map((flag) => `"${flag}":${status.cautions[flag]}`).join(',');
  return `${head},"market_event":{"warning":${status.warning},"caution":{${caution}}}}`;
}

export function jsonArray(items: readonly string[]): string {
  return `[${items.join(',')}]`;
}
