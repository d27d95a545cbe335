import type { Clock, Logger, MarketCode, StreamingSource } from '@marketdata/domain';
import type { RouterConfig } from '../config/backbone-config.js';
import type { FreshnessJudge } from '../freshness/freshness-judge.js';
import { hotCount } from '../router/channel-router.js';
import { HotDemand } from '../router/hot-demand.js';
import { RequestFrequency } from '../router/request-frequency.js';

export interface BookDemandOptions {
  readonly clock: Clock;
  readonly logger: Logger;
  /** The same thresholds as tickers: `hotRequestsPerSecond` over `frequencyWindowMs`. */
  readonly config: RouterConfig;
  readonly websocket: Pick<StreamingSource, 'subscribe'> | undefined;
  readonly judge: FreshnessJudge;
}

const SWEEP_EVERY_REQUESTS = 1024;

/**
 * Hot order books, like hot tickers: a symbol whose `getOrderBook` is asked at least `hotRequestsPerSecond` is held
 * on the WebSocket (`subscribe('orderbook', [symbol])`), so that its next calls are answered from the stream's
 * latest book without a request; it is released the moment it turns cold (the adapter lingers it). Its own request
 * frequency, apart from the tickers': a symbol hot for tickers may be cold for books.
 */
export class BookDemand {
  private readonly frequency: RequestFrequency;
  private readonly demand: HotDemand | undefined;
  private readonly hotCount: number;
  private requests = 0;

  constructor(private readonly options: BookDemandOptions) {
    const { config, clock, logger, websocket, judge } = options;
    this.hotCount = hotCount(config);
    this.frequency = new RequestFrequency({
      windowMs: config.frequencyWindowMs,
      maxSamplesPerSymbol: Math.max(1024, this.hotCount * 2),
    });
    this.demand =
      websocket === undefined
        ? undefined
        : new HotDemand({
            clock,
            logger,
            subscribe: (symbol) => websocket.subscribe('orderbook', [symbol]),
            watch: (symbol) => judge.watch('orderbook', [symbol]),
            hotUntil: (symbol, now) => this.frequency.lastInstantWith(symbol, this.hotCount, now),
          });
  }

  /** Counts a request for the symbol's book and holds or releases it on the WebSocket; true when it is hot. */
  record(symbol: MarketCode): boolean {
    const now = this.options.clock.monotonic();
    this.frequency.record(symbol, now);
    if (++this.requests % SWEEP_EVERY_REQUESTS === 0) this.frequency.sweep(now);
    const hot = this.frequency.ratePerSecond(symbol, now) >= this.options.config.hotRequestsPerSecond;
    this.demand?.update(symbol, hot, now);
    return hot;
  }

  /** Symbols held on the WebSocket for their books. */
  held(): number {
    return this.demand?.counters().active ?? 0;
  }

  close(): void {
    this.demand?.close();
  }
}
