import {
  jsonArray,
  restInstrument,
  restMarket,
  restOrderbook,
  restTicker,
  restTrade,
} from '../format/rest-payloads.js';
import { buildBook, MAX_UNITS } from '../model/order-book.js';
import { supportedLevels } from '../model/tick-size.js';
import { findCandleRoute } from './candle-routes.js';
import { parseDecimal, parseWholeNumber, type QueryValue } from './query.js';
import { count, invalid, isError, marketsParam, mismatch, missing, ok, type Route, singleMarket } from './route-kit.js';

const marketAll: Route = {
  group: 'market',
  handle({ engine, query }) {
    const flag = query.get('isDetails') ?? query.get('is_details');
    const details = flag === 'true';
    return ok(jsonArray(engine.markets.map((market) => restMarket(market.info, market.status, details))));
  },
};

const ticker: Route = {
  group: 'ticker',
  handle(context) {
    const markets = marketsParam(context, 'markets');
    if (isError(markets)) return markets;
    return ok(
      jsonArray(
        markets.map((market) => {
          market.roll(context.now);
          return restTicker(market);
        }),
      ),
    );
  },
};

/** `/v1/ticker/all`: every market of the quotes, busiest (24h turnover) first, as the recorded response is. */
const tickerAll: Route = {
  group: 'ticker',
  handle({ engine, query, now }) {
    const raw = query.get('quote_currencies');
    if (raw === null || raw === '') return missing;
    const out: string[] = [];
    for (const quote of raw.split(',')) {
      const markets = engine.markets.filter((market) => market.info.quote === quote);
      for (const market of markets) market.roll(now);
      markets.sort((a, b) => b.turnover24h - a.turnover24h);
      for (const market of markets) out.push(restTicker(market));
    }
    return ok(jsonArray(out));
  },
};

const orderbook: Route = {
  group: 'orderbook',
  handle(context) {
    const markets = marketsParam(context, 'markets');
    if (isError(markets)) return markets;
    const units = count(context.query, MAX_UNITS, MAX_UNITS);
    if (isError(units)) return units;
    const levelParam: QueryValue<number> = parseDecimal(context.query.get('level'));
    if (levelParam.kind === 'invalid') return mismatch;
    const level = levelParam.kind === 'value' ? levelParam.value : 0;
    const out: string[] = [];
    for (const market of markets) {
      if (level !== 0) {
        // Grouping exists on KRW markets only; a BTC market with a level answered [] (observed).
        if (market.info.quote !== 'KRW') continue;
        if (!supportedLevels(market.info.code, market.price).includes(level)) return invalid;
      }
      out.push(restOrderbook(market, buildBook(market, context.engine.seed, level), units));
    }
    return ok(jsonArray(out));
  },
};

const instruments: Route = {
  group: 'orderbook',
  handle(context) {
    const markets = marketsParam(context, 'markets');
    if (isError(markets)) return markets;
    return ok(jsonArray(markets.map(restInstrument)));
  },
};

/** `/v1/trades/ticks`: recent trades, newest first (`count` 1..500, `cursor`, `to` HHmmss, `days_ago` 1..7). */
const tradesTicks: Route = {
  group: 'crix-trades',
  handle(context) {
    const market = singleMarket(context);
    if (isError(market)) return market;
    const n = count(context.query, 1, 500);
    if (isError(n)) return n;
    const cursorText = context.query.get('cursor');
    if (cursorText !== null && cursorText !== '' && !/^\d+$/.test(cursorText)) return mismatch;
    const cursor = cursorText === null || cursorText === '' ? undefined : BigInt(cursorText);
    const daysAgo = parseWholeNumber(context.query.get('days_ago'));
    if (daysAgo.kind === 'invalid') return mismatch;
    if (daysAgo.kind === 'value' && (daysAgo.value < 1 || daysAgo.value > 7)) return invalid;
    const toText = context.query.get('to');
    let toSecondOfDay: number | undefined;
    if (toText !== null && toText !== '') {
      const match = /^(\d{2}):?(\d{2}):?(\d{2})$/.exec(toText);
      if (match === null) return invalid;
      toSecondOfDay = Number(match[1]) * 3600 + Number(match[2]) * 60 + Number(match[3]);
    }
    const day = Math.floor(context.now / 86_400_000) - (daysAgo.kind === 'value' ? daysAgo.value : 0);
    const filterByDay = daysAgo.kind === 'value' || toSecondOfDay !== undefined;
    const out: string[] = [];
    for (const trade of market.recentTrades()) {
      if (out.length >= n) break;
      if (cursor !== undefined && BigInt(trade.sequentialId) >= cursor) continue;
      if (filterByDay) {
        if (Math.floor(trade.tradeTimestamp / 86_400_000) !== day) continue;
        const second = Math.floor((trade.tradeTimestamp % 86_400_000) / 1000);
        if (toSecondOfDay !== undefined && second >= toSecondOfDay) continue;
      }
      out.push(restTrade(market.info.code, trade));
    }
    return ok(jsonArray(out));
  },
};

const FIXED_ROUTES = new Map<string, Route>([
  ['/v1/market/all', marketAll],
  ['/v1/ticker', ticker],
  ['/v1/ticker/all', tickerAll],
  ['/v1/orderbook', orderbook],
  ['/v1/orderbook/instruments', instruments],
  ['/v1/trades/ticks', tradesTicks],
]);

export function findRoute(path: string): Route | undefined {
  return FIXED_ROUTES.get(path) ?? findCandleRoute(path);
}
