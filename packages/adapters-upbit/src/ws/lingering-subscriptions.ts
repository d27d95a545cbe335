import type { Clock, MarketCode, StreamKind, TimerHandle } from '@marketdata/domain';

type Acquire = (kind: StreamKind, symbols: readonly MarketCode[]) => () => void;

interface Lingering {
  readonly release: () => void;
  timer: TimerHandle | undefined;
}

/**
 * Subscriptions taken by one-shot calls (`getTicker`, `getOrderBook`, `getTrades`). They stay for `lingerMs` after
 * the last call for that symbol, so repeated calls are answered from live state without a new request each time.
 */
export class LingeringSubscriptions {
  private readonly entries = new Map<string, Lingering>();

  constructor(
    private readonly clock: Clock,
    private readonly acquire: Acquire,
    private readonly lingerMs: number,
  ) {}

  /** Keeps the symbol subscribed for at least `minimumMs` (and `lingerMs`) from now. */
  touch(kind: StreamKind, symbol: MarketCode, minimumMs: number): void {
    const key = `${kind}:${symbol}`;
    let entry = this.entries.get(key);
    if (entry === undefined) {
      entry = { release: this.acquire(kind, [symbol]), timer: undefined };
      this.entries.set(key, entry);
    }
    this.clock.clearTimeout(entry.timer);
    const current = entry;
    current.timer = this.clock.setTimeout(
      () => {
        current.timer = undefined;
        this.entries.delete(key);
        current.release();
      },
      Math.max(this.lingerMs, minimumMs),
    );
  }

  get size(): number {
    return this.entries.size;
  }

  clear(): void {
    for (const entry of this.entries.values()) {
      this.clock.clearTimeout(entry.timer);
      entry.release();
    }
    this.entries.clear();
  }
}
