import { restCandle } from '../format/candle-payloads.js';
import { jsonArray } from '../format/rest-payloads.js';
import type { CandleRow } from '../model/candle-history.js';
import { type CandleSpec, MINUTE_SIZES } from '../model/candle-periods.js';
import type { MarketEngine } from '../model/market-engine.js';
import type { MarketState } from '../model/market-state.js';
import { parseCandleTo } from './query.js';
import {
  count,
  invalid,
  isError,
  ok,
  type Route,
  type RouteContext,
  type RouteResult,
  singleMarket,
} from './route-kit.js';

/** Upbit's documented maximum candles per request. */
export const MAX_CANDLES = 200;

interface CandleQuery {
  readonly market: MarketState;
  readonly to: number | undefined;
  readonly count: number;
}

function candleQuery(context: RouteContext): CandleQuery | RouteResult {
  const market = singleMarket(context);
  if (isError(market)) return market;
  const n = count(context.query, 1, MAX_CANDLES);
  if (isError(n)) return n;
  const to = parseCandleTo(context.query.get('to'));
  if (to.kind === 'invalid') return invalid;
  return { market, to: to.kind === 'value' ? to.value : undefined, count: n };
}

function candleRoute(spec: CandleSpec): Route {
  return {
    group: 'candles',
    handle(context) {
      const q = candleQuery(context);
      if (isError(q)) return q;
      q.market.roll(context.now);
      const rows = context.engine.history.candles(q.market, spec, q.to, q.count, context.now);
      const code = q.market.info.code;
      return ok(jsonArray(rows.map((row) => restCandle(code, row, spec))));
    },
  };
}

/**
 * Day candles, with `converted_trade_price` when `converting_price_unit` (or `convertingPriceUnit`) is given.
 * Documented: only KRW is supported. Chosen here: any other unit answers 400 Invalid parameter; a KRW market's
 * converted price is its close; another market's is its close times the same day's close of `KRW-{quote}`
 * (null when that market is not simulated).
 */
const dayRoute: Route = {
  group: 'candles',
  handle(context) {
    const q = candleQuery(context);
    if (isError(q)) return q;
    const unit = context.query.get('converting_price_unit') ?? context.query.get('convertingPriceUnit');
    if (unit !== null && unit !== '' && unit !== 'KRW') return invalid;
    const spec: CandleSpec = { unit: 'days', size: 1 };
    q.market.roll(context.now);
    const rows = context.engine.history.candles(q.market, spec, q.to, q.count, context.now);
    const code = q.market.info.code;
    if (unit !== 'KRW') return ok(jsonArray(rows.map((row) => restCandle(code, row, spec))));
    const rate = krwRate(context.engine, q.market, context.now);
    return ok(jsonArray(rows.map((row) => restCandle(code, row, spec, rate(row)))));
  },
};

function krwRate(engine: MarketEngine, market: MarketState, now: number): (row: CandleRow) => number | null {
  const quote = market.info.quote;
  if (quote === 'KRW') return (row) => row.close;
  const bridge = engine.get(`KRW-${quote}`);
  if (bridge === undefined) return () => null;
  bridge.roll(now);
  const spec: CandleSpec = { unit: 'days', size: 1 };
  return (row) => {
    const day = engine.history.rowAt(bridge, spec, row.start, now);
    return row.close * (day?.close ?? bridge.price);
  };
}

/** A route that exists but with a wrong parameter in the path (an unsupported minute unit). */
const badMinuteUnit: Route = { group: 'candles', handle: () => invalid };

const FIXED = new Map<string, Route>([
  ['/v1/candles/seconds', candleRoute({ unit: 'seconds', size: 1 })],
  ['/v1/candles/days', dayRoute],
  ['/v1/candles/weeks', candleRoute({ unit: 'weeks', size: 1 })],
  ['/v1/candles/months', candleRoute({ unit: 'months', size: 1 })],
  ['/v1/candles/years', candleRoute({ unit: 'years', size: 1 })],
]);
const MINUTES = new Map<number, Route>(MINUTE_SIZES.map((size) => [size, candleRoute({ unit: 'minutes', size })]));
const MINUTES_PREFIX = '/v1/candles/minutes/';

/** Every candle endpoint shares the `candles` rate group (documented). */
export function findCandleRoute(path: string): Route | undefined {
  const fixed = FIXED.get(path);
  if (fixed !== undefined) return fixed;
  if (!path.startsWith(MINUTES_PREFIX)) return undefined;
  const unitText = path.slice(MINUTES_PREFIX.length);
  if (!/^\d+$/.test(unitText)) return undefined;
  return MINUTES.get(Number(unitText)) ?? badMinuteUnit;
}
