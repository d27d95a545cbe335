import type {
  Candle,
  CandleInterval,
  ChannelTicker,
  Market,
  MarketCode,
  MarketDataError,
  OrderBook,
  SymbolResult,
  Trade,
} from '@marketdata/domain';
import type { RpcMethod } from '../subjects.js';
import { errorIn, errorOut } from './errors.js';
import { checkVersion, type DecodeContext, decodeJsonObject, encodeJson, type Fields, WIRE_VERSION } from './fields.js';
import {
  candleIn,
  candleOut,
  intervalIn,
  marketIn,
  marketOut,
  orderBookIn,
  orderBookOut,
  tickerIn,
  tickerOut,
  tradeIn,
  tradeOut,
} from './records.js';

/**
 * Request/reply on `<prefix>.rpc.<method>`. A request carries the call's arguments and `timeoutMs`, the longest the
 * caller will wait (the gateway gives up on its side after it, so no work outlives the caller by much). The reply is
 * `{ v, ok: true, value }` or `{ v, ok: false, error }` with the error as `WireError`.
 */
export interface RpcRequests {
  readonly getTicker: { readonly symbol: MarketCode };
  readonly getTickers: { readonly symbols: readonly MarketCode[] };
  readonly getOrderBook: { readonly symbol: MarketCode };
  /** `TradeQuery` without the signal: Upbit's paging (`cursor`) and history (`to`, `daysAgo`) parameters. */
  readonly getTrades: {
    readonly symbol: MarketCode;
    readonly count?: number | undefined;
    readonly cursor?: string | undefined;
    readonly to?: string | undefined;
    readonly daysAgo?: number | undefined;
  };
  readonly getCandles: {
    readonly symbol: MarketCode;
    readonly interval: CandleInterval;
    readonly count?: number | undefined;
    readonly to?: number | undefined;
  };
  readonly getMarkets: Readonly<Record<string, never>>;
}

export interface RpcValues {
  readonly getTicker: ChannelTicker;
  readonly getTickers: readonly SymbolResult<ChannelTicker>[];
  readonly getOrderBook: OrderBook;
  readonly getTrades: readonly Trade[];
  readonly getCandles: readonly Candle[];
  readonly getMarkets: readonly Market[];
}

export type RpcReply<M extends RpcMethod> =
  | { readonly ok: true; readonly value: RpcValues[M] }
  | { readonly ok: false; readonly error: MarketDataError };

export function encodeRequest<M extends RpcMethod>(request: RpcRequests[M], timeoutMs: number): Uint8Array {
  return encodeJson({ v: WIRE_VERSION, ...request, timeoutMs });
}

const REQUEST_READERS: { readonly [M in RpcMethod]: (f: Fields) => RpcRequests[M] } = {
  getTicker: (f) => ({ symbol: f.market('symbol') }),
  getTickers: (f) => ({ symbols: f.markets('symbols') }),
  getOrderBook: (f) => ({ symbol: f.market('symbol') }),
  getTrades: (f) => ({
    symbol: f.market('symbol'),
    count: f.optionalNumber('count'),
    cursor: f.optionalString('cursor'),
    to: f.optionalString('to'),
    daysAgo: f.optionalNumber('daysAgo'),
  }),
  getCandles: (f) => ({
    symbol: f.market('symbol'),
    interval: intervalIn(f.object('interval')),
    count: f.optionalNumber('count'),
    to: f.optionalNumber('to'),
  }),
  getMarkets: () => ({}),
};

export interface DecodedRequest<M extends RpcMethod> {
  readonly args: RpcRequests[M];
  readonly timeoutMs: number;
}

export function decodeRequest<M extends RpcMethod>(method: M, bytes: Uint8Array): DecodedRequest<M> {
  const f = decodeJsonObject(bytes, { what: `${method} request`, channel: 'api' });
  checkVersion(f);
  const timeoutMs = f.number('timeoutMs');
  if (timeoutMs <= 0) f.reject('timeoutMs', 'a number > 0');
  return { args: (REQUEST_READERS[method] as (f: Fields) => RpcRequests[M])(f), timeoutMs };
}

type ValueWriter<M extends RpcMethod> = (value: RpcValues[M], nowMonotonic: number) => unknown;
type ValueReader<M extends RpcMethod> = (f: Fields, key: string, at: number) => RpcValues[M];

const VALUE_WRITERS: { readonly [M in RpcMethod]: ValueWriter<M> } = {
  getTicker: tickerOut,
  getTickers: (results, now) =>
    results.map((result) =>
      result.ok
        ? { symbol: result.symbol, ok: true, value: tickerOut(result.value, now) }
        : { symbol: result.symbol, ok: false, error: errorOut(result.error) },
    ),
  getOrderBook: orderBookOut,
  getTrades: (trades, now) => trades.map((trade) => tradeOut(trade, now)),
  getCandles: (candles, now) => candles.map((candle) => candleOut(candle, now)),
  getMarkets: (markets) => markets.map(marketOut),
};

const VALUE_READERS: { readonly [M in RpcMethod]: ValueReader<M> } = {
  getTicker: (f, key, at) => tickerIn(f.object(key), at),
  getTickers: (f, key, at) =>
    f.objects(key).map((item): SymbolResult<ChannelTicker> => {
      const symbol = item.market('symbol');
      return item.boolean('ok')
        ? { symbol, ok: true, value: tickerIn(item.object('value'), at) }
        : { symbol, ok: false, error: errorIn(item.object('error')) };
    }),
  getOrderBook: (f, key, at) => orderBookIn(f.object(key), at),
  getTrades: (f, key, at) => f.objects(key).map((item) => tradeIn(item, at)),
  getCandles: (f, key, at) => f.objects(key).map((item) => candleIn(item, at)),
  getMarkets: (f, key) => f.objects(key).map(marketIn),
};

export function encodeReply<M extends RpcMethod>(method: M, reply: RpcReply<M>, nowMonotonic: number): Uint8Array {
  if (!reply.ok) return encodeJson({ v: WIRE_VERSION, ok: false, error: errorOut(reply.error) });
  const write = VALUE_WRITERS[method] as ValueWriter<M>;
  return encodeJson({ v: WIRE_VERSION, ok: true, value: write(reply.value, nowMonotonic) });
}

/** `arrivedAtMonotonic`: the caller's own stamp when the reply arrived. */
export function decodeReply<M extends RpcMethod>(
  method: M,
  bytes: Uint8Array,
  arrivedAtMonotonic: number,
): RpcReply<M> {
  const context: DecodeContext = { what: `${method} reply`, channel: 'rest' };
  const f = decodeJsonObject(bytes, context);
  checkVersion(f);
  if (!f.boolean('ok')) return { ok: false, error: errorIn(f.object('error')) };
  const read = VALUE_READERS[method] as ValueReader<M>;
  return { ok: true, value: read(f, 'value', arrivedAtMonotonic) };
}
