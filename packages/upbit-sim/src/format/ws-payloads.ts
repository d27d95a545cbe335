import type { MarketState } from '../model/market-state.js';
import type { TradeRecord } from '../model/market-types.js';
import { type BookLevels, totalOf } from '../model/order-book.js';
import { bigDecimalText, fixed8OrZero, javaDoubleText, plainText, scaledText, simpleText } from './number-text.js';
import { accTradePriceText, changeTexts } from './rest-payloads.js';
import { colonTimeUtc, compactDateUtc, compactTimeUtc, dashedDateUtc } from './time-text.js';

/**
 * WebSocket data frames. DEFAULT key order and spelling follow ws-ticker-default.json, ws-trade-json-list-docs.json
 * and ws-orderbook-default-snapshot.json; SIMPLE follows the abbreviation table (SIMPLE-FORMAT.md) in the same
 * order, with trade `td` but ticker `tdt`, and the SIMPLE spelling of the live frames (plain prices, Java-double
 * sizes in the orderbook).
 */
export type StreamType = 'SNAPSHOT' | 'REALTIME';

/** Upbit's market_warning is `NONE` or `CAUTION` (the older flag, before market_event). */
function marketWarning(m: MarketState): string {
  return m.status.warning ? 'CAUTION' : 'NONE';
}

function delistingDate(m: MarketState): string {
  const date = m.status.delistingDate;
  return date === null ? 'null' : `"${date}"`;
}

export function wsTickerDefault(m: MarketState, stream: StreamType): string {
  const last = m.lastTrade;
  const tradeTs = last?.tradeTimestamp ?? m.tickerTimestamp;
  const c = changeTexts(m.price, m.prevClose);
  return (
    `{"type":"ticker","code":"${m.info.code}","opening_price":${scaledText(m.open, 8)}` +
    `,"high_price":${scaledText(m.high, 8)},"low_price":${scaledText(m.low, 8)},"trade_price":${scaledText(m.price, 8)}` +
    `,"prev_closing_price":${scaledText(m.prevClose, 8)},"acc_trade_price":${accTradePriceText(m.accTurnover)}` +
    `,"change":"${c.change}","change_price":${c.changePrice},"signed_change_price":${c.signedChangePrice}` +
    `,"change_rate":${c.changeRate},"signed_change_rate":${c.signedChangeRate},"ask_bid":"${last?.side ?? 'BID'}"` +
    `,"trade_volume":${bigDecimalText(last?.volume ?? 0, 8)},"acc_trade_volume":${bigDecimalText(m.accVolume, 8)}` +
    `,"trade_date":"${compactDateUtc(tradeTs)}","trade_time":"${compactTimeUtc(tradeTs)}","trade_timestamp":${tradeTs}` +
    `,"acc_ask_volume":${bigDecimalText(m.accAskVolume, 8)},"acc_bid_volume":${bigDecimalText(m.accBidVolume, 8)}` +
    `,"highest_52_week_price":${scaledText(m.high52, 8)},"highest_52_week_date":"${m.high52Date}"` +
    `,"lowest_52_week_price":${scaledText(m.low52, 8)},"lowest_52_week_date":"${m.low52Date}"` +
    `,"market_state":"${m.status.marketState}","is_trading_suspended":${m.status.tradingSuspended}` +
    `,"delisting_date":${delistingDate(m)},"market_warning":"${marketWarning(m)}"` +
    `,"timestamp":${m.tickerTimestamp},"acc_trade_price_24h":${bigDecimalText(m.turnover24h, 8)}` +
    `,"acc_trade_volume_24h":${bigDecimalText(m.volume24h, 8)},"stream_type":"${stream}"}`
  );
}

function simpleChange(value: number): string {
  return value === 0 ? '0.0' : simpleText(value);
}

export function wsTickerSimple(m: MarketState, stream: StreamType): string {
  const last = m.lastTrade;
  const tradeTs = last?.tradeTimestamp ?? m.tickerTimestamp;
  const diff = m.price - m.prevClose;
  const c = changeTexts(m.price, m.prevClose);
  const rate = diff === 0 || m.prevClose === 0 ? 0 : Number((Math.abs(diff) / m.prevClose).toFixed(10));
  const rateText = rate === 0 ? '0' : plainText(rate, 10);
  const signedRate = diff < 0 && rate !== 0 ? `-${rateText}` : rateText;
  const cp = simpleChange(Math.abs(diff));
  return (
    `{"ty":"ticker","cd":"${m.info.code}","op":${simpleText(m.open)},"hp":${simpleText(m.high)}` +
    `,"lp":${simpleText(m.low)},"tp":${simpleText(m.price)},"pcp":${simpleText(m.prevClose)}` +
    `,"atp":${simpleText(m.accTurnover)},"c":"${c.change}","cp":${cp},"scp":${diff < 0 ? `-${cp}` : cp}` +
    `,"cr":${rateText},"scr":${signedRate},"ab":"${last?.side ?? 'BID'}","tv":${simpleText(last?.volume ?? 0)}` +
    `,"atv":${simpleText(m.accVolume)},"tdt":"${compactDateUtc(tradeTs)}","ttm":"${compactTimeUtc(tradeTs)}"` +
    `,"ttms":${tradeTs},"aav":${simpleText(m.accAskVolume)},"abv":${simpleText(m.accBidVolume)}` +
    `,"h52wp":${simpleText(m.high52)},"h52wdt":"${m.high52Date}","l52wp":${simpleText(m.low52)}` +
    `,"l52wdt":"${m.low52Date}","ms":"${m.status.marketState}","its":${m.status.tradingSuspended}` +
    `,"dd":${delistingDate(m)},"mw":"${marketWarning(m)}"` +
    `,"tms":${m.tickerTimestamp},"atp24h":${simpleText(m.turnover24h)},"atv24h":${simpleText(m.volume24h)}` +
    `,"st":"${stream}"}`
  );
}

export function wsTradeDefault(code: string, t: TradeRecord, stream: StreamType): string {
  return (
    `{"type":"trade","code":"${code}","timestamp":${t.timestamp},"trade_date":"${dashedDateUtc(t.tradeTimestamp)}"` +
    `,"trade_time":"${colonTimeUtc(t.tradeTimestamp)}","trade_timestamp":${t.tradeTimestamp}` +
    `,"trade_price":${scaledText(t.price, 8)},"trade_volume":${scaledText(t.volume, 8)},"ask_bid":"${t.side}"` +
    `,"prev_closing_price":${scaledText(t.prevClose, 8)},"change":"${t.change}","change_price":${fixed8OrZero(t.changePrice)}` +
    `,"sequential_id":${t.sequentialId},"best_ask_price":${plainText(t.bestAskPrice)}` +
    `,"best_ask_size":${scaledText(t.bestAskSize, 8)},"best_bid_price":${plainText(t.bestBidPrice)}` +
    `,"best_bid_size":${scaledText(t.bestBidSize, 8)},"stream_type":"${stream}"}`
  );
}

export function wsTradeSimple(code: string, t: TradeRecord, stream: StreamType): string {
  return (
    `{"ty":"trade","cd":"${code}","tms":${t.timestamp},"td":"${dashedDateUtc(t.tradeTimestamp)}"` +
    `,"ttm":"${colonTimeUtc(t.tradeTimestamp)}","ttms":${t.tradeTimestamp},"tp":${simpleText(t.price)}` +
    `,"tv":${simpleText(t.volume)},"ab":"${t.side}","pcp":${simpleText(t.prevClose)},"c":"${t.change}"` +
    `,"cp":${simpleChange(t.changePrice)},"sid":${t.sequentialId},"bap":${plainText(t.bestAskPrice)}` +
    `,"bas":${plainText(t.bestAskSize)},"bbp":${plainText(t.bestBidPrice)},"bbs":${plainText(t.bestBidSize)}` +
    `,"st":"${stream}"}`
  );
}

function zeroOr(value: number, text: (v: number) => string): string {
  return value === 0 ? '0' : text(value);
}

function scaled8(value: number): string {
  return scaledText(value, 8);
}

/** DEFAULT orderbook: prices as Java doubles (`1.16539E8`), sizes as scale-8 BigDecimals (`0.00077720`). */
export function wsOrderbookDefault(m: MarketState, book: BookLevels, units: number, stream: StreamType): string {
  let out =
    `{"type":"orderbook","code":"${m.info.code}","timestamp":${m.bookTimestamp}` +
    `,"total_ask_size":${scaledText(totalOf(book.askSizes, units), 8)},"total_bid_size":${scaledText(totalOf(book.bidSizes, units), 8)}` +
    ',"orderbook_units":[';
  for (let i = 0; i < units; i++) {
    if (i > 0) out += ',';
    out +=
      `{"ask_price":${zeroOr(book.askPrices[i] ?? 0, javaDoubleText)},"bid_price":${zeroOr(book.bidPrices[i] ?? 0, javaDoubleText)}` +
      `,"ask_size":${zeroOr(book.askSizes[i] ?? 0, scaled8)},"bid_size":${zeroOr(book.bidSizes[i] ?? 0, scaled8)}}`;
  }
  return `${out}],"stream_type":"${stream}","level":${plainText(book.level)}}`;
}

/** SIMPLE orderbook: plain prices (`116606000`), sizes and totals as Java doubles (`7.9276E-4`). */
export function wsOrderbookSimple(m: MarketState, book: BookLevels, units: number, stream: StreamType): string {
  let out =
    `{"ty":"orderbook","cd":"${m.info.code}","tms":${m.bookTimestamp}` +
    `,"tas":${javaDoubleText(totalOf(book.askSizes, units))},"tbs":${javaDoubleText(totalOf(book.bidSizes, units))},"obu":[`;
  for (let i = 0; i < units; i++) {
    if (i > 0) out += ',';
    out +=
      `{"ap":${zeroOr(book.askPrices[i] ?? 0, plainText)},"bp":${zeroOr(book.bidPrices[i] ?? 0, plainText)}` +
      `,"as":${zeroOr(book.askSizes[i] ?? 0, javaDoubleText)},"bs":${zeroOr(book.bidSizes[i] ?? 0, javaDoubleText)}}`;
  }
  return `${out}],"st":"${stream}","lv":${plainText(book.level)}}`;
}
