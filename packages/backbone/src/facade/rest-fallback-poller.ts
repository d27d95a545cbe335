import type { ChannelTicker, Clock, MarketCode, TickerSource, TimerHandle } from '@marketdata/domain';

export interface RestFallbackPollerOptions {
  readonly clock: Clock;
  readonly rest: Pick<TickerSource, 'getTickers'>;
  /** From the start of one poll to the start of the next. */
  readonly intervalMs: number;
  readonly onTick: (tick: ChannelTicker) => void;
  /** A poll failed (the whole batch, or one symbol); polling goes on. */
  readonly onError: (error: unknown) => void;
}

/**
 * REST polling for the symbols a stream cannot serve from the WebSocket right now: one `getTickers` batch per
 * interval for whichever symbols are in the set at that moment (the set changes as symbols fall back and return).
 * The first poll goes out as soon as a symbol joins an idle poller. Every request goes through the REST source and
 * its one budget per host, so polling can only be slowed by the budget, never exceed it.
 */
export class RestFallbackPoller {
  private readonly symbols = new Set<MarketCode>();
  private timer: TimerHandle | undefined;
  private inFlight: AbortController | undefined;
  private stopped = false;

  constructor(private readonly options: RestFallbackPollerOptions) {}

  get size(): number {
    return this.symbols.size;
  }

  has(symbol: MarketCode): boolean {
    return this.symbols.has(symbol);
  }

  add(symbols: readonly MarketCode[]): void {
    if (this.stopped) return;
    const wasIdle = this.symbols.size === 0;
    for (const symbol of symbols) this.symbols.add(symbol);
    if (wasIdle && this.symbols.size > 0 && this.inFlight === undefined) this.poll();
  }

  remove(symbols: readonly MarketCode[]): void {
    for (const symbol of symbols) this.symbols.delete(symbol);
    if (this.symbols.size > 0) return;
    this.options.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.inFlight?.abort();
    this.inFlight = undefined;
  }

  stop(): void {
    this.stopped = true;
    this.remove([...this.symbols]);
  }

  private poll(): void {
    this.timer = undefined;
    if (this.stopped || this.symbols.size === 0) return;
    const { clock, rest, intervalMs, onTick, onError } = this.options;
    const startedAt = clock.monotonic();
    const controller = new AbortController();
    this.inFlight = controller;
    const batch = [...this.symbols];
    const settle = (): void => {
      if (this.inFlight !== controller) return;
      this.inFlight = undefined;
      if (this.stopped || this.symbols.size === 0) return;
      const wait = Math.max(0, startedAt + intervalMs - clock.monotonic());
      this.timer = clock.setTimeout(() => this.poll(), wait);
    };
    rest
      .getTickers(batch, { signal: controller.signal })
      .then(
        (results) => {
          if (controller.signal.aborted) return;
          for (const result of results) {
            if (!this.symbols.has(result.symbol)) continue;
            if (result.ok) onTick(result.value);
            else onError(result.error);
          }
        },
        (error: unknown) => {
          if (!controller.signal.aborted) onError(error);
        },
      )
      .finally(settle);
  }
}
