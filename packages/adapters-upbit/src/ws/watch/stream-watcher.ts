import type { WatchQueue } from './watch-queue.js';

/**
 * One consumer's iterator over a stream. Values go straight to a waiting `next()`, otherwise into the bounded
 * queue. The iterator ends (done) when returned, when its signal aborts, or when the source closes; `onEnd`
 * runs exactly once, whichever comes first, and releases the subscription.
 */
export class StreamWatcher<T> implements AsyncIterableIterator<T> {
  /** Consumers waiting in `next()`, oldest first (several may wait if `next()` is called without awaiting). */
  private readonly waiting: ((result: IteratorResult<T>) => void)[] = [];
  private ended = false;
  private removeAbortListener: () => void = () => {};

  constructor(
    private readonly queue: WatchQueue<T>,
    private readonly onEnd: () => void,
  ) {}

  /** Ends the watcher when the signal aborts (at once if it already has). Call after the watcher is registered. */
  bindSignal(signal: AbortSignal | undefined): void {
    if (signal === undefined || this.ended) return;
    if (signal.aborted) {
      this.end();
      return;
    }
    const onAbort = (): void => this.end();
    signal.addEventListener('abort', onAbort, { once: true });
    this.removeAbortListener = () => signal.removeEventListener('abort', onAbort);
  }

  get isEnded(): boolean {
    return this.ended;
  }

  get queued(): number {
    return this.queue.size;
  }

  push(value: T): void {
    if (this.ended) return;
    const waiting = this.waiting.shift();
    if (waiting !== undefined) {
      waiting({ value, done: false });
      return;
    }
    this.queue.push(value);
  }

  next(): Promise<IteratorResult<T>> {
    const value = this.queue.take();
    if (value !== undefined) return Promise.resolve({ value, done: false });
    if (this.ended) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => {
      this.waiting.push(resolve);
    });
  }

  return(): Promise<IteratorResult<T>> {
    this.end();
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }

  /** Ends the iteration: pending and later `next()` calls get done once the queue is empty; `onEnd` runs once. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.removeAbortListener();
    this.queue.clear();
    for (const waiting of this.waiting.splice(0)) waiting({ value: undefined, done: true });
    this.onEnd();
  }
}
