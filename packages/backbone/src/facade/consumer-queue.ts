import { QueueFullError } from '@marketdata/domain';

export interface ConsumerQueueHooks<Q, T> {
  /** Turns a queued item into what the consumer receives, at hand-out time (tickers are graded here). */
  readonly deliver: (item: Q) => T;
  /** Runs once when the queue ends for any reason (end, failure, overflow, stop): release the upstream. */
  readonly onClose: () => void;
}

/**
 * One facade consumer's queue, fed by push (the streaming source's listener calls in synchronously, with no queue of
 * its own in between) and read as an async iterator. Subclasses decide what is kept: the latest per symbol for
 * states, every item in order for events.
 */
export abstract class ConsumerQueue<Q, T> implements AsyncIterableIterator<T> {
  private waiter: { resolve: (result: IteratorResult<T>) => void; reject: (error: unknown) => void } | undefined;
  private ended = false;
  private failure: { readonly error: unknown } | undefined;
  private closed = false;

  constructor(private readonly hooks: ConsumerQueueHooks<Q, T>) {}

  /** Keeps an item for later (no consumer is waiting). */
  protected abstract keep(item: Q): void;
  /** The next kept item, if any. */
  protected abstract take(): { readonly item: Q } | undefined;
  protected abstract clear(): void;

  /** Producer side: a new item arrived. */
  push(item: Q): void {
    if (this.ended) return;
    const waiter = this.waiter;
    if (waiter === undefined) {
      this.keep(item);
      return;
    }
    this.waiter = undefined;
    try {
      waiter.resolve({ done: false, value: this.hooks.deliver(item) });
    } catch (error) {
      waiter.reject(error);
    }
  }

  /** Producer side: no more items; what is kept is still delivered. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.wakeWithEnd();
    this.close();
  }

  /** Producer side: the upstream failed; kept items are delivered first, then the error. */
  fail(error: unknown): void {
    if (this.ended) return;
    this.ended = true;
    this.failure = { error };
    this.wakeWithEnd();
    this.close();
  }

  /** Ends the stream at once, dropping anything kept (close, consumer gone). */
  stop(): void {
    this.ended = true;
    this.failure = undefined;
    this.clear();
    this.wakeWithEnd();
    this.close();
  }

  next(): Promise<IteratorResult<T>> {
    const kept = this.take();
    if (kept !== undefined) {
      try {
        return Promise.resolve({ done: false, value: this.hooks.deliver(kept.item) });
      } catch (error) {
        return Promise.reject(error);
      }
    }
    if (this.failure !== undefined) {
      const { error } = this.failure;
      this.failure = undefined;
      return Promise.reject(error);
    }
    if (this.ended) return Promise.resolve({ done: true, value: undefined });
    if (this.waiter !== undefined) return Promise.reject(new Error('concurrent next() calls on one stream'));
    return new Promise((resolve, reject) => {
      this.waiter = { resolve, reject };
    });
  }

  return(): Promise<IteratorResult<T>> {
    this.stop();
    return Promise.resolve({ done: true, value: undefined });
  }

  throw(error?: unknown): Promise<IteratorResult<T>> {
    this.stop();
    return Promise.reject(error);
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }

  private wakeWithEnd(): void {
    const waiter = this.waiter;
    if (waiter === undefined) return;
    this.waiter = undefined;
    if (this.failure !== undefined) {
      const { error } = this.failure;
      this.failure = undefined;
      waiter.reject(error);
    } else {
      waiter.resolve({ done: true, value: undefined });
    }
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    this.hooks.onClose();
  }
}

export interface ConflatingQueueHooks<Q, T> extends ConsumerQueueHooks<Q, T> {
  /** Conflation key (the symbol): a newer item replaces a kept one with the same key. */
  readonly keyOf: (item: Q) => string;
  /** An item was replaced before the consumer took it: the one place conflation is counted. */
  readonly onConflated: () => void;
}

/**
 * For states (tickers, order books): at most one item kept per key, so a slow consumer gets the latest value of each
 * symbol and memory is bounded by the number of symbols. Keys keep their place in line when their value is replaced,
 * so a busy symbol cannot starve a quiet one.
 */
export class ConflatingQueue<Q, T> extends ConsumerQueue<Q, T> {
  private readonly kept = new Map<string, Q>();

  constructor(private readonly conflating: ConflatingQueueHooks<Q, T>) {
    super(conflating);
  }

  protected keep(item: Q): void {
    const key = this.conflating.keyOf(item);
    if (this.kept.has(key)) this.conflating.onConflated();
    this.kept.set(key, item);
  }

  protected take(): { readonly item: Q } | undefined {
    const first = this.kept.entries().next();
    if (first.done === true) return undefined;
    const [key, item] = first.value;
    this.kept.delete(key);
    return { item };
  }

  protected clear(): void {
    this.kept.clear();
  }
}

export interface BoundedQueueHooks<Q, T> extends ConsumerQueueHooks<Q, T> {
  readonly capacity: number;
  /** Names the stream in the `QueueFullError`. */
  readonly operation: string;
}

/**
 * For events (trades): every item, in order, never conflated. A consumer that falls `capacity` items behind gets
 * what is kept and then a `QueueFullError`, and the stream ends: losing trades silently is never an option.
 */
export class BoundedQueue<Q, T> extends ConsumerQueue<Q, T> {
  private items: Q[] = [];
  private head = 0;

  constructor(private readonly bounded: BoundedQueueHooks<Q, T>) {
    super(bounded);
  }

  protected keep(item: Q): void {
    const { capacity, operation } = this.bounded;
    if (this.items.length - this.head < capacity) {
      this.items.push(item);
      return;
    }
    this.fail(
      new QueueFullError(`${operation}: the consumer fell ${capacity} items behind; the stream ends here`, {
        channel: 'api',
        operation,
        capacity,
      }),
    );
  }

  protected take(): { readonly item: Q } | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head] as Q;
    this.head++;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return { item };
  }

  protected clear(): void {
    this.items = [];
    this.head = 0;
  }
}
