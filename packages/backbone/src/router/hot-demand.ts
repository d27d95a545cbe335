import type { Clock, Logger, MarketCode, SubscriptionHandle, TimerHandle } from '@marketdata/domain';

export interface HotDemandOptions {
  readonly clock: Clock;
  readonly logger: Logger;
  /** States demand on the wire: `websocket.subscribe('ticker', [symbol])`. */
  readonly subscribe: (symbol: MarketCode) => SubscriptionHandle;
  /** Tells the freshness judge the symbol's ticker feed is wanted, so that health reports it when stale. */
  readonly watch: (symbol: MarketCode) => () => void;
  /** The last instant the symbol is still hot if no new request comes; undefined when it is not hot at `now`. */
  readonly hotUntil: (symbol: MarketCode, now: number) => number | undefined;
}

/** WebSocket subscriptions held for hot symbols. */
export interface SubscriptionCounters {
  readonly active: number;
  readonly promotions: number;
  /** Subscriptions released because the symbol turned cold. */
  readonly demotions: number;
  readonly failedSubscribes: number;
}

interface Held {
  readonly handle: SubscriptionHandle;
  readonly unwatch: () => void;
}

/**
 * The router's demand on the WebSocket, and nothing more: a symbol turning hot gets a `subscribe('ticker', [s])`
 * handle, a symbol turning cold releases it at once. What stays on the wire, and for how long after a release, is
 * the adapter's business (it lingers released symbols), so there is no grace period here.
 *
 * A symbol also turns cold without being asked about: its requests leave the frequency window. One timer, armed only
 * while handles are held, fires at the earliest instant a held symbol can turn cold; new requests only postpone that
 * instant, so the request path never re-arms it. An idle backbone holds no timer.
 */
export class HotDemand {
  private readonly held = new Map<MarketCode, Held>();
  private timer: TimerHandle | undefined;
  private timerDue: number | undefined;
  private promotions = 0;
  private demotions = 0;
  private failedSubscribes = 0;
  private closed = false;

  constructor(private readonly options: HotDemandOptions) {}

  isHeld(symbol: MarketCode): boolean {
    return this.held.has(symbol);
  }

  /** After a request for the symbol: hold it while hot, release it as soon as it is not. */
  update(symbol: MarketCode, hot: boolean, now: number): void {
    if (this.closed) return;
    const holding = this.held.has(symbol);
    if (hot && !holding) this.hold(symbol, now);
    else if (!hot && holding) this.release(symbol, 'cold');
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
    this.timerDue = undefined;
    for (const symbol of [...this.held.keys()]) this.release(symbol, 'closed');
  }

  private hold(symbol: MarketCode, now: number): void {
    let handle: SubscriptionHandle;
    try {
      handle = this.options.subscribe(symbol);
    } catch (error) {
      this.failedSubscribes++;
      this.options.logger.warn('websocket subscribe failed', { symbol, error });
      return;
    }
    this.held.set(symbol, { handle, unwatch: this.options.watch(symbol) });
    this.promotions++;
    this.options.logger.debug('symbol is hot: subscribed on websocket', { symbol });
    const until = this.options.hotUntil(symbol, now);
    if (until !== undefined) this.armFor(until + 1, now);
  }

  private release(symbol: MarketCode, reason: 'cold' | 'closed'): void {
    const held = this.held.get(symbol);
    if (held === undefined) return;
    this.held.delete(symbol);
    held.unwatch();
    if (reason === 'cold') this.demotions++;
    try {
      held.handle.release();
    } catch (error) {
      this.options.logger.warn('websocket release failed', { symbol, error });
    }
    this.options.logger.debug('websocket subscription released', { symbol, reason });
  }

  /** Fires at `due` (monotonic) unless the timer is already due earlier. */
  private armFor(due: number, now: number): void {
    if (this.closed || (this.timerDue !== undefined && this.timerDue <= due)) return;
    this.options.clock.clearTimeout(this.timer);
    this.timerDue = due;
    // At least 1 ms: a timer that fires a little early re-arms for the same instant, never in a tight loop.
    this.timer = this.options.clock.setTimeout(() => this.expire(), Math.max(1, due - now));
  }

  private expire(): void {
    this.timer = undefined;
    this.timerDue = undefined;
    const now = this.options.clock.monotonic();
    let next: number | undefined;
    for (const symbol of [...this.held.keys()]) {
      const until = this.options.hotUntil(symbol, now);
      if (until === undefined) this.release(symbol, 'cold');
      else next = Math.min(next ?? Number.POSITIVE_INFINITY, until + 1);
    }
    if (next !== undefined) this.armFor(next, now);
  }
}
