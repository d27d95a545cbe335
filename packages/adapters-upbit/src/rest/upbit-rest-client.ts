import { DataValidationError, parseMarketCode, type RequestOptions } from '@marketdata/domain';
import type * as v from 'valibot';
import { parseWithSchema } from '../shared/validation.js';
import type { GroupPacer } from './http/group-pacer.js';
import type { QueryValue } from './http/query-string.js';
import { RestRequestExecutor, type RestRequestSpec, type UpbitResponse } from './http/request-executor.js';
import { processRestBudgets, type RestBudgetLease } from './http/rest-budgets.js';
import type { UpbitRestGroup } from './http/rest-group.js';
import { type ResolvedRestClientOptions, resolveRestClientOptions, type UpbitRestClientOptions } from './options.js';
import { type UpbitCandle, upbitCandleListSchema } from './schemas/candle-schema.js';
import { type UpbitMarket, upbitMarketListSchema } from './schemas/market-schema.js';
import {
  type UpbitOrderBookInstrument,
  upbitOrderBookInstrumentListSchema,
} from './schemas/orderbook-instruments-schema.js';
import { type UpbitOrderBook, upbitOrderBookListSchema } from './schemas/orderbook-schema.js';
import { type UpbitTicker, upbitTickerListSchema } from './schemas/ticker-schema.js';
import { type UpbitTrade, upbitTradeListSchema } from './schemas/trade-schema.js';

/** The minute-candle sizes Upbit serves. */
export const UPBIT_MINUTE_UNITS = [1, 3, 5, 10, 15, 30, 60, 240] as const;
/** One of `UPBIT_MINUTE_UNITS`. */
export type UpbitMinuteUnit = (typeof UPBIT_MINUTE_UNITS)[number];

/** Query of `/v1/orderbook`. */
export interface UpbitOrderBookParams {
  /** KRW price grouping unit (`0` = none); see `/v1/orderbook/instruments` for the supported ones. */
  readonly level?: number | undefined;
  /** Levels per book. */
  readonly count?: number | undefined;
}

/** Query of `/v1/trades/ticks`. */
export interface UpbitTradeParams {
  readonly count?: number | undefined;
  /** Last trade time to return, `HHmmss` or `HH:mm:ss` (UTC time of day), as Upbit takes it. */
  readonly to?: string | undefined;
  /** Page by `sequential_id` (exact decimal text). */
  readonly cursor?: string | undefined;
  /** 1..7 days back. */
  readonly daysAgo?: number | undefined;
}

/** Query of the `/v1/candles/…` endpoints. */
export interface UpbitCandleParams {
  /** Exclusive upper bound in Upbit's spelling (ISO 8601, e.g. `2025-07-30T00:00:00Z`); see `formatUpbitTo`. */
  readonly to?: string | undefined;
  /** Up to 200. */
  readonly count?: number | undefined;
}

const QUOTE_CURRENCY = /^[A-Z0-9]{2,10}$/;
const TIME_OF_DAY = /^(\d{2}):?(\d{2}):?(\d{2})$/;

/** Upbit's most trades per `/v1/trades/ticks` request (documented: up to 500, default 1). */
export const UPBIT_MAX_TRADES_PER_REQUEST = 500;

function isTimeOfDay(text: unknown): boolean {
  if (typeof text !== 'string' || !(text.length === 6 || text.length === 8)) return false;
  const match = TIME_OF_DAY.exec(text);
  if (match === null || (text.length === 8 && (text[2] !== ':' || text[5] !== ':'))) return false;
  return Number(match[1]) < 24 && Number(match[2]) < 60 && Number(match[3]) < 60;
}

function invalid(path: string, value: unknown, message: string): DataValidationError {
  return new DataValidationError(`Invalid argument ${path}: ${message}`, { channel: 'rest', path, value });
}

function marketList(markets: readonly string[]): readonly string[] {
  if (markets.length === 0) throw invalid('markets', markets, 'at least one market code is required');
  return markets.map((market) => parseMarketCode(market));
}

function positiveInteger(path: string, value: number | undefined, max?: number): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isInteger(value) || value <= 0 || (max !== undefined && value > max)) {
    throw invalid(path, value, `expected an integer 1..${max ?? 'n'}`);
  }
  return value;
}

/**
 * Upbit's public quotation REST API, one method per endpoint (as Upbit names them), answering Upbit's own payloads
 * (validated, numbers decoded, unknown fields dropped) with timing (`receivedAt`, `receivedAtMonotonic`,
 * `latencyMs`). Pacing on the host's shared budget, attempt timeouts and retries are built in (see
 * `RestRequestExecutor`); each method takes `{ signal }`, the caller's one deadline. Identical calls in flight share
 * one request, except `getTickers` (one call, one request: the source's ticker batcher does the sharing). For domain
 * types use `UpbitRestSource`.
 *
 * No `Origin` header is ever sent: Upbit limits requests carrying one to 1 per 10 s.
 */
export class UpbitRestClient {
  readonly options: ResolvedRestClientOptions;
  private readonly budget: RestBudgetLease;
  private readonly executor: RestRequestExecutor;

  constructor(options: UpbitRestClientOptions = {}) {
    this.options = resolveRestClientOptions(options);
    const { origin, clock, rateLimit, logger } = this.options;
    this.budget = (options.budgets ?? processRestBudgets).lease({ origin, clock, limits: rateLimit, logger });
    this.executor = new RestRequestExecutor(this.options, this.budget);
  }

  /** `GET /v1/market/all` (`isDetails=true` adds `market_event`). */
  async getMarkets(
    params: { readonly isDetails?: boolean | undefined } = {},
    options?: RequestOptions,
  ): Promise<UpbitResponse<readonly UpbitMarket[]>> {
    return this.get(
      'market',
      '/v1/market/all',
      { isDetails: params.isDetails },
      'getMarkets',
      [],
      upbitMarketListSchema,
      options,
    );
  }

  /** `GET /v1/ticker?markets=…`. */
  async getTickers(
    markets: readonly string[],
    options?: RequestOptions,
  ): Promise<UpbitResponse<readonly UpbitTicker[]>> {
    const codes = marketList(markets);
    const spec = { group: 'ticker', path: '/v1/ticker', query: { markets: codes }, operation: 'getTickers' } as const;
    return this.request({ ...spec, symbols: codes, shareInFlight: false }, upbitTickerListSchema, options);
  }

  /** `GET /v1/ticker/all?quote_currencies=…`: every market of those quote currencies. */
  async getTickersByQuote(
    quotes: readonly string[],
    options?: RequestOptions,
  ): Promise<UpbitResponse<readonly UpbitTicker[]>> {
    if (quotes.length === 0) throw invalid('quotes', quotes, 'at least one quote currency is required');
    for (const quote of quotes) {
      if (!QUOTE_CURRENCY.test(quote)) throw invalid('quotes', quote, 'expected an upper-case currency, e.g. KRW');
    }
    return this.get(
      'ticker',
      '/v1/ticker/all',
      { quote_currencies: quotes },
      'getTickersByQuote',
      [],
      upbitTickerListSchema,
      options,
    );
  }

  /** `GET /v1/orderbook?markets=…&level=…&count=…`. */
  async getOrderBooks(
    markets: readonly string[],
    params: UpbitOrderBookParams = {},
    options?: RequestOptions,
  ): Promise<UpbitResponse<readonly UpbitOrderBook[]>> {
    const codes = marketList(markets);
    if (params.level !== undefined && !(Number.isFinite(params.level) && params.level >= 0)) {
      throw invalid('level', params.level, 'expected a non-negative number');
    }
    const query = { markets: codes, level: params.level, count: positiveInteger('count', params.count) };
    return this.get('orderbook', '/v1/orderbook', query, 'getOrderBooks', codes, upbitOrderBookListSchema, options);
  }

  /** `GET /v1/orderbook/instruments?markets=…`: tick size and the `level` values each market supports. */
  async getOrderBookInstruments(
    markets: readonly string[],
    options?: RequestOptions,
  ): Promise<UpbitResponse<readonly UpbitOrderBookInstrument[]>> {
    const codes = marketList(markets);
    return this.get(
      'orderbook',
      '/v1/orderbook/instruments',
      { markets: codes },
      'getOrderBookInstruments',
      codes,
      upbitOrderBookInstrumentListSchema,
      options,
    );
  }

  /** `GET /v1/trades/ticks?market=…`: newest first. `sequential_id` is kept exact. */
  async getTrades(
    market: string,
    params: UpbitTradeParams = {},
    options?: RequestOptions,
  ): Promise<UpbitResponse<readonly UpbitTrade[]>> {
    const code = parseMarketCode(market);
    if (params.cursor !== undefined && !(typeof params.cursor === 'string' && /^\d{1,40}$/.test(params.cursor))) {
      throw invalid('cursor', params.cursor, 'expected a sequential_id (digits)');
    }
    if (params.to !== undefined && !isTimeOfDay(params.to)) {
      throw invalid('to', params.to, 'expected a UTC time of day HHmmss or HH:mm:ss');
    }
    const query = {
      market: code,
      count: positiveInteger('count', params.count, UPBIT_MAX_TRADES_PER_REQUEST),
      to: params.to,
      cursor: params.cursor,
      days_ago: positiveInteger('daysAgo', params.daysAgo, 7),
    };
    return this.get('crix-trades', '/v1/trades/ticks', query, 'getTrades', [code], upbitTradeListSchema, options);
  }

  /**
   * `GET /v1/candles/seconds?market=…`: newest first. Upbit serves only the last 3 months: an older `to` gives an
   * empty or short list. Documented since 2024-10-30.
   */
  async getSecondCandles(
    market: string,
    params: UpbitCandleParams = {},
    options?: RequestOptions,
  ): Promise<UpbitResponse<readonly UpbitCandle[]>> {
    return this.candles('seconds', 'getSecondCandles', market, params, options);
  }

  /** `GET /v1/candles/minutes/{unit}?market=…`: newest first. */
  async getMinuteCandles(
    unit: UpbitMinuteUnit,
    market: string,
    params: UpbitCandleParams = {},
    options?: RequestOptions,
  ): Promise<UpbitResponse<readonly UpbitCandle[]>> {
    if (!UPBIT_MINUTE_UNITS.includes(unit))
      throw invalid('unit', unit, `expected one of ${UPBIT_MINUTE_UNITS.join(', ')}`);
    return this.candles(`minutes/${unit}`, 'getMinuteCandles', market, params, options);
  }

  /** `GET /v1/candles/days?market=…`: newest first; days start at 00:00 UTC. */
  async getDayCandles(
    market: string,
    params: UpbitCandleParams = {},
    options?: RequestOptions,
  ): Promise<UpbitResponse<readonly UpbitCandle[]>> {
    return this.candles('days', 'getDayCandles', market, params, options);
  }

  /** `GET /v1/candles/weeks?market=…`. */
  async getWeekCandles(
    market: string,
    params: UpbitCandleParams = {},
    options?: RequestOptions,
  ): Promise<UpbitResponse<readonly UpbitCandle[]>> {
    return this.candles('weeks', 'getWeekCandles', market, params, options);
  }

  /** `GET /v1/candles/months?market=…`. */
  async getMonthCandles(
    market: string,
    params: UpbitCandleParams = {},
    options?: RequestOptions,
  ): Promise<UpbitResponse<readonly UpbitCandle[]>> {
    return this.candles('months', 'getMonthCandles', market, params, options);
  }

  /** `GET /v1/candles/years?market=…` (documented since 2024-10-30). */
  async getYearCandles(
    market: string,
    params: UpbitCandleParams = {},
    options?: RequestOptions,
  ): Promise<UpbitResponse<readonly UpbitCandle[]>> {
    return this.candles('years', 'getYearCandles', market, params, options);
  }

  /** The full URL a request would use (for tests and benchmarks). */
  urlFor(path: string, query: Readonly<Record<string, QueryValue>> = {}): string {
    return this.executor.urlFor({ path, query });
  }

  /** The pacer of a group on this host's shared budget: queue length, pause and block state. */
  pacer(group: UpbitRestGroup): GroupPacer {
    return this.budget.pacer(group);
  }

  /**
   * Fails this client's queued and in-flight requests with `ClosedError` and lets go of the host's budget (the
   * last client of a host to close clears its timers).
   */
  close(): void {
    this.executor.close();
    this.budget.release();
  }

  private candles(
    kind: string,
    operation: string,
    market: string,
    params: UpbitCandleParams,
    options: RequestOptions | undefined,
  ): Promise<UpbitResponse<readonly UpbitCandle[]>> {
    const code = parseMarketCode(market);
    const query = { market: code, to: params.to, count: positiveInteger('count', params.count, 200) };
    return this.get('candles', `/v1/candles/${kind}`, query, operation, [code], upbitCandleListSchema, options);
  }

  private get<TSchema extends v.GenericSchema>(
    group: UpbitRestGroup,
    path: string,
    query: Readonly<Record<string, QueryValue>>,
    operation: string,
    symbols: readonly string[],
    schema: TSchema,
    options: RequestOptions | undefined,
  ): Promise<UpbitResponse<v.InferOutput<TSchema>>> {
    return this.request({ group, path, query, operation, symbols, shareInFlight: true }, schema, options);
  }

  private async request<TSchema extends v.GenericSchema>(
    spec: RestRequestSpec,
    schema: TSchema,
    options: RequestOptions | undefined,
  ): Promise<UpbitResponse<v.InferOutput<TSchema>>> {
    const { operation, path } = spec;
    const what = `Upbit ${path}`;
    return this.executor.execute(
      spec,
      (json) => parseWithSchema(schema, json, { channel: 'rest', operation, what }),
      options,
    );
  }
}
