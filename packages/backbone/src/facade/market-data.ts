import {
  type ChannelTicker,
  type Clock,
  ClosedError,
  type Logger,
  type MarketCode,
  type MarketDataError,
  type MarketListSource,
  type OrderBook,
  type OrderBookSource,
  parseMarketCode,
  type StreamingSource,
  silentLogger,
  type Ticker,
  type TickerSource,
  type Trade,
  type TradeSource,
  toMarketDataError,
} from '@marketdata/domain';
import { TtlCache } from '../cache/ttl-cache.js';
import type { BackboneConfig, BackboneConfigInput } from '../config/backbone-config.js';
import { MarketDirectory, marketListSourceOf } from '../directory/market-directory.js';
import { ChannelRouter } from '../router/channel-router.js';
import { toPrometheus } from '../stats/prometheus.js';
import { StatsCollector } from '../stats/stats-collector.js';
import { type StatsSnapshot, websocketStreamStats } from '../stats/stats-snapshot.js';
import { systemClock } from '../system-clock.js';
import { Unifier } from '../unifier/unifier.js';
import { cacheCondition } from './backbone-parts.js';
import {
  echoValue,
  parseWatchSymbols,
  readCallInput,
  readStreamSignal,
  readSymbolList,
  type TickerSourceOption,
} from './call-input.js';
import { checkMarketDataOptions } from './check-options.js';
import { FallbackEpisodes } from './fallback-episodes.js';
import { buildHealthReport, type HealthReport } from './health-report.js';
import type { MarketDataParts } from './market-data-parts.js';
import { resolveTickers } from './ticker-resolver.js';
import { type StreamRegistry, watchOrderBookStream, watchTickerStream, watchTradeStream } from './watch-streams.js';

export type { TickerSourceOption } from './call-input.js';

export interface GetTickerOptions {
  /** Default `auto`: the router decides. An explicit channel is used as asked, without fallback. */
  readonly source?: TickerSourceOption | undefined;
  readonly signal?: AbortSignal | undefined;
}

export interface WatchTickerOptions {
  readonly source?: TickerSourceOption | undefined;
  readonly signal?: AbortSignal | undefined;
}

export interface WatchStreamOptions {
  readonly signal?: AbortSignal | undefined;
}

/** One symbol's outcome in `getTickers`; `symbol` is the caller's input as given (it may be invalid). */
export type TickerResult =
  | { readonly symbol: string; readonly ok: true; readonly value: Ticker }
  | { readonly symbol: string; readonly ok: false; readonly error: MarketDataError };

export interface MarketDataOptions {
  /**
   * The REST channel (it may also answer order books and trades). When it can list markets (`getMarkets`), the list
   * is fetched on first use and refreshed every 10 minutes, so unknown symbols are answered without a request.
   */
  readonly rest: TickerSource & Partial<OrderBookSource & TradeSource & MarketListSource>;
  /** The WebSocket channel; without it (or with `useWebsocket: false`) everything goes through REST. */
  readonly websocket?: StreamingSource | undefined;
  readonly clock?: Clock | undefined;
  readonly logger?: Logger | undefined;
  /** Validated here, with the sources: every problem is listed in one `ConfigError` thrown at construction. */
  readonly config?: BackboneConfigInput | undefined;
}

export interface MarketData {
  readonly config: BackboneConfig;
  getTicker(symbol: string, options?: GetTickerOptions): Promise<Ticker>;
  /** Per-symbol results in input order: one bad or failing symbol never fails the others. */
  getTickers(symbols: readonly string[], options?: GetTickerOptions): Promise<readonly TickerResult[]>;
  watchTickers(symbols: readonly string[], options?: WatchTickerOptions): AsyncIterableIterator<Ticker>;
  watchOrderBooks(symbols: readonly string[], options?: WatchStreamOptions): AsyncIterableIterator<OrderBook>;
  watchTrades(symbols: readonly string[], options?: WatchStreamOptions): AsyncIterableIterator<Trade>;
  stats(): StatsSnapshot;
  /** `stats()` in the Prometheus text format. */
  toPrometheus(): string;
  health(): HealthReport;
  /** Ends streams, releases subscriptions, closes both sources. Idempotent; later calls get `ClosedError`. */
  close(): Promise<void>;
}

/**
 * The backbone's facade: a thin layer over the router, unifier, cache and stats. It takes ownership of the
 * sources (closing it closes them).
 */
export function createMarketData(options: MarketDataOptions): MarketData {
  const config = checkMarketDataOptions(options);
  const clock = options.clock ?? systemClock;
  const logger = (options.logger ?? silentLogger).child({ component: 'backbone' });
  const websocket = config.useWebsocket ? options.websocket : undefined;
  const lifetime = new AbortController();
  const stats = new StatsCollector();
  const cache = new TtlCache<MarketCode, ChannelTicker>({
    ttlMs: config.cacheTtlMs,
    maxEntries: config.cacheMaxEntries,
    clock,
  });
  const unifier = new Unifier({
    clock,
    quality: config.quality,
    staleFactor: config.router.staleFactor,
    cacheTtlMs: config.cacheTtlMs,
    maxSymbols: config.cacheMaxEntries,
  });
  const parts: MarketDataParts = {
    clock,
    logger,
    config,
    rest: options.rest,
    websocket,
    unifier,
    cache,
    stats,
    episodes: new FallbackEpisodes(logger, () => stats.recordEpisode()),
    lifetime: lifetime.signal,
    markets: new MarketDirectory({
      source: marketListSourceOf(options.rest),
      clock,
      logger,
      timeoutMs: config.restTimeoutMs,
      lifetime: lifetime.signal,
    }),
    router: new ChannelRouter({
      clock,
      logger,
      config: config.router,
      websocket,
      cacheCondition: (symbol) => cacheCondition(parts, symbol),
      expectedIntervalMs: (symbol, fromStream) => unifier.expectedIntervalMs(symbol, fromStream),
    }),
  };
  const streams = new Set<() => void>();
  const registry: StreamRegistry = {
    add(stop) {
      streams.add(stop);
      return () => streams.delete(stop);
    },
  };
  let closing: Promise<void> | undefined;

  const assertOpen = (operation: string): void => {
    if (closing !== undefined) throw new ClosedError('MarketData', { channel: 'api', operation });
  };

  const snapshot = (): StatsSnapshot => {
    const histograms = stats.latencyHistograms();
    const bucketsOf = (source: 'rest' | 'websocket' | 'cache') => {
      const histogram = histograms[source];
      const { count, sumMs } = histogram.total;
      return {
        buckets: histogram.cumulativeBuckets().filter((bucket) => Number.isFinite(bucket.le)),
        count,
        sumMs,
      };
    };
    const channels = parts.router.channelViews();
    return {
      ...stats.snapshot(),
      takenAt: clock.now(),
      cache: cache.counters(),
      quality: unifier.counters(),
      routing: parts.router.counters(),
      channels: { rest: channels.rest, websocket: websocket === undefined ? undefined : channels.websocket },
      websocket: websocket === undefined ? undefined : websocketStreamStats(websocket.status(), clock.now()),
      latencyBuckets: { rest: bucketsOf('rest'), websocket: bucketsOf('websocket'), cache: bucketsOf('cache') },
    };
  };

  return {
    config,

    async getTicker(symbol, requestOptions) {
      assertOpen('getTicker');
      const code = parseMarketCode(symbol);
      const { requested, signal } = readCallInput(requestOptions, 'getTicker');
      const outcome = (await resolveTickers(parts, [code], requested, signal)).get(code);
      if (outcome === undefined) throw new ClosedError('MarketData', { channel: 'api', operation: 'getTicker' });
      if (!outcome.ok) throw outcome.error;
      return outcome.value;
    },

    async getTickers(symbols, requestOptions) {
      assertOpen('getTickers');
      const { requested, signal } = readCallInput(requestOptions, 'getTickers');
      // Every position gets a result, holes included (read as `undefined`), each echoing the caller's entry.
      const entries = readSymbolList(symbols, 'getTickers');
      const codes = entries.map((symbol): MarketCode | MarketDataError => {
        try {
          return parseMarketCode(symbol);
        } catch (error) {
          const invalid = toMarketDataError(error, { channel: 'api', operation: 'getTickers' });
          stats.recordError(invalid);
          return invalid;
        }
      });
      const valid = [...new Set(codes.filter((code): code is MarketCode => typeof code === 'string'))];
      const outcomes = valid.length === 0 ? undefined : await resolveTickers(parts, valid, requested, signal);
      return codes.map((code, index): TickerResult => {
        const symbol = echoValue(entries[index]);
        if (typeof code !== 'string') return { symbol, ok: false, error: code };
        const outcome = outcomes?.get(code);
        if (outcome === undefined) {
          return { symbol, ok: false, error: new ClosedError('MarketData', { operation: 'getTickers' }) };
        }
        return outcome.ok ? { symbol, ok: true, value: outcome.value } : { symbol, ok: false, error: outcome.error };
      });
    },

    watchTickers(symbols, watchOptions) {
      assertOpen('watchTickers');
      const codes = parseWatchSymbols(symbols, 'watchTickers');
      const { requested, signal } = readCallInput(watchOptions, 'watchTickers');
      return watchTickerStream(parts, registry, codes, requested, signal);
    },

    watchOrderBooks(symbols, watchOptions) {
      assertOpen('watchOrderBooks');
      const codes = parseWatchSymbols(symbols, 'watchOrderBooks');
      const signal = readStreamSignal(watchOptions, 'watchOrderBooks');
      return watchOrderBookStream(parts, registry, codes, signal);
    },

    watchTrades(symbols, watchOptions) {
      assertOpen('watchTrades');
      const codes = parseWatchSymbols(symbols, 'watchTrades');
      const signal = readStreamSignal(watchOptions, 'watchTrades');
      return watchTradeStream(parts, registry, codes, signal);
    },

    stats: snapshot,

    toPrometheus: () => toPrometheus(snapshot()),

    health() {
      const channels = parts.router.channelViews();
      return buildHealthReport({
        closed: closing !== undefined,
        rest: channels.rest,
        websocket: websocket === undefined ? undefined : channels.websocket,
        websocketStatus: websocket?.status(),
        hotSubscriptions: parts.router.counters().subscriptions.active,
        markets: parts.markets.view(),
        nowMs: clock.now(),
      });
    },

    close() {
      closing ??= (async () => {
        lifetime.abort(new ClosedError('MarketData', { channel: 'api', operation: 'close' }));
        for (const stop of [...streams]) stop();
        parts.router.close();
        const sources: { close(): Promise<void> }[] = [options.rest];
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
