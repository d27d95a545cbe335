/** A small push-fed async iterable for fake streams: ends when told, when its signal aborts, or on close. */
export class AsyncQueue<T> implements AsyncIterableIterator<T> {
  private readonly items: T[] = [];
  private waiter: ((result: IteratorResult<T>) => void) | undefined;
  private failWaiter: ((error: unknown) => void) | undefined;
  private ended = false;
  private failure: { readonly error: unknown } | undefined;
  returned = false;

  constructor(signal?: AbortSignal) {
    signal?.addEventListener('abort', () => this.end(), { once: true });
  }

  push(item: T): void {
    if (this.ended) return;
    const waiter = this.waiter;
    if (waiter !== undefined) {
      this.clearWaiter();
      waiter({ done: false, value: item });
      return;
    }
    this.items.push(item);
  }

  end(): void {
    this.ended = true;
    const waiter = this.waiter;
    if (waiter !== undefined && this.items.length === 0) {
      this.clearWaiter();
      waiter({ done: true, value: undefined });
    }
  }

  fail(error: unknown): void {
    this.failure = { error };
    this.ended = true;
    const reject = this.failWaiter;
    if (reject !== undefined) {
      this.clearWaiter();
      reject(error);
    }
  }

  get isEnded(): boolean {
    return this.ended;
  }

  next(): Promise<IteratorResult<T>> {
    const item = this.items.shift();
    if (item !== undefined) return Promise.resolve({ done: false, value: item });
    if (this.failure !== undefined) {
      const { error } = this.failure;
      this.failure = undefined;
      return Promise.reject(error);
    }
    if (this.ended) return Promise.resolve({ done: true, value: undefined });
    return new Promise((resolve, reject) => {
      this.waiter = resolve;
      this.failWaiter = reject;
    });
  }

  return(): Promise<IteratorResult<T>> {
    this.returned = true;
    this.end();
    return Promise.resolve({ done: true, value: undefined });
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }

  private clearWaiter(): void {
    this.waiter = undefined;
    this.failWaiter = undefined;
  }
}
