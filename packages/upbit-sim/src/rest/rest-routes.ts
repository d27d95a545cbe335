import {
  jsonArray,
  restDayCandle,
  restInstrument,
  restMarket,
  restMinuteCandle,
  restOrderbook,
  restTicker,
  restTrade,
} from '../format/rest-payloads.js';
import type { MarketEngine } from '../model/market-engine.js';
import type { MarketState } from '../model/market-state.js';
import { buildBook, MAX_UNITS } from '../model/order-book.js';
import { supportedLevels } from '../model/tick-size.js';
import type { RestGroup } from '../options.js';
import { CODE_NOT_FOUND, INVALID_PARAMETER, MISSING_PARAMETER, TYPE_MISMATCH } from './error-bodies.js';
import { parseCandleTo, parseDecimal, parseWholeNumber, type QueryValue } from './query.js';

export interface RouteResult {
  readonly status: number;
  readonly body: string;
}

export interface RouteContext {
  readonly engine: MarketEngine;
  readonly now: number;
  readonly query: URLSearchParams;
}

export interface Route {
  readonly group: RestGroup;
  handle(context: RouteContext): RouteResult;
}

const MINUTE_UNITS = new Set([1, 3, 5, 10, 15, 30, 60, 240]);

function ok(body: string): RouteResult {
  return { status: 200, body };
}
const notFound: RouteResult = { status: 404, body: CODE_NOT_FOUND };
const missing: RouteResult = { status: 400, body: MISSING_PARAMETER };
const mismatch: RouteResult = { status: 400, body: TYPE_MISMATCH };
const invalid: RouteResult = { status: 400, body: INVALID_PARAMETER };

function isError(value: unknown): value is RouteResult {
  return typeof value === 'object' && value !== null && 'status' in value;
}

/**
 * The markets of a `markets=` list. Any unknown code fails the whole request with 404 `Code not found`
 * (observed, also for one bad code among good ones). Codes must be upper case, per API.md (a 2026-09 probe saw
 * the REST orderbook accept lower case; the simulator follows API.md).
 */
function marketsParam(context: RouteContext, name: string): MarketState[] | RouteResult {
  const raw = context.query.get(name);
  if (raw === null) return missing;
  const codes = raw.split(',').filter((code) => code.length > 0);
  if (codes.length === 0) return missing;
  const markets: MarketState[] = [];
  for (const code of codes) {
    const market = context.engine.get(code);
    if (market === undefined) return notFound;
    markets.push(market);
  }
  return markets;
}

function singleMarket(context: RouteContext): MarketState | RouteResult {
  const code = context.query.get('market');
  if (code === null || code === '') return missing;
  return context.engine.get(code) ?? notFound;
}

function count(query: URLSearchParams, fallback: number, max: number): number | RouteResult {
  const parsed: QueryValue<number> = parseWholeNumber(query.get('count'));
  if (parsed.kind === 'absent') return fallback;
  if (parsed.kind === 'invalid') return mismatch;
  // Above the maximum: Upbit's answer is not on record (for the orderbook it clamps to 30); clamp everywhere.
  return Math.max(1, Math.min(parsed.value, max));
}

const marketAll: Route = {
  group: 'market',
  handle({ engine, query }) {
    const flag = query.get('isDetails') ?? query.get('is_details');
    const details = flag === 'true';
    return ok(jsonArray(engine.markets.map((market) => restMarket(market.info, details))));
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

function candleQuery(context: RouteContext): { market: MarketState; to: number | undefined; n: number } | RouteResult {
  const market = singleMarket(context);
  if (isError(market)) return market;
  const n = count(context.query, 1, 200);
  if (isError(n)) return n;
  const to = parseCandleTo(context.query.get('to'));
  if (to.kind === 'invalid') return invalid;
  return { market, to: to.kind === 'value' ? to.value : undefined, n };
}

function minuteCandles(unit: number): Route {
  return {
    group: 'candles',
    handle(context) {
      const q = candleQuery(context);
      if (isError(q)) return q;
      q.market.roll(context.now);
      const rows = context.engine.history.minuteCandles(q.market, unit, q.to, q.n, context.now);
      return ok(jsonArray(rows.map((row) => restMinuteCandle(q.market.info.code, row, unit))));
    },
  };
}

const dayCandles: Route = {
  group: 'candles',
  handle(context) {
    const q = candleQuery(context);
    if (isError(q)) return q;
    q.market.roll(context.now);
    const rows = context.engine.history.dayCandles(q.market, q.to, q.n, context.now);
    return ok(jsonArray(rows.map((row) => restDayCandle(q.market.info.code, row))));
  },
};

/** A route that exists but with a wrong parameter in the path (an unsupported minute unit). */
const badMinuteUnit: Route = { group: 'candles', handle: () => invalid };

const FIXED_ROUTES = new Map<string, Route>([
  ['/v1/market/all', marketAll],
  ['/v1/ticker', ticker],
  ['/v1/ticker/all', tickerAll],
  ['/v1/orderbook', orderbook],
  ['/v1/orderbook/instruments', instruments],
  ['/v1/trades/ticks', tradesTicks],
  ['/v1/candles/days', dayCandles],
]);
const MINUTE_ROUTES = new Map<number, Route>([...MINUTE_UNITS].map((unit) => [unit, minuteCandles(unit)]));
const MINUTES_PREFIX = '/v1/candles/minutes/';

export function findRoute(path: string): Route | undefined {
  const fixed = FIXED_ROUTES.get(path);
  if (fixed !== undefined) return fixed;
  if (path.startsWith(MINUTES_PREFIX)) {
    const unitText = path.slice(MINUTES_PREFIX.length);
    if (!/^\d+$/.test(unitText)) return undefined;
    return MINUTE_ROUTES.get(Number(unitText)) ?? badMinuteUnit;
  }
  return undefined;
}
