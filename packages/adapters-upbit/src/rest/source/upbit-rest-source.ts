import {
  type Candle,
  type CandleQuery,
  type CandleSource,
  type ChannelTicker,
  ClosedError,
  ConfigError,
  type ConfigIssue,
  DataValidationError,
  isUnknownSymbolError,
  type Market,
  type MarketCode,
  type MarketDataError,
  type MarketListSource,
  type OrderBook,
  type OrderBookSource,
  parseMarketCode,
  type RequestOptions,
  type SymbolResult,
  type TickerSource,
  type Trade,
  type TradeSource,
  toMarketDataError,
  UnknownSymbolError,
  type WatchOptions,
} from '@marketdata/domain';
import { formatUpbitTo } from '../../shared/upbit-date.js';
import { awaitWithLimits } from '../http/caller-limits.js';
import type { UpbitResponse } from '../http/request-executor.js';
import { mapCandle } from '../mappers/map-candle.js';
import { mapMarket } from '../mappers/map-market.js';
import { mapOrderBook } from '../mappers/map-orderbook.js';
import { mapTicker } from '../mappers/map-ticker.js';
import { mapTrade } from '../mappers/map-trade.js';
import type { UpbitRestClientOptions } from '../options.js';
import type { UpbitCandle } from '../schemas/candle-schema.js';
import type { UpbitMarket } from '../schemas/market-schema.js';
import { UPBIT_MINUTE_UNITS, type UpbitMinuteUnit, UpbitRestClient } from '../upbit-rest-client.js';
import { chunkByUrlLength } from './chunk-by-url-length.js';
import { ListedMarkets } from './listed-markets.js';
import { pollLoop, StopPolling } from './poll-loop.js';
import { TickerCoalescer, type TickerTicket } from './ticker-coalescer.js';
import { newTradesSince } from './trade-cursor.js';

export interface UpbitRestSourceOptions extends UpbitRestClientOptions {
  /** Use this client (shared pacing) instead of creating one; it is then not closed by `close()`. */
  readonly client?: UpbitRestClient | undefined;
  /**
   * `getTicker` calls within this window share one request. Default 1 ms (on the injected clock); 0 merges only the
   * calls made in the same synchronous run (no timer, no added delay).
   */
  readonly coalesceWindowMs?: number | undefined;
  /** Split a batch whose URL would be longer. Default 2000; Upbit's real limit is unknown. */
  readonly maxUrlLength?: number | undefined;
  /** How long a market Upbit called unknown fails fast without asking again. Default 60,000. */
  readonly unknownSymbolTtlMs?: number | undefined;
  /**
   * How long the listed markets (`/v1/market/all`, loaded when a ticker batch gets a 404, or by `getMarkets`) are
   * trusted to tell the unknown codes of such a batch. Default 600,000 (10 minutes).
   */
  readonly marketListTtlMs?: number | undefined;
  /** `watch*` polling interval. Default 1,000. */
  readonly pollIntervalMs?: number | undefined;
  /** Trades fetched per `watchTrades` poll per market. Default 50. */
  readonly tradesPerPoll?: number | undefined;
}

/** After the market list failed to load, 404'd ticker batches are bisected for this long before it is asked again. */
const MARKET_LIST_RETRY_AFTER_FAILURE_MS = 10_000;

const SOURCE_DEFAULTS = {
  coalesceWindowMs: 1,
  maxUrlLength: 2000,
  unknownSymbolTtlMs: 60_000,
  marketListTtlMs: 600_000,
  pollIntervalMs: 1000,
  tradesPerPoll: 50,
};

type SourceSettings = { -readonly [K in keyof typeof SOURCE_DEFAULTS]: number };

function checkedSettings(options: UpbitRestSourceOptions): SourceSettings {
  const settings: SourceSettings = { ...SOURCE_DEFAULTS };
  const issues: ConfigIssue[] = [];
  for (const key of Object.keys(SOURCE_DEFAULTS) as (keyof SourceSettings)[]) {
    const value = options[key] ?? SOURCE_DEFAULTS[key];
    const mustBePositive = key === 'maxUrlLength' || key === 'pollIntervalMs' || key === 'tradesPerPoll';
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || (mustBePositive && value <= 0)) {
      issues.push({ path: key, message: mustBePositive ? 'must be a positive number' : 'must be >= 0', value });
    }
    settings[key] = value;
  }
  if (issues.length > 0) throw new ConfigError(issues);
  return settings;
}

function settledResult<T>(symbol: MarketCode, outcome: PromiseSettledResult<T>): SymbolResult<T> {
  return outcome.status === 'fulfilled'
    ? { symbol, ok: true, value: outcome.value }
    : { symbol, ok: false, error: toMarketDataError(outcome.reason, { channel: 'rest', symbol }) };
}

function timing<T>(response: UpbitResponse<T>): { receivedAt: number; latencyMs: number } {
  return { receivedAt: response.receivedAt, latencyMs: response.latencyMs };
}

/**
 * The domain face of Upbit's REST API: tickers, order books, trades, candles and the market list as domain types,
 * each record carrying `exchangeTimestamp`, `receivedAt` and `latencyMs`.
 *
 * `getTicker` calls made close together are coalesced into one `/v1/ticker?markets=…` request (see
 * `TickerCoalescer`). The `watch*` methods are **paced polling**, not a stream: REST has no push, so each poll is a
 * request spent from the group's budget (10/s per group); use the WebSocket source for live updates.
 */
export class UpbitRestSource implements TickerSource, OrderBookSource, TradeSource, CandleSource, MarketListSource {
  readonly channel = 'rest' as const;
  readonly client: UpbitRestClient;
  private readonly ownsClient: boolean;
  private readonly coalescer: TickerCoalescer;
  /** The listed market codes, shared by `getMarkets` and the coalescer's 404 handling. */
  private readonly listed: ListedMarkets;
  private readonly settings: SourceSettings;
  private readonly lifetime = new AbortController();

  constructor(options: UpbitRestSourceOptions = {}) {
    this.settings = checkedSettings(options);
    this.ownsClient = options.client === undefined;
    this.client = options.client ?? new UpbitRestClient(options);
    const { clock, logger } = this.client.options;
    this.listed = new ListedMarkets({
      ttlMs: this.settings.marketListTtlMs,
      retryAfterFailureMs: MARKET_LIST_RETRY_AFTER_FAILURE_MS,
      clock,
      logger: logger.child({ component: 'listed-markets' }),
      load: async (signal) =>
        (await this.client.getMarkets({ isDetails: true }, { signal })).data.map((market) => market.market),
    });
    this.coalescer = new TickerCoalescer({
      windowMs: this.settings.coalesceWindowMs,
      maxUrlLength: this.settings.maxUrlLength,
      unknownSymbolTtlMs: this.settings.unknownSymbolTtlMs,
      clock,
      logger: logger.child({ component: 'ticker-coalescer' }),
      fetchBatch: (markets, signal) => this.client.getTickers(markets, { signal }),
      listedMarkets: (signal) => this.listed.get(signal),
      urlLength: (markets) => this.client.urlFor('/v1/ticker', { markets }).length,
    });
  }

  async getTicker(symbol: MarketCode, options: RequestOptions = {}): Promise<ChannelTicker> {
    const ticket = this.coalescer.request(parseMarketCode(symbol));
    const hit = await this.limited(ticket.promise, options, 'getTicker', ticket.leave);
    return mapTicker(hit.ticker, hit.timing);
  }

  async getTickers(
    symbols: readonly MarketCode[],
    options: RequestOptions = {},
  ): Promise<readonly SymbolResult<ChannelTicker>[]> {
    // One deadline and one abort listener for the whole batch (not one per symbol); a batch that runs out of time
    // still answers per symbol, every symbol carrying that error, and stops the requests made only for it.
    const tickets = symbols.map((symbol) => this.ticket(symbol));
    const requests = tickets.map(async (ticket) => {
      const hit = await ticket.promise;
      return mapTicker(hit.ticker, hit.timing);
    });
    const leaveAll = (): void => {
      for (const ticket of tickets) ticket.leave();
    };
    let outcomes: readonly PromiseSettledResult<ChannelTicker>[];
    try {
      outcomes = await this.limited(Promise.allSettled(requests), options, 'getTickers', leaveAll);
    } catch (error) {
      outcomes = symbols.map(() => ({ status: 'rejected', reason: error }));
    }
    return outcomes.map((outcome, index) => settledResult(symbols[index] as MarketCode, outcome));
  }

  async getOrderBook(symbol: MarketCode, options: RequestOptions = {}): Promise<OrderBook> {
    const code = parseMarketCode(symbol);
    const response = await this.client.getOrderBooks([code], {}, options);
    const book = response.data.find((item) => item.market === code);
    if (book === undefined) throw new UnknownSymbolError(code, { channel: 'rest', operation: 'getOrderBook' });
    return mapOrderBook(book, timing(response));
  }

  async getTrades(
    symbol: MarketCode,
    options: RequestOptions & { readonly count?: number } = {},
  ): Promise<readonly Trade[]> {
    const response = await this.client.getTrades(parseMarketCode(symbol), { count: options.count }, options);
    return response.data.map((trade) => mapTrade(trade, timing(response)));
  }

  async getCandles(symbol: MarketCode, query: CandleQuery): Promise<readonly Candle[]> {
    const code = parseMarketCode(symbol);
    const { interval } = query;
    const params = { count: query.count, to: query.to === undefined ? undefined : formatUpbitTo(query.to) };
    let response: UpbitResponse<readonly UpbitCandle[]>;
    if (interval.unit === 'minutes') {
      if (!UPBIT_MINUTE_UNITS.includes(interval.size as UpbitMinuteUnit)) {
        throw new DataValidationError(`Minute candles come in ${UPBIT_MINUTE_UNITS.join(', ')} minutes`, {
          channel: 'rest',
          path: 'interval.size',
          value: interval.size,
        });
      }
      response = await this.client.getMinuteCandles(interval.size as UpbitMinuteUnit, code, params, query);
    } else {
      if (interval.size !== 1) {
        throw new DataValidationError(`${interval.unit} candles have size 1`, {
          channel: 'rest',
          path: 'interval.size',
          value: interval.size,
        });
      }
      const fetch = {
        days: () => this.client.getDayCandles(code, params, query),
        weeks: () => this.client.getWeekCandles(code, params, query),
        months: () => this.client.getMonthCandles(code, params, query),
      }[interval.unit];
      response = await fetch();
    }
    return response.data.map((candle) => mapCandle(candle, interval, timing(response)));
  }

  /** `/v1/market/all` with details; the answer also refreshes the listed markets used to isolate unknown codes. */
  async getMarkets(options: RequestOptions = {}): Promise<readonly Market[]> {
    return (await this.fetchMarkets(options)).map(mapMarket);
  }

  /**
   * Paced polling of `/v1/ticker` every `pollIntervalMs` (through the coalescer), yielding a ticker only when its
   * `timestamp` moved. A market Upbit does not know is dropped with a warning; when none is left, the iterator
   * throws `UnknownSymbolError`.
   */
  watchTickers(symbols: readonly MarketCode[], options: WatchOptions = {}): AsyncIterable<ChannelTicker> {
    const watched = new Set(symbols.map((symbol) => parseMarketCode(symbol)));
    const lastSeen = new Map<MarketCode, number>();
    return this.poll(options, async () => {
      const results = await this.getTickers([...watched]);
      const fresh: ChannelTicker[] = [];
      let lastUnknown: MarketDataError | undefined;
      for (const result of results) {
        if (result.ok) {
          if ((lastSeen.get(result.symbol) ?? -1) < result.value.exchangeTimestamp) {
            lastSeen.set(result.symbol, result.value.exchangeTimestamp);
            fresh.push(result.value);
          }
        } else if (isUnknownSymbolError(result.error)) {
          lastUnknown = result.error;
          watched.delete(result.symbol);
          this.client.options.logger.warn('Unknown market dropped from watchTickers', { symbol: result.symbol });
        } else {
          throw result.error;
        }
      }
      if (watched.size === 0) throw new StopPolling(lastUnknown);
      return fresh;
    });
  }

  /** Paced polling of `/v1/orderbook` (one request per URL-length chunk), yielding books whose timestamp moved. */
  watchOrderBooks(symbols: readonly MarketCode[], options: WatchOptions = {}): AsyncIterable<OrderBook> {
    const codes = [...new Set(symbols.map((symbol) => parseMarketCode(symbol)))];
    const chunks = chunkByUrlLength(
      codes,
      this.settings.maxUrlLength,
      (run) => this.client.urlFor('/v1/orderbook', { markets: run }).length,
    );
    const lastSeen = new Map<string, number>();
    return this.poll(options, async () => {
      const responses = await Promise.all(chunks.map((chunk) => this.client.getOrderBooks(chunk)));
      const fresh: OrderBook[] = [];
      for (const response of responses) {
        for (const book of response.data) {
          if ((lastSeen.get(book.market) ?? -1) >= book.timestamp) continue;
          lastSeen.set(book.market, book.timestamp);
          fresh.push(mapOrderBook(book, timing(response)));
        }
      }
      return fresh;
    });
  }

  /**
   * Paced polling of `/v1/trades/ticks` per market (one request per market per poll, crix-trades budget), yielding
   * trades newer than the last `sequential_id` seen, oldest first. The first poll yields the latest trade only. If
   * more than `tradesPerPoll` trades happened between two polls, the older ones are missed (a warning says so).
   */
  watchTrades(symbols: readonly MarketCode[], options: WatchOptions = {}): AsyncIterable<Trade> {
    const codes = [...new Set(symbols.map((symbol) => parseMarketCode(symbol)))];
    const cursors = new Map<MarketCode, bigint>();
    const { logger } = this.client.options;
    return this.poll(options, async () => {
      const pages = await Promise.all(
        codes.map(async (code) => {
          const first = !cursors.has(code);
          const trades = await this.getTrades(code, { count: first ? 1 : this.settings.tradesPerPoll });
          const { fresh, cursor, gapPossible } = newTradesSince(trades, cursors.get(code));
          if (cursor !== undefined) cursors.set(code, cursor);
          if (gapPossible) logger.warn('Trades may have been missed between polls', { symbol: code });
          return fresh;
        }),
      );
      return pages.flat();
    });
  }

  async close(): Promise<void> {
    if (this.lifetime.signal.aborted) return;
    this.lifetime.abort(new ClosedError('Upbit REST source', { channel: 'rest' }));
    this.coalescer.close();
    if (this.ownsClient) this.client.close();
  }

  /** The same URL as the list's own load, so a `getMarkets` and a load in flight together share one request. */
  private async fetchMarkets(options: RequestOptions): Promise<readonly UpbitMarket[]> {
    const response = await this.client.getMarkets({ isDetails: true }, options);
    this.listed.record(response.data.map((market) => market.market));
    return response.data;
  }

  private ticket(symbol: MarketCode): TickerTicket {
    try {
      return this.coalescer.request(parseMarketCode(symbol));
    } catch (error) {
      return { promise: Promise.reject(error), leave: () => undefined };
    }
  }

  private limited<T>(
    work: Promise<T>,
    options: RequestOptions,
    operation: string,
    leave: () => void = () => undefined,
  ): Promise<T> {
    return awaitWithLimits(
      work,
      { signal: options.signal, timeoutMs: options.timeoutMs, operation },
      this.client.options.clock,
      leave,
    );
  }

  private poll<T>(options: WatchOptions, poll: () => Promise<readonly T[]>): AsyncIterable<T> {
    if (this.lifetime.signal.aborted) throw new ClosedError('Upbit REST source', { channel: 'rest' });
    const signal =
      options.signal === undefined ? this.lifetime.signal : AbortSignal.any([options.signal, this.lifetime.signal]);
    const { clock, logger } = this.client.options;
    return pollLoop({ clock, logger, intervalMs: this.settings.pollIntervalMs, signal, poll });
  }
}

/** Creates the REST source (and its own client unless `options.client` is given). */
export function createUpbitRestSource(options: UpbitRestSourceOptions = {}): UpbitRestSource {
  return new UpbitRestSource(options);
}
