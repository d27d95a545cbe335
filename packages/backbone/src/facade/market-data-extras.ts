import {
  type Clock,
  ClosedError,
  type Logger,
  type MarketCode,
  type MarketDataError,
  type OrderBook,
  type StreamingSource,
  toMarketDataError,
} from '@marketdata/domain';
import { TtlCache } from '../cache/ttl-cache.js';
import { parseInterval } from '../candles/candle-intervals.js';
import { watchCandles } from '../candles/watch-candles.js';
import type { BackboneConfig } from '../config/backbone-config.js';
import type { FreshnessJudge } from '../freshness/freshness-judge.js';
import type { ChannelRouter } from '../router/channel-router.js';
import type { StatsCollector } from '../stats/stats-collector.js';
import type { Unifier } from '../unifier/unifier.js';
import { BookDemand } from './book-demand.js';
import { type BookOutcome, BookResolver } from './book-resolver.js';
import { echoValue, parseWatchSymbols, readSymbolList } from './call-input.js';
import type { FallbackEpisodes } from './fallback-episodes.js';
import { HistoryCalls } from './history-calls.js';
import type { GradedOrderBook, SymbolOutcome } from './market-data-results.js';
import type { MarketData, RestTickerSource } from './market-data-types.js';
import type { MarketDetails } from './market-details.js';
import { getMarketList } from './market-list.js';
import {
  readBookOptions,
  readCandleOptions,
  readMarketsOptions,
  readTradeOptions,
  readWatchCandleOptions,
} from './method-options.js';
import type { RestCallDeps } from './rest-call.js';
import type { StreamOpener } from './stream-opener.js';
import type { SymbolListing } from './symbol-listing.js';
import { parseSymbol } from './symbols.js';

export interface ExtraMethodsDeps {
  readonly config: BackboneConfig;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly rest: RestTickerSource;
  readonly websocket: StreamingSource | undefined;
  readonly router: ChannelRouter;
  readonly judge: FreshnessJudge;
  readonly unifier: Unifier;
  readonly listing: SymbolListing;
  readonly stats: StatsCollector;
  readonly episodes: FallbackEpisodes;
  readonly opener: StreamOpener;
  readonly details: MarketDetails | undefined;
  readonly lifetime: AbortSignal;
  /** Throws `ClosedError` after `close()`. */
  readonly assertOpen: (operation: string) => void;
}

export type ExtraMethods = Pick<
  MarketData,
  'getOrderBook' | 'getOrderBooks' | 'getTrades' | 'getCandles' | 'getMarkets' | 'watchCandles'
> & {
  /** Releases the hot order books' demand (at close). */
  readonly close: () => void;
};

/**
 * The facade's methods beyond tickers: order books (routed, hot ones from the WebSocket), trades, candles, the
 * market list (REST, graded) and the candle series. Each checks its input before any I/O, answers canonical symbols
 * and grades what it hands out.
 */
export function createExtraMethods(deps: ExtraMethodsDeps): ExtraMethods {
  const { config, clock, logger, rest, websocket, router, judge, unifier, listing, stats, episodes } = deps;
  const restCallDeps: RestCallDeps = {
    clock,
    restTimeoutMs: config.restTimeoutMs,
    webSocketTimeoutMs: config.webSocketTimeoutMs,
    lifetime: deps.lifetime,
    listing,
    router,
    stats,
    episodes,
  };
  const demand = new BookDemand({ clock, logger, config: config.router, websocket, judge });
  const books = new BookResolver({
    clock,
    restTimeoutMs: config.restTimeoutMs,
    webSocketTimeoutMs: config.webSocketTimeoutMs,
    lifetime: deps.lifetime,
    rest: rest.getOrderBook === undefined ? undefined : { getOrderBook: rest.getOrderBook.bind(rest) },
    websocket,
    router,
    judge,
    unifier,
    listing,
    stats,
    episodes,
    demand,
    cache: new TtlCache<MarketCode, OrderBook>({
      ttlMs: config.cacheTtlMs,
      maxEntries: config.cacheMaxEntries,
      clock,
    }),
  });
  const history = new HistoryCalls({ deps: restCallDeps, clock, rest, unifier });

  const bookBatch = async (
    symbols: unknown,
    options: unknown,
    operation: string,
  ): Promise<readonly SymbolOutcome<GradedOrderBook>[]> => {
    deps.assertOpen(operation);
    const request = readBookOptions(options, operation);
    const entries = readSymbolList(symbols, operation);
    const codes = entries.map((entry): MarketCode | MarketDataError => {
      try {
        return parseSymbol(entry);
      } catch (error) {
        const invalid = toMarketDataError(error, { channel: 'api', operation });
        stats.recordError(invalid);
        return invalid;
      }
    });
    const valid = [...new Set(codes.filter((code): code is MarketCode => typeof code === 'string'))];
    const outcomes: ReadonlyMap<MarketCode, BookOutcome> =
      valid.length === 0 ? new Map() : await books.resolve(valid, { ...request, operation });
    return codes.map((code, index): SymbolOutcome<GradedOrderBook> => {
      const input = echoValue(entries[index]);
      if (typeof code !== 'string') return { symbol: input, input, ok: false, error: code };
      const outcome = outcomes.get(code) ?? {
        ok: false as const,
        error: new ClosedError('MarketData', { channel: 'api', operation }),
      };
      return outcome.ok
        ? { symbol: code, input, ok: true, value: outcome.value }
        : { symbol: code, input, ok: false, error: outcome.error };
    });
  };

  return {
    async getOrderBook(symbol, options) {
      deps.assertOpen('getOrderBook');
      const code = parseSymbol(symbol);
      const request = readBookOptions(options, 'getOrderBook');
      const outcome = (await books.resolve([code], { ...request, operation: 'getOrderBook' })).get(code);
      if (outcome === undefined) throw new ClosedError('MarketData', { channel: 'api', operation: 'getOrderBook' });
      if (!outcome.ok) throw outcome.error;
      return outcome.value;
    },

    getOrderBooks: (symbols, options) => bookBatch(symbols, options, 'getOrderBooks'),

    async getTrades(symbol, options) {
      deps.assertOpen('getTrades');
      const code = parseSymbol(symbol);
      return history.trades(code, readTradeOptions(options, 'getTrades', clock));
    },

    async getCandles(symbol, options) {
      deps.assertOpen('getCandles');
      const code = parseSymbol(symbol);
      return history.candles(code, readCandleOptions(options, 'getCandles'));
    },

    getMarkets: (async (options?: unknown) => {
      deps.assertOpen('getMarkets');
      const { details, signal } = readMarketsOptions(options, 'getMarkets');
      await deps.details?.settle();
      return getMarketList({ deps: restCallDeps, clock, rest, details: deps.details, unifier }, details, signal);
    }) as MarketData['getMarkets'],

    watchCandles(symbols, interval, options) {
      deps.assertOpen('watchCandles');
      const codes = parseWatchSymbols(symbols, 'watchCandles');
      const spec = parseInterval(interval, 'watchCandles');
      const { history: count, signal } = readWatchCandleOptions(options, 'watchCandles');
      return watchCandles(
        {
          clock,
          logger,
          opener: deps.opener,
          websocket,
          rest,
          history,
          unifier,
          stats,
          webSocketTimeoutMs: config.webSocketTimeoutMs,
        },
        codes,
        spec,
        count,
        signal,
      );
    },

    close: () => demand.close(),
  };
}
