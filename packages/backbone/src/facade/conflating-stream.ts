export interface ConflatingStreamHooks<Q, T> {
  /** Conflation key (the symbol): a newer item replaces a queued one with the same key. */
  readonly keyOf: (item: Q) => string;
  /** Turns a queued item into what the consumer receives, at hand-out time. */
  readonly deliver: (item: Q) => T;
  readonly onConflated: () => void;
  /** The consumer stopped early (return/throw) or the stream was stopped: release the upstream. */
  readonly onStop: () => void;
}

/**
 * A push-fed async iterator that keeps at most one pending item per key: a slow consumer gets the latest value
 * of each symbol, memory is bounded by the number of symbols, and what was replaced is counted. Keys keep their
 * place in line when their value is replaced, so a busy symbol cannot starve a quiet one.
 */
export class ConflatingStream<Q, T> implements AsyncIterableIterator<T> {
  private readonly pending = new Map<string, Q>();
  private waiter: { resolve: (result: IteratorResult<T>) => void; reject: (error: unknown) => void } | undefined;
  private ended = false;
  private stopped = false;
  private failure: { readonly error: unknown } | undefined;

  constructor(private readonly hooks: ConflatingStreamHooks<Q, T>) {}

  /** Producer side: a new item arrived. */
  push(item: Q): void {
    if (this.ended || this.stopped) return;
    const waiter = this.waiter;
    if (waiter !== undefined) {
      this.waiter = undefined;
      this.settle(waiter, item);
      return;
    }
    const key = this.hooks.keyOf(item);
    if (this.pending.has(key)) this.hooks.onConflated();
    this.pending.set(key, item);
  }

  /** Producer side: no more items; what is pending is still delivered. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.wakeWithEnd();
  }

  /** Producer side: the upstream failed; pending items are delivered first, then the error. */
  fail(error: unknown): void {
    if (this.ended) return;
    this.ended = true;
    this.failure = { error };
    this.wakeWithEnd();
  }

  /** Ends the stream at once, dropping anything pending (close, consumer gone). */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.ended = true;
    this.failure = undefined;
    this.pending.clear();
    this.wakeWithEnd();
    this.hooks.onStop();
  }

  next(): Promise<IteratorResult<T>> {
    const first = this.pending.entries().next();
    if (first.done !== true) {
      const [key, item] = first.value;
      this.pending.delete(key);
      return this.deliver(item);
    }
    if (this.failure !== undefined) {
      const { error } = this.failure;
      this.failure = undefined;
      return Promise.reject(error);
    }
    if (this.ended) return Promise.resolve({ done: true, value: undefined });
    if (this.waiter !== undefined) return Promise.reject(new Error('ConflatingStream: concurrent next() calls'));
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

  private deliver(item: Q): Promise<IteratorResult<T>> {
    try {
      return Promise.resolve({ done: false, value: this.hooks.deliver(item) });
    } catch (error) {
      return Promise.reject(error);
    }
  }

  private settle(waiter: NonNullable<typeof this.waiter>, item: Q): void {
    try {
      waiter.resolve({ done: false, value: this.hooks.deliver(item) });
    } catch (error) {
      waiter.reject(error);
    }
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
}
