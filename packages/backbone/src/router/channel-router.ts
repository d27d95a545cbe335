import type { ChannelKind, Clock, Logger, MarketCode, StreamingSource } from '@marketdata/domain';
import type { RouterConfig } from '../config/backbone-config.js';
import { WallToMonotonic } from '../unifier/wall-to-monotonic.js';
import { ChannelHealth, type ChannelHealthView, type HealthTransition } from './channel-health.js';
import { decideFallback, decideRoute } from './decide-route.js';
import { HotSubscriptions, type SubscriptionCounters } from './hot-subscriptions.js';
import { RequestFrequency } from './request-frequency.js';
import type {
  CacheCondition,
  DataKind,
  FallbackDecision,
  RequestedSource,
  RouteDecision,
  RouteOperation,
  RouteReason,
  StreamCondition,
} from './route-types.js';

export interface ChannelRouterOptions {
  readonly clock: Clock;
  readonly logger: Logger;
  readonly config: RouterConfig;
  /** Undefined (or switched off by configuration): REST only. */
  readonly websocket: StreamingSource | undefined;
  /** The symbol's cache entry within its TTL, if any. */
  readonly cacheCondition: (symbol: MarketCode) => CacheCondition | undefined;
  /** The symbol's expected update interval, given the stream's own figure if it has one. */
  readonly expectedIntervalMs: (symbol: MarketCode, fromStream?: number) => number;
}

export interface RouteRequest {
  readonly symbol: MarketCode;
  readonly kind: DataKind;
  readonly operation: RouteOperation;
  readonly requested: RequestedSource;
}

export interface RouterCounters {
  readonly decisions: Readonly<Partial<Record<RouteReason, number>>>;
  readonly probes: number;
  readonly subscriptions: SubscriptionCounters;
}

const SWEEP_EVERY_REQUESTS = 1024;
/** Symbols whose last stream update instant is remembered (more than Upbit lists); the oldest are forgotten. */
const MAX_UPDATE_INSTANTS = 4096;

/** A stream's last-update wall stamp and the monotonic instant it was first read as. */
interface UpdateInstant {
  readonly wallMs: number;
  readonly monotonic: number;
}

/**
 * The router's small state around the pure `decideRoute`: request frequency per symbol, health per channel and
 * the hot symbols' WebSocket subscriptions. Each `route` call records the request, applies the subscription rule,
 * gathers the conditions and returns the decision with its reason.
 */
export class ChannelRouter {
  private readonly frequency: RequestFrequency;
  private readonly health: Record<ChannelKind, ChannelHealth>;
  private readonly subscriptions: HotSubscriptions;
  private readonly decisions: Partial<Record<RouteReason, number>> = {};
  private readonly wallToMonotonic: WallToMonotonic;
  private readonly updateInstants = new Map<MarketCode, UpdateInstant>();
  private probes = 0;
  private requests = 0;

  constructor(private readonly options: ChannelRouterOptions) {
    const { config, clock } = options;
    this.wallToMonotonic = new WallToMonotonic(clock);
    this.frequency = new RequestFrequency({
      windowMs: config.frequencyWindowMs,
      maxSamplesPerSymbol: Math.max(
        1024,
        Math.ceil((config.hotRequestsPerSecond * config.frequencyWindowMs) / 1000) * 2,
      ),
    });
    this.health = {
      rest: new ChannelHealth('rest', true, config),
      websocket: new ChannelHealth('websocket', options.websocket !== undefined, config),
    };
    this.subscriptions = new HotSubscriptions({
      clock,
      logger: options.logger,
      websocket: options.websocket,
      graceMs: config.unsubscribeGraceMs,
      maintenanceIntervalMs: config.maintenanceIntervalMs,
      isHot: (symbol, now) => this.isHot(symbol, now),
      onMaintenance: (now) => this.frequency.sweep(now),
    });
  }

  route(request: RouteRequest): RouteDecision {
    // Sampling the wall clock on every request keeps wall-clock jumps well located in time.
    const now = this.wallToMonotonic.sample();
    const counted = request.kind === 'ticker' && request.operation === 'get';
    if (counted) {
      this.frequency.record(request.symbol, now);
      if (++this.requests % SWEEP_EVERY_REQUESTS === 0) this.frequency.sweep(now);
    }
    const rate = this.frequency.ratePerSecond(request.symbol, now);
    if (counted) this.subscriptions.update(request.symbol, rate >= this.options.config.hotRequestsPerSecond, now);

    const decision = decideRoute({
      kind: request.kind,
      operation: request.operation,
      requested: request.requested,
      requestRatePerSecond: rate,
      rest: this.health.rest.condition(now),
      websocket: this.health.websocket.condition(now),
      stream: request.kind === 'ticker' ? this.streamCondition(request.symbol) : undefined,
      cache:
        request.kind === 'ticker' && request.operation === 'get'
          ? this.options.cacheCondition(request.symbol)
          : undefined,
      thresholds: this.options.config,
    });
    this.decisions[decision.reason] = (this.decisions[decision.reason] ?? 0) + 1;
    if (decision.probe && (decision.channel === 'rest' || decision.channel === 'websocket')) {
      this.health[decision.channel].beginProbe();
      this.probes++;
      this.options.logger.info('probing a disabled channel', { channel: decision.channel, symbol: request.symbol });
    }
    return decision;
  }

  /** Where to go after `attempted`'s last channel failed; a fallback to a probe-due channel is its probe. */
  fallback(
    requested: RequestedSource,
    attempted: readonly ChannelKind[],
    channelFault: boolean,
    cache: CacheCondition | undefined,
  ): FallbackDecision & { readonly probe: boolean } {
    const now = this.options.clock.monotonic();
    const decision = decideFallback({
      requested,
      attempted,
      channelFault,
      rest: this.health.rest.condition(now),
      websocket: this.health.websocket.condition(now),
      cache,
    });
    const target = decision.channel;
    const probe = (target === 'rest' || target === 'websocket') && this.health[target].state(now) === 'probe-due';
    if (probe) {
      this.health[target].beginProbe();
      this.probes++;
      this.options.logger.info('probing a disabled channel', { channel: target });
    }
    return { ...decision, probe };
  }

  recordSuccess(channel: ChannelKind, latencyMs: number | undefined): void {
    this.logTransition(channel, this.health[channel].recordSuccess(this.options.clock.monotonic(), latencyMs));
  }

  recordFailure(channel: ChannelKind, error: string): void {
    this.logTransition(channel, this.health[channel].recordFailure(this.options.clock.monotonic(), error), error);
  }

  /** The outcome of a probe is unknown (the call was aborted by the caller or by close). */
  abandonProbe(channel: ChannelKind): void {
    this.health[channel].abandonProbe();
  }

  /** The WebSocket's view of a symbol's ticker stream, judged against the symbol's own rhythm. */
  streamCondition(symbol: MarketCode): StreamCondition | undefined {
    const websocket = this.options.websocket;
    if (websocket === undefined) return undefined;
    const subscribed = this.subscriptions.isSubscribed(symbol);
    const freshness = websocket.freshness(symbol, 'ticker');
    if (freshness === undefined) {
      return subscribed
        ? {
            subscribed,
            sinceUpdateMs: undefined,
            expectedIntervalMs: this.options.expectedIntervalMs(symbol),
            suspectedStale: false,
          }
        : undefined;
    }
    return {
      subscribed,
      sinceUpdateMs:
        freshness.lastUpdateAt === undefined ? undefined : this.sinceUpdateMs(symbol, freshness.lastUpdateAt),
      expectedIntervalMs: this.options.expectedIntervalMs(symbol, freshness.expectedIntervalMs),
      suspectedStale: freshness.suspectedStale,
    };
  }

  isHot(symbol: MarketCode, now = this.options.clock.monotonic()): boolean {
    return this.frequency.ratePerSecond(symbol, now) >= this.options.config.hotRequestsPerSecond;
  }

  isSubscribed(symbol: MarketCode): boolean {
    return this.subscriptions.isSubscribed(symbol);
  }

  channelViews(): { readonly rest: ChannelHealthView; readonly websocket: ChannelHealthView } {
    const now = this.options.clock.monotonic();
    return { rest: this.health.rest.view(now), websocket: this.health.websocket.view(now) };
  }

  counters(): RouterCounters {
    return { decisions: { ...this.decisions }, probes: this.probes, subscriptions: this.subscriptions.counters() };
  }

  close(): void {
    this.subscriptions.close();
  }

  /**
   * Time since the stream's last update, measured on the monotonic clock: the stream stamps updates with wall time,
   * which can jump. Each stamp is translated when first read and that reading is kept, so that it does not shift
   * later; a stamp not yet in the past (or that cannot be placed) reads as "just now" and is translated again.
   */
  private sinceUpdateMs(symbol: MarketCode, lastUpdateAt: number): number {
    const known = this.updateInstants.get(symbol);
    const now = this.options.clock.monotonic();
    if (known !== undefined && known.wallMs === lastUpdateAt) return Math.max(0, now - known.monotonic);
    const instant = this.wallToMonotonic.toMonotonic(lastUpdateAt);
    if (instant === undefined || instant > now) return 0;
    this.updateInstants.delete(symbol);
    this.updateInstants.set(symbol, { wallMs: lastUpdateAt, monotonic: instant });
    if (this.updateInstants.size > MAX_UPDATE_INSTANTS) {
      const oldest = this.updateInstants.keys().next();
      if (oldest.done !== true) this.updateInstants.delete(oldest.value);
    }
    return now - instant;
  }

  private logTransition(channel: ChannelKind, transition: HealthTransition | undefined, error?: string): void {
    if (transition === undefined) return;
    const view = this.health[channel].view(this.options.clock.monotonic());
    if (transition === 'disabled') {
      this.options.logger.warn('channel disabled after consecutive failures', {
        channel,
        failures: view.consecutiveFailures,
        retryInMs: view.currentBackoffMs,
        error,
      });
    } else if (transition === 'recovered') {
      this.options.logger.info('channel re-enabled after a successful probe', { channel });
    } else {
      this.options.logger.debug('recovery probe failed', { channel, nextProbeInMs: view.currentBackoffMs, error });
    }
  }
}
