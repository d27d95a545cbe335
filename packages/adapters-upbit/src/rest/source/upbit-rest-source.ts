import {
  type Candle,
  type CandleQuery,
  type CandleSource,
  type ChannelTicker,
  ClosedError,
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
  type TradeQuery,
  type TradeSource,
  toMarketDataError,
  UnknownSymbolError,
  untilAborted,
  type WatchOptions,
} from '@marketdata/domain';
import { mapMarket } from '../mappers/map-market.js';
import { mapOrderBook } from '../mappers/map-orderbook.js';
import { mapTicker } from '../mappers/map-ticker.js';
import { restTiming } from '../mappers/rest-provenance.js';
import { UpbitRestClient } from '../upbit-rest-client.js';
import { candleEndpoint, pageCandles } from './candle-pages.js';
import { chunkByUrlLength } from './chunk-by-url-length.js';
import { MARKET_LIST_RETRY_AFTER_FAILURE_MS, UpbitMarketDirectory } from './market-directory.js';
import { pollLoop, StopPolling } from './poll-loop.js';
import { checkedSettings, type SourceSettings, type UpbitRestSourceOptions } from './source-options.js';
import { TickerBatcher, type TickerTicket } from './ticker-batcher.js';
import { newTradesSince } from './trade-cursor.js';
import { pageTrades, type TradePaging } from './trade-pages.js';

function settledResult<T>(symbol: MarketCode, outcome: PromiseSettledResult<T>): SymbolResult<T> {
  return outcome.status === 'fulfilled'
    ? { symbol, ok: true, value: outcome.value }
    : { symbol, ok: false, error: toMarketDataError(outcome.reason, { channel: 'rest', symbol }) };
}

/**
 * The domain face of Upbit's REST API: tickers, order books, trades, candles and the market list as domain types,
 * each record carrying `exchangeTimestamp`, `receivedAt`, `receivedAtMonotonic` and `latencyMs`. Every call takes
 * `{ signal }`, the caller's one deadline: it bounds everything and the call rejects with its reason the moment it
 * aborts (`getTickers` included). Attempt timeouts and retries are the client's (`attemptTimeoutMs`, `maxRetries`).
 *
 * Symbols are plain strings in every method, checked inside (`InvalidMarketCodeError`): no cast to `MarketCode`.
 * `getCandles` and `getTrades` page past Upbit's per-request maximum (200 candles, 500 trades), each page paced on
 * the shared budget of its group and bound by the caller's signal.
 *
 * `getTicker` calls go through the one ticker batcher (`TickerBatcher`: leading edge, one singleflight). `directory`
 * is the one market list (`UpbitMarketDirectory`). The `watch*` methods are **paced polling**, not a stream: each
 * poll is a request spent from the group's budget (10/s per group); use the WebSocket source for live updates.
 */
export class UpbitRestSource implements TickerSource, OrderBookSource, TradeSource, CandleSource, MarketListSource {
  readonly channel = 'rest' as const;
  readonly client: UpbitRestClient;
  readonly directory: UpbitMarketDirectory;
  private readonly ownsClient: boolean;
  private readonly batcher: TickerBatcher;
  private readonly settings: SourceSettings;
  private readonly lifetime = new AbortController();

  constructor(options: UpbitRestSourceOptions = {}) {
    this.settings = checkedSettings(options);
    this.ownsClient = options.client === undefined;
    this.client = options.client ?? new UpbitRestClient(options);
    const { clock, logger } = this.client.options;
    this.directory = new UpbitMarketDirectory({
      refreshMs: this.settings.marketListTtlMs,
      retryAfterFailureMs: MARKET_LIST_RETRY_AFTER_FAILURE_MS,
      clock,
      logger: logger.child({ component: 'market-directory' }),
      load: async (signal) => (await this.client.getMarkets({ isDetails: true }, { signal })).data.map(mapMarket),
      lifetime: this.lifetime.signal,
    });
    this.batcher = new TickerBatcher({
      maxUrlLength: this.settings.maxUrlLength,
      unknownSymbolTtlMs: this.settings.unknownSymbolTtlMs,
      clock,
      logger: logger.child({ component: 'ticker-batcher' }),
      fetchBatch: (markets, signal) => this.client.getTickers(markets, { signal }),
      directory: this.directory,
      urlLength: (markets) => this.client.urlFor('/v1/ticker', { markets }).length,
    });
  }

  async getTicker(symbol: string, options: RequestOptions = {}): Promise<ChannelTicker> {
    const ticket = this.batcher.request(parseMarketCode(symbol));
    const hit = await untilAborted(ticket.promise, options.signal, ticket.leave);
    return mapTicker(hit.ticker, hit.timing);
  }

  async getTickers(
    symbols: readonly string[],
    options: RequestOptions = {},
  ): Promise<readonly SymbolResult<ChannelTicker>[]> {
    // One abort listener for the whole batch (not one per symbol); on abort the requests made only for it stop.
    const tickets = symbols.map((symbol) => this.ticket(symbol));
    const requests = tickets.map(async (ticket) => {
      const hit = await ticket.promise;
      return mapTicker(hit.ticker, hit.timing);
    });
    const leaveAll = (): void => {
      for (const ticket of tickets) ticket.leave();
    };
    const outcomes = await untilAborted(Promise.allSettled(requests), options.signal, leaveAll);
    // A symbol that is not a valid code is echoed as given (its error says why).
    return outcomes.map((outcome, index) => settledResult(symbols[index] as MarketCode, outcome));
  }

  async getOrderBook(symbol: string, options: RequestOptions = {}): Promise<OrderBook> {
    const code = parseMarketCode(symbol);
    const response = await this.client.getOrderBooks([code], {}, options);
    const book = response.data.find((item) => item.market === code);
    if (book === undefined) throw new UnknownSymbolError(code, { channel: 'rest', operation: 'getOrderBook' });
    return mapOrderBook(book, restTiming(response));
  }

  /**
   * Trades newest first (see `TradeQuery`): `count` beyond Upbit's 500 per request is paged by `cursor` (several
   * paced requests, no trade twice), up to `maxTradesPerCall`. `cursor`, `to` and `daysAgo` go to Upbit as given.
   */
  async getTrades(symbol: string, options: TradeQuery = {}): Promise<readonly Trade[]> {
    const code = parseMarketCode(symbol);
    const page: TradePaging['page'] = (params, request) => this.client.getTrades(code, params, request);
    return pageTrades({ page, code, query: options, maxCount: this.settings.maxTradesPerCall });
  }

  /**
   * Candles newest first, any unit and size Upbit offers (`seconds` 1; `minutes` 1, 3, 5, 10, 15, 30, 60, 240;
   * `days`, `weeks`, `months`, `years` 1). `count` beyond Upbit's 200 per request is paged walking `to` back, up to
   * `maxCandlesPerCall`; without `count`, one request (Upbit's default, 1 candle).
   */
  async getCandles(symbol: string, query: CandleQuery): Promise<readonly Candle[]> {
    const code = parseMarketCode(symbol);
    const page = candleEndpoint(this.client, code, query.interval);
    return pageCandles({ page, code, query, maxCount: this.settings.maxCandlesPerCall });
  }

  /**
   * Every listed market, from the directory: a fresh list is answered as is, an older one is loaded first (one
   * load for every caller). Rejects with the load's error when no fresh list could be had.
   */
  async getMarkets(options: RequestOptions = {}): Promise<readonly Market[]> {
    await this.directory.ready(options);
    const list = this.directory.freshList();
    if ('markets' in list) return list.markets;
    throw list.error ?? new ClosedError('Upbit REST source', { channel: 'rest', operation: 'getMarkets' });
  }

  /**
   * Paced polling of `/v1/ticker` every `pollIntervalMs` (through the batcher), yielding a ticker only when its
   * `timestamp` moved. A market Upbit does not know is dropped with a warning; when none is left, the iterator
   * throws `UnknownSymbolError`.
   */
  watchTickers(symbols: readonly string[], options: WatchOptions = {}): AsyncIterable<ChannelTicker> {
    const watched = new Set(symbols.map((symbol) => parseMarketCode(symbol)));
    const lastSeen = new Map<MarketCode, number>();
    return this.poll(options, async (signal) => {
      const results = await this.getTickers([...watched], { signal });
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
  watchOrderBooks(symbols: readonly string[], options: WatchOptions = {}): AsyncIterable<OrderBook> {
    const codes = [...new Set(symbols.map((symbol) => parseMarketCode(symbol)))];
    const chunks = chunkByUrlLength(
      codes,
      this.settings.maxUrlLength,
      (run) => this.client.urlFor('/v1/orderbook', { markets: run }).length,
    );
    const lastSeen = new Map<string, number>();
    return this.poll(options, async (signal) => {
      const responses = await Promise.all(chunks.map((chunk) => this.client.getOrderBooks(chunk, {}, { signal })));
      const fresh: OrderBook[] = [];
      for (const response of responses) {
        const timing = restTiming(response);
        for (const book of response.data) {
          if ((lastSeen.get(book.market) ?? -1) >= book.timestamp) continue;
          lastSeen.set(book.market, book.timestamp);
          fresh.push(mapOrderBook(book, timing));
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
  watchTrades(symbols: readonly string[], options: WatchOptions = {}): AsyncIterable<Trade> {
    const codes = [...new Set(symbols.map((symbol) => parseMarketCode(symbol)))];
    const cursors = new Map<MarketCode, bigint>();
    const { logger } = this.client.options;
    return this.poll(options, async (signal) => {
      const pages = await Promise.all(
        codes.map(async (code) => {
          const first = !cursors.has(code);
          const trades = await this.getTrades(code, { count: first ? 1 : this.settings.tradesPerPoll, signal });
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
    this.batcher.close();
    if (this.ownsClient) this.client.close();
  }

  private ticket(symbol: string): TickerTicket {
    try {
      return this.batcher.request(parseMarketCode(symbol));
    } catch (error) {
      const promise = Promise.reject(error);
      promise.catch(() => undefined);
      return { promise, leave: () => undefined };
    }
  }

  private poll<T>(options: WatchOptions, poll: (signal: AbortSignal) => Promise<readonly T[]>): AsyncIterable<T> {
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
