import type { Clock, Logger, MarketCode, StreamingSource, SubscriptionHandle, TimerHandle } from '@marketdata/domain';
import { decideSubscription } from './decide-route.js';

export interface HotSubscriptionsOptions {
  readonly clock: Clock;
  readonly logger: Logger;
  readonly websocket: StreamingSource | undefined;
  readonly graceMs: number;
  readonly maintenanceIntervalMs: number;
  /** Whether the symbol is hot right now (asked again at each maintenance round). */
  readonly isHot: (symbol: MarketCode, now: number) => boolean;
  /** Runs at each maintenance round (e.g. to forget idle symbols). */
  readonly onMaintenance?: ((now: number) => void) | undefined;
}

interface Held {
  readonly handle: SubscriptionHandle;
  coldSince: number | undefined;
}

export interface SubscriptionCounters {
  readonly active: number;
  readonly promotions: number;
  readonly demotions: number;
  readonly failedSubscribes: number;
}

/**
 * Keeps WebSocket ticker subscriptions for hot symbols. A symbol that goes cold keeps its subscription for the
 * grace period, then releases it. A maintenance timer runs only while subscriptions are held, so an idle backbone
 * holds no timer at all.
 */
export class HotSubscriptions {
  private readonly held = new Map<MarketCode, Held>();
  private timer: TimerHandle | undefined;
  private promotions = 0;
  private demotions = 0;
  private failedSubscribes = 0;
  private closed = false;

  constructor(private readonly options: HotSubscriptionsOptions) {}

  isSubscribed(symbol: MarketCode): boolean {
    return this.held.has(symbol);
  }

  /** Applies the subscription rule for one symbol after a request. */
  update(symbol: MarketCode, hot: boolean, now: number): void {
    if (this.closed) return;
    const held = this.held.get(symbol);
    const decision = decideSubscription({
      hot,
      subscribed: held !== undefined,
      websocketConfigured: this.options.websocket !== undefined,
      coldForMs: held?.coldSince === undefined ? undefined : now - held.coldSince,
      graceMs: this.options.graceMs,
    });
    switch (decision.action) {
      case 'subscribe':
        this.subscribe(symbol);
        break;
      case 'release':
        this.release(symbol, decision.reason);
        break;
      case 'keep':
        if (held !== undefined) held.coldSince = hot ? undefined : (held.coldSince ?? now);
        break;
      case 'none':
        break;
    }
  }

  counters(): SubscriptionCounters {
    return {
      active: this.held.size,
      promotions: this.promotions,
      demotions: this.demotions,
      failedSubscribes: this.failedSubscribes,
    };
  }

  close(): void {
    this.closed = true;
    this.options.clock.clearTimeout(this.timer);
    this.timer = undefined;
    for (const symbol of [...this.held.keys()]) this.release(symbol, 'closed');
  }

  private subscribe(symbol: MarketCode): void {
    const websocket = this.options.websocket;
    if (websocket === undefined) return;
    try {
      const handle = websocket.subscribe('ticker', [symbol]);
      this.held.set(symbol, { handle, coldSince: undefined });
      this.promotions++;
      this.options.logger.debug('symbol is hot: subscribed on websocket', { symbol });
      this.arm();
    } catch (error) {
      this.failedSubscribes++;
      this.options.logger.warn('websocket subscribe failed', { symbol, error });
    }
  }

  private release(symbol: MarketCode, reason: string): void {
    const held = this.held.get(symbol);
    if (held === undefined) return;
    this.held.delete(symbol);
    if (reason !== 'closed') this.demotions++;
    try {
      held.handle.release();
    } catch (error) {
      this.options.logger.warn('websocket unsubscribe failed', { symbol, error });
    }
    this.options.logger.debug('websocket subscription released', { symbol, reason });
  }

  private arm(): void {
    if (this.timer !== undefined || this.closed) return;
    this.timer = this.options.clock.setTimeout(() => this.maintain(), this.options.maintenanceIntervalMs);
  }

  private maintain(): void {
    this.timer = undefined;
    const now = this.options.clock.monotonic();
    for (const symbol of [...this.held.keys()]) this.update(symbol, this.options.isHot(symbol, now), now);
    this.options.onMaintenance?.(now);
    if (this.held.size > 0) this.arm();
  }
}
