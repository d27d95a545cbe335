import type { ChannelKind, Clock, Logger, MarketCode, StreamingSource } from '@marketdata/domain';
import type { RouterConfig } from '../config/backbone-config.js';
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
  private probes = 0;
  private requests = 0;

  constructor(private readonly options: ChannelRouterOptions) {
    const { config, clock } = options;
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
    const now = this.options.clock.monotonic();
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
        freshness.lastUpdateAt === undefined ? undefined : this.options.clock.now() - freshness.lastUpdateAt,
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
