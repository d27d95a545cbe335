import { onAbort } from '@marketdata/domain';
import type { WatchQueue } from './watch-queue.js';

/**
 * One consumer's iterator over a stream. Values go straight to a waiting `next()`, otherwise into its own bounded
 * queue. It ends when returned, when its signal aborts, or when the source ends it: quietly (done at once), or with
 * an error (what is queued is still handed out, then `next()` rejects once with the error, then done). `onEnd` runs
 * exactly once, whichever comes first, and releases the subscription.
 */
export class StreamWatcher<T> implements AsyncIterableIterator<T> {
  /** Consumers waiting in `next()`, oldest first (several may wait if `next()` is called without awaiting). */
  private readonly waiting: {
    readonly resolve: (result: IteratorResult<T>) => void;
    readonly reject: (error: unknown) => void;
  }[] = [];
  private ended = false;
  private failure: { readonly error: unknown } | undefined;
  private stopListening: () => void = () => {};

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
    this.stopListening = onAbort(signal, () => this.end());
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
      waiting.resolve({ value, done: false });
      return;
    }
    this.queue.push(value);
  }

  next(): Promise<IteratorResult<T>> {
    const value = this.queue.take();
    if (value !== undefined) return Promise.resolve({ value, done: false });
    if (this.ended) {
      const failure = this.failure;
      this.failure = undefined;
      return failure === undefined ? Promise.resolve({ value: undefined, done: true }) : Promise.reject(failure.error);
    }
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
    });
  }

  return(): Promise<IteratorResult<T>> {
    this.end();
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }

  /** Ends the iteration; with an `error`, the queued values are still handed out first, then the error. */
  end(error?: unknown): void {
    if (this.ended) return;
    this.ended = true;
    this.stopListening();
    if (error === undefined) this.queue.clear();
    else this.failure = { error };
    const waiting = this.waiting.splice(0);
    const [first, ...rest] = waiting;
    if (first !== undefined && this.failure !== undefined) {
      this.failure = undefined;
      first.reject(error);
    } else if (first !== undefined) {
      first.resolve({ value: undefined, done: true });
    }
    for (const each of rest) each.resolve({ value: undefined, done: true });
    this.onEnd();
  }
}
