import {
  CANDLE_STREAM_KINDS,
  type ChannelKind,
  type DataSource,
  type MarketDataError,
  type StreamKind,
} from '@marketdata/domain';
import { LatencyHistogram, type LatencySummary } from './latency-histogram.js';

/** A fallback, as `preferred->served` (e.g. `websocket->rest`). */
export type FallbackRoute = `${ChannelKind}->${DataSource}`;

/** The facade's own counters (requests, served, fallbacks, errors, latency, streams). */
export interface CollectorSnapshot {
  /** Calls made to each live channel (a REST batch is one call). */
  readonly requests: Readonly<Record<ChannelKind, number>>;
  /** Tickers handed out by `getTicker`/`getTickers`, by where they came from. */
  readonly served: Readonly<Record<DataSource, number>>;
  readonly fallbacks: {
    readonly total: number;
    readonly byRoute: Readonly<Partial<Record<FallbackRoute, number>>>;
    /** Fallback episodes (a run of fallbacks away from one channel until it works again). */
    readonly episodes: number;
  };
  readonly errors: {
    readonly total: number;
    /** By the error family's stable code (TIMEOUT, NETWORK, RATE_LIMIT, ...). */
    readonly byKind: Readonly<Record<string, number>>;
  };
  /** End-to-end call latency in the backbone, by where the answer came from (ms). */
  readonly latency: Readonly<Record<DataSource, LatencySummary>>;
  readonly streams: {
    readonly active: number;
    readonly delivered: Readonly<Record<StreamKind, number>>;
    /**
     * Updates replaced by a newer one before a slow consumer took them, counted once: in the consumer's own queue,
     * the only place the backbone conflates (the streaming source pushes every record, with no queue in between).
     */
    readonly conflated: number;
    /** Trades the stream missed that were fetched from REST and delivered in order (marked `backfilled`). */
    readonly backfilled: number;
    /** Trade recoveries that ran out of time or pages: what they did not find stays a reported gap. */
    readonly backfillsAbandoned: number;
  };
}

/** Counters the facade updates as it works. Other parts (cache, unifier, router) count their own. */
export class StatsCollector {
  private readonly requests: Record<ChannelKind, number> = { rest: 0, websocket: 0 };
  private readonly served: Record<DataSource, number> = { rest: 0, websocket: 0, cache: 0 };
  private readonly histograms: Record<DataSource, LatencyHistogram> = {
    rest: new LatencyHistogram(),
    websocket: new LatencyHistogram(),
    cache: new LatencyHistogram(),
  };
  private fallbackTotal = 0;
  private readonly fallbackRoutes: Partial<Record<FallbackRoute, number>> = {};
  private episodes = 0;
  private errorTotal = 0;
  private readonly errorKinds: Record<string, number> = {};
  private activeStreams = 0;
  private readonly delivered = Object.fromEntries(
    (['ticker', 'orderbook', 'trade', ...CANDLE_STREAM_KINDS] as const).map((kind) => [kind, 0]),
  ) as Record<StreamKind, number>;
  private backfilled = 0;
  private backfillsAbandoned = 0;
  private conflated = 0;

  recordRequest(channel: ChannelKind): void {
    this.requests[channel]++;
  }

  recordServed(source: DataSource, latencyMs: number): void {
    this.served[source]++;
    this.histograms[source].record(latencyMs);
  }

  recordFallback(from: ChannelKind, to: DataSource): void {
    this.fallbackTotal++;
    const route: FallbackRoute = `${from}->${to}`;
    this.fallbackRoutes[route] = (this.fallbackRoutes[route] ?? 0) + 1;
  }

  recordEpisode(): void {
    this.episodes++;
  }

  recordError(error: MarketDataError): void {
    this.errorTotal++;
    this.errorKinds[error.code] = (this.errorKinds[error.code] ?? 0) + 1;
  }

  streamOpened(): void {
    this.activeStreams++;
  }

  streamClosed(): void {
    this.activeStreams--;
  }

  recordDelivered(kind: StreamKind): void {
    this.delivered[kind]++;
  }

  recordConflated(count = 1): void {
    this.conflated += count;
  }

  recordBackfill(trades: number, abandoned: boolean): void {
    this.backfilled += trades;
    if (abandoned) this.backfillsAbandoned++;
  }

  snapshot(): CollectorSnapshot {
    return {
      requests: { ...this.requests },
      served: { ...this.served },
      fallbacks: { total: this.fallbackTotal, byRoute: { ...this.fallbackRoutes }, episodes: this.episodes },
      errors: { total: this.errorTotal, byKind: { ...this.errorKinds } },
      latency: {
        rest: this.histograms.rest.summary(),
        websocket: this.histograms.websocket.summary(),
        cache: this.histograms.cache.summary(),
      },
      streams: {
        active: this.activeStreams,
        delivered: { ...this.delivered },
        conflated: this.conflated,
        backfilled: this.backfilled,
        backfillsAbandoned: this.backfillsAbandoned,
      },
    };
  }

  /** The histograms themselves, for the Prometheus rendering. */
  latencyHistograms(): Readonly<Record<DataSource, LatencyHistogram>> {
    return this.histograms;
  }
}
