import type { OrderBook, Ticker, Trade } from '@marketdata/domain';
import type { ChartCandle, ChartMarket } from '../feed/chart-feed.js';
import type {
  WireBookLevel,
  WireCandle,
  WireMarket,
  WireMarketFlags,
  WireTicker,
  WireTrade,
} from '../protocol/messages.js';

/** Book levels shown in the depth panel. */
export const BOOK_LEVELS = 15;

export function wireCandle(candle: ChartCandle): WireCandle {
  return {
    time: candle.openTime,
    open: candle.open,
    high: candle.high,
    low: candle.low,
    close: candle.close,
    volume: candle.volume,
  };
}

export function wireTicker(ticker: Ticker): WireTicker {
  return {
    symbol: ticker.symbol,
    price: ticker.price,
    change: ticker.change,
    changeRate: ticker.changeRate,
    source: ticker.source,
    quality: ticker.quality,
    confidence: ticker.confidence,
    ageMs: ticker.ageMs,
    qualityNotes: ticker.qualityNotes,
    exchangeTimestamp: ticker.exchangeTimestamp,
  };
}

export function wireBook(book: OrderBook): {
  readonly levels: readonly WireBookLevel[];
  readonly totalAskSize: number;
  readonly totalBidSize: number;
} {
  return {
    levels: book.levels.slice(0, BOOK_LEVELS).map(({ askPrice, askSize, bidPrice, bidSize }) => ({
      askPrice,
      askSize,
      bidPrice,
      bidSize,
    })),
    totalAskSize: book.totalAskSize,
    totalBidSize: book.totalBidSize,
  };
}

export function wireTrade(trade: Trade): WireTrade {
  return {
    price: trade.price,
    volume: trade.volume,
    side: trade.side,
    tradeTimestamp: trade.tradeTimestamp,
    sequentialId: trade.sequentialId,
  };
}

export function wireMarket(market: ChartMarket): WireMarket {
  return {
    symbol: market.symbol,
    koreanName: market.koreanName,
    englishName: market.englishName,
    warning: market.warning,
    cautions: market.cautions,
  };
}

/**
 * The header's flags: the market list's investment warning and cautions (`market_event`), joined with what the
 * latest WebSocket ticker says (`market_state`, `is_trading_suspended`, the older `market_warning`,
 * `delisting_date`), which changes at once when Upbit changes it. A field no ticker carried stays undefined.
 */
export function marketFlags(market: ChartMarket | undefined, ticker: Ticker | undefined): WireMarketFlags {
  return {
    warning: (market?.warning ?? false) || ticker?.marketWarning === 'CAUTION',
    cautions: market?.cautions ?? [],
    suspended: ticker?.tradingSuspended,
    marketState: ticker?.marketState,
    delistingDate: ticker?.delistingDate ?? undefined,
  };
}
