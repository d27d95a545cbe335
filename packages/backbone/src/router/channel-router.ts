import type { ChannelKind, Clock, Logger, MarketCode, StreamingSource, StreamKind } from '@marketdata/domain';
import type { RouterConfig } from '../config/backbone-config.js';
import type { FreshnessJudge } from '../freshness/freshness-judge.js';
import { ChannelHealth, type ChannelHealthView, type HealthTransition } from './channel-health.js';
import { decideFallback, decideRoute } from './decide-route.js';
import { HotDemand, type SubscriptionCounters } from './hot-demand.js';
import { RequestFrequency } from './request-frequency.js';
import type {
  CachedTicker,
  FallbackDecision,
  RequestedSource,
  RouteDecision,
  RouteOperation,
  RouteReason,
} from './route-types.js';

export interface ChannelRouterOptions {
  readonly clock: Clock;
  readonly logger: Logger;
  readonly config: RouterConfig;
  /** Where hot symbols' demand is stated; undefined without a WebSocket (or switched off): REST only. */
  readonly webSocket: Pick<StreamingSource, 'subscribe'> | undefined;
  /** The one stale rule: the router reads the stream's condition from it and never judges on its own. */
  readonly judge: FreshnessJudge;
  /** The symbol's cache entry within its TTL, if any (one read). */
  readonly cacheCondition: (symbol: MarketCode, now: number) => CachedTicker | undefined;
}

/** A decision with the cache entry it was made on, when it decided for the cache: serve exactly that. */
export interface RoutedRequest extends RouteDecision {
  readonly cached: CachedTicker | undefined;
}

export interface RouteRequest {
  readonly symbol: MarketCode;
  readonly kind: StreamKind;
  readonly operation: RouteOperation;
  readonly requested: RequestedSource;
}

/** The router's counters: decisions by reason, recovery probes, subscriptions of hot symbols. */
export interface RouterCounters {
  readonly decisions: Readonly<Partial<Record<RouteReason, number>>>;
  readonly probes: number;
  readonly subscriptions: SubscriptionCounters;
}

const SWEEP_EVERY_REQUESTS = 1024;
const NO_SUBSCRIPTIONS: SubscriptionCounters = { active: 0, promotions: 0, demotions: 0, failedSubscribes: 0 };

/** The fewest requests inside the window that make a symbol hot (rate = count / window >= threshold). */
export function hotCount(config: RouterConfig): number {
  const windowSeconds = config.frequencyWindowMs / 1000;
  let count = Math.max(1, Math.ceil(config.hotRequestsPerSecond * windowSeconds));
  while (count > 1 && (count - 1) / windowSeconds >= config.hotRequestsPerSecond) count--;
  return count;
}

/**
 * The router's small state around the pure `decideRoute`: request frequency per symbol, health per channel and the
 * hot symbols' demand on the WebSocket. Each `route` call records the request, states demand, gathers the
 * conditions (the stream's from the freshness judge) and returns the decision with its reason.
 */
export class ChannelRouter {
  private readonly frequency: RequestFrequency;
  private readonly health: Record<ChannelKind, ChannelHealth>;
  private readonly demand: HotDemand | undefined;
  private readonly hotCount: number;
  private readonly decisions: Partial<Record<RouteReason, number>> = {};
  private probes = 0;
  private requests = 0;

  constructor(private readonly options: ChannelRouterOptions) {
    const { config, clock, judge, webSocket } = options;
    this.hotCount = hotCount(config);
    this.frequency = new RequestFrequency({
      windowMs: config.frequencyWindowMs,
      maxSamplesPerSymbol: Math.max(1024, this.hotCount * 2),
    });
    this.health = {
      rest: new ChannelHealth('rest', true, config),
      websocket: new ChannelHealth('websocket', webSocket !== undefined, config),
    };
    this.demand =
      webSocket === undefined
        ? undefined
        : new HotDemand({
            clock,
            logger: options.logger,
            subscribe: (symbol) => webSocket.subscribe('ticker', [symbol]),
            watch: (symbol) => judge.watch('ticker', [symbol]),
            hotUntil: (symbol, now) => this.frequency.lastInstantWith(symbol, this.hotCount, now),
          });
  }

  /** `now`: the caller's monotonic reading, when it has one (one clock read per call, not one per check). */
  route(request: RouteRequest, now = this.options.clock.monotonic()): RoutedRequest {
    const { config, judge } = this.options;
    const counted = request.kind === 'ticker' && request.operation === 'get';
    if (counted) {
      this.frequency.record(request.symbol, now);
      if (++this.requests % SWEEP_EVERY_REQUESTS === 0) this.frequency.sweep(now);
    }
    const rate = this.frequency.ratePerSecond(request.symbol, now);
    if (counted) this.demand?.update(request.symbol, rate >= config.hotRequestsPerSecond, now);

    const cached = counted ? this.options.cacheCondition(request.symbol, now) : undefined;
    const decision = decideRoute({
      kind: request.kind,
      operation: request.operation,
      requested: request.requested,
      requestRatePerSecond: rate,
      rest: this.health.rest.condition(now),
      websocket: this.health.websocket.condition(now),
      stream: request.kind === 'ticker' ? judge.streamCondition(request.symbol, now) : undefined,
      cache: cached,
      thresholds: config,
    });
    this.decisions[decision.reason] = (this.decisions[decision.reason] ?? 0) + 1;
    if (decision.probe && (decision.channel === 'rest' || decision.channel === 'websocket')) {
      this.health[decision.channel].beginProbe();
      this.probes++;
      this.options.logger.info('probing a disabled channel', { channel: decision.channel, symbol: request.symbol });
    }
    return decision;
  }

  /**
   * Where to go after `attempted`'s last channel failed; a fallback to a probe-due channel is its probe. `cache` is
   * the caller's one read of the symbol's entry, handed back as `cached` when the fallback is the cache.
   */
  fallback(
    requested: RequestedSource,
    attempted: readonly ChannelKind[],
    channelFault: boolean,
    cache: CachedTicker | undefined,
  ): FallbackDecision & { readonly probe: boolean; readonly cached: CachedTicker | undefined } {
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
    return { ...decision, probe, cached: target === 'cache' ? cache : undefined };
  }

  recordSuccess(channel: ChannelKind, latencyMs: number | undefined): void {
    this.logTransition(channel, this.health[channel].recordSuccess(this.options.clock.monotonic(), latencyMs));
  }

  /**
   * The channel answered without a call (the stream's latest value was at hand): that resets its consecutive
   * failures and completes a probe. Not counted in its error rate or latency: no call was made.
   */
  recordAnswered(channel: ChannelKind): void {
    if (this.health[channel].awaitsSuccess()) this.recordSuccess(channel, undefined);
  }

  recordFailure(channel: ChannelKind, error: string): void {
    this.logTransition(channel, this.health[channel].recordFailure(this.options.clock.monotonic(), error), error);
  }

  /**
   * For calls the ticker rules do not route (order books): whether `channel` may be used now. An enabled channel
   * may; a disabled one whose backoff has passed may, as its recovery probe (begun here, so that only one goes out);
   * otherwise not.
   */
  claim(channel: ChannelKind): { readonly usable: boolean; readonly probe: boolean } {
    const health = this.health[channel];
    if (!health.configured) return { usable: false, probe: false };
    const state = health.state(this.options.clock.monotonic());
    if (state === 'enabled') return { usable: true, probe: false };
    if (state === 'disabled') return { usable: false, probe: false };
    health.beginProbe();
    this.probes++;
    this.options.logger.info('probing a disabled channel', { channel });
    return { usable: true, probe: true };
  }

  /** The outcome of a probe is unknown (the call was aborted by the caller or by close). */
  abandonProbe(channel: ChannelKind): void {
    this.health[channel].abandonProbe();
  }

  channelViews(): { readonly rest: ChannelHealthView; readonly websocket: ChannelHealthView } {
    const now = this.options.clock.monotonic();
    return { rest: this.health.rest.view(now), websocket: this.health.websocket.view(now) };
  }

  counters(): RouterCounters {
    return {
      decisions: { ...this.decisions },
      probes: this.probes,
      subscriptions: this.demand?.counters() ?? NO_SUBSCRIPTIONS,
    };
  }

  close(): void {
    this.demand?.close();
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
