import { type Clock, type MarketCode, type MarketDataError, onAbort, type TimerHandle } from '@marketdata/domain';

interface Waiter<T> {
  readonly symbol: MarketCode;
  readonly resolve: (value: T) => void;
  readonly reject: (error: unknown) => void;
  timer: TimerHandle | undefined;
  stopListening: () => void;
}

export interface WaitOptions {
  /** The caller's deadline and cancellation. When given, it is the only limit (no timer of ours). */
  readonly signal: AbortSignal | undefined;
  /** Used only without a signal. */
  readonly timeoutMs: number;
  readonly onTimeout: () => MarketDataError;
}

/**
 * Callers waiting for a symbol's next record (`getTicker` and friends before the SNAPSHOT arrived). Each waiter
 * listens to its signal through the domain's abort fan-out (one listener per signal however many wait on it), or,
 * without a signal, holds one clock timer; both are removed however it settles.
 */
export class RecordWaiters<T> {
  private readonly bySymbol = new Map<MarketCode, Set<Waiter<T>>>();

  constructor(private readonly clock: Clock) {}

  wait(symbol: MarketCode, options: WaitOptions): Promise<T> {
    const { signal } = options;
    if (signal?.aborted === true) return Promise.reject(signal.reason);
    return new Promise<T>((resolve, reject) => {
      const waiter: Waiter<T> = { symbol, resolve, reject, timer: undefined, stopListening: () => {} };
      let set = this.bySymbol.get(symbol);
      if (set === undefined) {
        set = new Set();
        this.bySymbol.set(symbol, set);
      }
      set.add(waiter);
      if (signal !== undefined) {
        waiter.stopListening = onAbort(signal, (reason) => this.settle(waiter, () => reject(reason)));
      } else {
        waiter.timer = this.clock.setTimeout(() => {
          waiter.timer = undefined;
          this.settle(waiter, () => reject(options.onTimeout()));
        }, options.timeoutMs);
      }
    });
  }

  resolve(symbol: MarketCode, value: T): void {
    const set = this.bySymbol.get(symbol);
    if (set === undefined) return;
    for (const waiter of [...set]) this.settle(waiter, () => waiter.resolve(value));
  }

  /** Rejects every waiter (a refusal, or close). */
  rejectAll(error: MarketDataError): void {
    for (const set of [...this.bySymbol.values()]) {
      for (const waiter of [...set]) this.settle(waiter, () => waiter.reject(error));
    }
  }

  get size(): number {
    let total = 0;
    for (const set of this.bySymbol.values()) total += set.size;
    return total;
  }

  private settle(waiter: Waiter<T>, outcome: () => void): void {
    const set = this.bySymbol.get(waiter.symbol);
    if (set === undefined || !set.delete(waiter)) return;
    if (set.size === 0) this.bySymbol.delete(waiter.symbol);
    this.clock.clearTimeout(waiter.timer);
    waiter.timer = undefined;
    waiter.stopListening();
    outcome();
  }
}
