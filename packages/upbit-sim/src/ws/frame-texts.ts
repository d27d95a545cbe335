import { wsCandleDefault, wsCandleSimple } from '../format/candle-payloads.js';
import {
  type StreamType,
  wsOrderbookDefault,
  wsOrderbookSimple,
  wsTickerDefault,
  wsTickerSimple,
  wsTradeDefault,
  wsTradeSimple,
} from '../format/ws-payloads.js';
import type { CandleRow } from '../model/candle-history.js';
import type { MarketState } from '../model/market-state.js';
import type { TradeRecord } from '../model/market-types.js';
import type { BookLevels } from '../model/order-book.js';
import type { WsFormat } from './request-parser.js';

/** Formats as indexes (frame caches are arrays indexed by them): 0 DEFAULT, 1 SIMPLE, 2 JSON_LIST, 3 SIMPLE_LIST. */
export type FormatIndex = 0 | 1 | 2 | 3;
export const FORMAT_INDEX: Readonly<Record<WsFormat, FormatIndex>> = {
  DEFAULT: 0,
  SIMPLE: 1,
  JSON_LIST: 2,
  SIMPLE_LIST: 3,
};

function simple(format: FormatIndex): boolean {
  return format === 1 || format === 3;
}

/** JSON_LIST and SIMPLE_LIST wrap the object in a one-element list. */
function listed(format: FormatIndex, text: string): string {
  return format >= 2 ? `[${text}]` : text;
}

export function tickerText(market: MarketState, format: FormatIndex, stream: StreamType): string {
  return listed(format, simple(format) ? wsTickerSimple(market, stream) : wsTickerDefault(market, stream));
}

export function tradeText(code: string, trade: TradeRecord, format: FormatIndex, stream: StreamType): string {
  return listed(format, simple(format) ? wsTradeSimple(code, trade, stream) : wsTradeDefault(code, trade, stream));
}

export function bookText(
  market: MarketState,
  book: BookLevels,
  units: number,
  format: FormatIndex,
  stream: StreamType,
): string {
  return listed(
    format,
    simple(format) ? wsOrderbookSimple(market, book, units, stream) : wsOrderbookDefault(market, book, units, stream),
  );
}

export function candleText(
  type: string,
  code: string,
  row: CandleRow,
  format: FormatIndex,
  stream: StreamType,
): string {
  return listed(
    format,
    simple(format) ? wsCandleSimple(type, code, row, stream) : wsCandleDefault(type, code, row, stream),
  );
}
