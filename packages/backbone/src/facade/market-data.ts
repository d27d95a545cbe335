import {
  ClosedError,
  type MarketCode,
  type MarketDataError,
  silentLogger,
  systemClock,
  toMarketDataError,
} from '@marketdata/domain';
import { TickerCache } from '../cache/ticker-cache.js';
import { FreshnessJudge } from '../freshness/freshness-judge.js';
import { ChannelRouter } from '../router/channel-router.js';
import { toPrometheus } from '../stats/prometheus.js';
import { StatsCollector } from '../stats/stats-collector.js';
import { buildStatsSnapshot, type StatsSnapshot } from '../stats/stats-snapshot.js';
import { Unifier } from '../unifier/unifier.js';
import { echoValue, parseWatchSymbols, readCallInput, readStreamSignal, readSymbolList } from './call-input.js';
import { checkMarketDataOptions } from './check-options.js';
import { FallbackEpisodes } from './fallback-episodes.js';
import { buildHealthReport } from './health-report.js';
import { createExtraMethods } from './market-data-extras.js';
import type { MarketData, MarketDataOptions, TickerResult } from './market-data-types.js';
import { MarketDetails } from './market-details.js';
import { StreamFallbacks } from './stream-fallbacks.js';
import { StreamOpener } from './stream-opener.js';
import { SymbolListing } from './symbol-listing.js';
import { parseSymbol } from './symbols.js';
import { TickerResolver } from './ticker-resolver.js';
import { WatchStreams } from './watch-streams.js';

/**
 * The backbone's facade: wires the parts, each given only the collaborators it uses, and checks every call's input
 * before any I/O. It takes ownership of the sources (closing it closes them).
 */
export function createMarketData(options: MarketDataOptions): MarketData {
  const config = checkMarketDataOptions(options);
  const clock = options.clock ?? systemClock;
  const logger = (options.logger ?? silentLogger).child({ component: 'backbone' });
  const rest = options.rest;
  const websocket = config.useWebSocket ? options.websocket : undefined;
  const lifetime = new AbortController();
  const stats = new StatsCollector();
  const judge = new FreshnessJudge({
    clock,
    settings: config.freshness,
    maxSymbols: config.cacheMaxEntries,
    initial: websocket?.status(),
  });
  const stopObserving = websocket?.observe(judge.observer);
  const cache = new TickerCache({ clock, ttlMs: config.cacheTtlMs, maxEntries: config.cacheMaxEntries, judge });
  const getMarkets = rest.getMarkets;
  const details =
    rest.directory === undefined || getMarkets === undefined
      ? undefined
      : new MarketDetails({
          directory: rest.directory,
          getMarkets: (request) => getMarkets.call(rest, request),
          logger,
          lifetime: lifetime.signal,
        });
  const unifier = new Unifier({
    clock,
    quality: config.quality,
    cacheTtlMs: config.cacheTtlMs,
    maxSymbols: config.cacheMaxEntries,
    judge,
    marketDetails: details === undefined ? undefined : (symbol) => details.facts(symbol),
    latestTicker: websocket === undefined ? undefined : (symbol) => websocket.latest('ticker', symbol),
  });
  const router = new ChannelRouter({
    clock,
    logger,
    config: config.router,
    webSocket: websocket,
    judge,
    cacheCondition: (symbol, now) => cache.condition(symbol, now),
  });
  const listing = new SymbolListing({
    directory: rest.directory,
    stats,
    logger,
    seen: (symbol) => unifier.hasSeen(symbol),
    afterReady: () => details?.settle(),
  });
  const episodes = new FallbackEpisodes(clock, logger, () => stats.recordEpisode());
  const fallbacks = new StreamFallbacks(clock);
  const resolver = new TickerResolver({
    clock,
    restTimeoutMs: config.restTimeoutMs,
    webSocketTimeoutMs: config.webSocketTimeoutMs,
    rest,
    websocket,
    router,
    unifier,
    cache,
    stats,
    episodes,
    listing,
    lifetime: lifetime.signal,
  });
  const opener = new StreamOpener({
    clock,
    logger,
    stats,
    listing,
    listingTimeoutMs: config.restTimeoutMs,
    lifetime: lifetime.signal,
  });
  const streams = new WatchStreams({
    clock,
    opener,
    router,
    rest,
    websocket,
    judge,
    unifier,
    cache,
    stats,
    episodes,
    fallbacks,
    tradeQueueCapacity: config.tradeQueueCapacity,
  });
  let closing: Promise<void> | undefined;

  const assertOpen = (operation: string): void => {
    if (closing !== undefined) throw new ClosedError('MarketData', { channel: 'api', operation });
  };
  const extras = createExtraMethods({
    config,
    clock,
    logger,
    rest,
    websocket,
    router,
    judge,
    unifier,
    listing,
    stats,
    episodes,
    opener,
    details,
    lifetime: lifetime.signal,
    assertOpen,
  });

  const snapshot = (): StatsSnapshot => {
    const channels = router.channelViews();
    return buildStatsSnapshot({
      collector: stats,
      cache: cache.counters(),
      quality: unifier.counters(),
      routing: router.counters(),
      channels: { rest: channels.rest, websocket: websocket === undefined ? undefined : channels.websocket },
      websocketStatus: websocket?.status(),
      nowMs: clock.now(),
    });
  };

  return {
    config,

    async getTicker(symbol, requestOptions) {
      assertOpen('getTicker');
      const code = parseSymbol(symbol);
      const { requested, strict, signal } = readCallInput(requestOptions, 'getTicker');
      const outcome = (await resolver.resolve([code], requested, signal, 'getTicker', strict)).get(code);
      if (outcome === undefined) throw new ClosedError('MarketData', { channel: 'api', operation: 'getTicker' });
      if (!outcome.ok) throw outcome.error;
      return outcome.value;
    },

    async getTickers(symbols, requestOptions) {
      assertOpen('getTickers');
      const { requested, strict, signal } = readCallInput(requestOptions, 'getTickers');
      // Every position gets a result, holes included (read as `undefined`), each echoing the caller's entry.
      const entries = readSymbolList(symbols, 'getTickers');
      const codes = entries.map((symbol): MarketCode | MarketDataError => {
        try {
          return parseSymbol(symbol);
        } catch (error) {
          const invalid = toMarketDataError(error, { channel: 'api', operation: 'getTickers' });
          stats.recordError(invalid);
          return invalid;
        }
      });
      const valid = [...new Set(codes.filter((code): code is MarketCode => typeof code === 'string'))];
      const outcomes =
        valid.length === 0 ? undefined : await resolver.resolve(valid, requested, signal, 'getTickers', strict);
      return codes.map((code, index): TickerResult => {
        const input = echoValue(entries[index]);
        if (typeof code !== 'string') return { symbol: input, input, ok: false, error: code };
        const outcome = outcomes?.get(code);
        if (outcome === undefined) {
          const error = new ClosedError('MarketData', { operation: 'getTickers' });
          return { symbol: code, input, ok: false, error };
        }
        return outcome.ok
          ? { symbol: code, input, ok: true, value: outcome.value }
          : { symbol: code, input, ok: false, error: outcome.error };
      });
    },

    watchTickers(symbols, watchOptions) {
      assertOpen('watchTickers');
      const codes = parseWatchSymbols(symbols, 'watchTickers');
      const { requested, strict, signal } = readCallInput(watchOptions, 'watchTickers');
      return streams.tickers(codes, requested, strict, signal);
    },

    watchOrderBooks(symbols, watchOptions) {
      assertOpen('watchOrderBooks');
      const codes = parseWatchSymbols(symbols, 'watchOrderBooks');
      return streams.orderBooks(codes, readStreamSignal(watchOptions, 'watchOrderBooks'));
    },

    watchTrades(symbols, watchOptions) {
      assertOpen('watchTrades');
      const codes = parseWatchSymbols(symbols, 'watchTrades');
      return streams.trades(codes, readStreamSignal(watchOptions, 'watchTrades'));
    },

    getOrderBook: extras.getOrderBook,
    getOrderBooks: extras.getOrderBooks,
    getTrades: extras.getTrades,
    getCandles: extras.getCandles,
    getMarkets: extras.getMarkets,
    watchCandles: extras.watchCandles,

    stats: snapshot,

    toPrometheus: () => toPrometheus(snapshot()),

    health() {
      const channels = router.channelViews();
      return buildHealthReport({
        closed: closing !== undefined,
        rest: channels.rest,
        websocket: websocket === undefined ? undefined : channels.websocket,
        stream: websocket === undefined ? undefined : judge.report(),
        fallbacks: fallbacks.views(),
        reconnects: websocket?.status().reconnects ?? 0,
        hotSubscriptions: router.counters().subscriptions.active,
        markets: listing.view(),
        nowMs: clock.now(),
      });
    },

    close() {
      closing ??= (async () => {
        lifetime.abort(new ClosedError('MarketData', { channel: 'api', operation: 'close' }));
        opener.closeAll();
        router.close();
        extras.close();
        stopObserving?.();
        const sources: { close(): Promise<void> }[] = [rest];
        if (options.websocket !== undefined) sources.push(options.websocket);
        const results = await Promise.allSettled(sources.map((source) => source.close()));
        for (const result of results) {
          if (result.status === 'rejected') logger.warn('a source failed to close', { error: result.reason });
        }
        logger.info('market data closed');
      })();
      return closing;
    },
  };
}
