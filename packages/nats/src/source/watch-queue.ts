import { type MarketDataError, QueueFullError } from '@marketdata/domain';

export interface WatchQueueOptions<T> {
  /** States: one item per key is kept (the newest), so a slow consumer gets the latest, never a backlog. */
  readonly conflateBy?: ((item: T) => string) | undefined;
  /** Events (trades): items kept at most; one more ends the stream with `QueueFullError`. */
  readonly capacity: number;
  /** Called once when the stream ends, however it ends. */
  readonly onClose: () => void;
}

/**
 * The consumer's own queue behind a standalone `watch…()` of the NATS source: an async iterator fed by pushes.
 * Conflating per key for states; a bounded FIFO for events, which fails loudly rather than drop silently.
 */
export class WatchQueue<T> implements AsyncIterableIterator<T> {
  private readonly items: T[] = [];
  private readonly latest = new Map<string, T>();
  private waiting: { resolve(result: IteratorResult<T>): void; reject(error: unknown): void } | undefined;
  private failure: MarketDataError | undefined;
  private done = false;

  constructor(private readonly options: WatchQueueOptions<T>) {}

  push(item: T): void {
    if (this.done) return;
    if (this.waiting !== undefined) {
      const waiting = this.waiting;
      this.waiting = undefined;
      waiting.resolve({ value: item, done: false });
      return;
    }
    const key = this.options.conflateBy?.(item);
    if (key !== undefined) {
      this.latest.delete(key);
      this.latest.set(key, item);
      return;
    }
    if (this.items.length >= this.options.capacity) {
      this.fail(
        new QueueFullError(`watch queue full: the consumer fell ${this.options.capacity} items behind`, {
          capacity: this.options.capacity,
          channel: 'websocket',
        }),
      );
      return;
    }
    this.items.push(item);
  }

  fail(error: MarketDataError): void {
    if (this.done) return;
    this.failure = error;
    this.finish();
  }

  end(): void {
    this.finish();
  }

  next(): Promise<IteratorResult<T>> {
    const item = this.take();
    if (item !== undefined) return Promise.resolve({ value: item.value, done: false });
    if (this.failure !== undefined) {
      const failure = this.failure;
      this.failure = undefined;
      return Promise.reject(failure);
    }
    if (this.done) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
    });
  }

  return(): Promise<IteratorResult<T>> {
    this.items.length = 0;
    this.latest.clear();
    this.failure = undefined;
    this.finish();
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }

  private take(): { value: T } | undefined {
    if (this.items.length > 0) return { value: this.items.shift() as T };
    const first = this.latest.entries().next();
    if (first.done === true) return undefined;
    this.latest.delete(first.value[0]);
    return { value: first.value[1] };
  }

  private finish(): void {
    if (this.done) return;
    this.done = true;
    this.options.onClose();
    const waiting = this.waiting;
    this.waiting = undefined;
    if (waiting === undefined) return;
    if (this.failure !== undefined) {
      const failure = this.failure;
      this.failure = undefined;
      waiting.reject(failure);
    } else waiting.resolve({ value: undefined, done: true });
  }
}
