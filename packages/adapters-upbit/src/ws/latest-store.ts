import type { Clock, MarketCode, MarketDataError, TimerHandle } from '@marketdata/domain';

interface Waiter<T> {
  readonly resolve: (value: T) => void;
  readonly reject: (error: unknown) => void;
  timer: TimerHandle | undefined;
  removeAbortListener: () => void;
}

/**
 * The latest value per symbol (tickers, order books) and the callers waiting for a symbol's first value.
 * Every waiter has its own clock timer and abort listener, both removed whichever way it settles.
 */
export class LatestStore<T> {
  private readonly latest = new Map<MarketCode, T>();
  private readonly waiters = new Map<MarketCode, Set<Waiter<T>>>();

  constructor(private readonly clock: Clock) {}

  get(symbol: MarketCode): T | undefined {
    return this.latest.get(symbol);
  }

  set(symbol: MarketCode, value: T): void {
    this.latest.set(symbol, value);
    const waiting = this.waiters.get(symbol);
    if (waiting === undefined) return;
    this.waiters.delete(symbol);
    for (const waiter of waiting) {
      this.settle(waiter);
      waiter.resolve(value);
    }
  }

  delete(symbol: MarketCode): void {
    this.latest.delete(symbol);
  }

  /** Resolves with the symbol's next value; rejects with `onTimeout()` after `timeoutMs`, or the signal's reason. */
  wait(
    symbol: MarketCode,
    timeoutMs: number,
    signal: AbortSignal | undefined,
    onTimeout: () => MarketDataError,
  ): Promise<T> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<T>((resolve, reject) => {
      const waiter: Waiter<T> = { resolve, reject, timer: undefined, removeAbortListener: () => {} };
      let set = this.waiters.get(symbol);
      if (set === undefined) {
        set = new Set();
        this.waiters.set(symbol, set);
      }
      set.add(waiter);
      const fail = (error: unknown): void => {
        this.remove(symbol, waiter);
        this.settle(waiter);
        reject(error);
      };
      waiter.timer = this.clock.setTimeout(() => {
        waiter.timer = undefined;
        fail(onTimeout());
      }, timeoutMs);
      if (signal !== undefined) {
        const onAbort = (): void => fail(signal.reason);
        signal.addEventListener('abort', onAbort, { once: true });
        waiter.removeAbortListener = () => signal.removeEventListener('abort', onAbort);
      }
    });
  }

  /** Rejects every waiter (an Upbit error frame, or close). Stored values are kept. */
  rejectAll(error: MarketDataError): void {
    const all = [...this.waiters.values()].flatMap((set) => [...set]);
    this.waiters.clear();
    for (const waiter of all) {
      this.settle(waiter);
      waiter.reject(error);
    }
  }

  get waiting(): number {
    let total = 0;
    for (const set of this.waiters.values()) total += set.size;
    return total;
  }

  clear(): void {
    this.latest.clear();
  }

  private remove(symbol: MarketCode, waiter: Waiter<T>): void {
    const set = this.waiters.get(symbol);
    if (set === undefined) return;
    set.delete(waiter);
    if (set.size === 0) this.waiters.delete(symbol);
  }

  private settle(waiter: Waiter<T>): void {
    this.clock.clearTimeout(waiter.timer);
    waiter.timer = undefined;
    waiter.removeAbortListener();
  }
}
