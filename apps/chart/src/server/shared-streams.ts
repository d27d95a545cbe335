import type { MarketDataError } from '@marketdata/domain';

export interface StreamSubscriber<T> {
  onValue(value: T): void;
  /** The upstream stream failed; the subscription is over (join again to reopen it). */
  onError(error: MarketDataError): void;
}

/** Opens one upstream stream for a key; returns the function that stops it. */
export type StreamOpener<T> = (
  key: string,
  emit: (value: T) => void,
  fail: (error: MarketDataError) => void,
) => () => void;

export interface SharedStreamOptions<T> {
  readonly open: StreamOpener<T>;
  /** Replay the latest value to a subscriber that joins an open stream (states: tickers, books, the live candle). */
  readonly replayLatest: boolean;
  /** Merges a value into what is replayed (default: the value replaces the last one). */
  readonly remember?: ((previous: T | undefined, value: T) => T) | undefined;
}

interface OpenStream<T> {
  readonly subscribers: Set<StreamSubscriber<T>>;
  stop: () => void;
  latest: T | undefined;
}

/**
 * One upstream stream per key, however many subscribers (tabs): opened by the first `join`, stopped when the last
 * one leaves or when it fails (every subscriber hears the error; the next `join` opens it again).
 */
export class SharedStreams<T> {
  private readonly streams = new Map<string, OpenStream<T>>();
  private opened = 0;

  constructor(private readonly options: SharedStreamOptions<T>) {}

  /** Upstream streams opened since start (a test and the stats read it). */
  get openedCount(): number {
    return this.opened;
  }

  get openKeys(): readonly string[] {
    return [...this.streams.keys()];
  }

  /** The value a joining subscriber would be replayed (undefined when none or not open). */
  latest(key: string): T | undefined {
    return this.streams.get(key)?.latest;
  }

  subscriberCount(key: string): number {
    return this.streams.get(key)?.subscribers.size ?? 0;
  }

  /** Subscribes; returns the function that leaves (idempotent). */
  join(key: string, subscriber: StreamSubscriber<T>): () => void {
    let stream = this.streams.get(key);
    if (stream === undefined) {
      const created: OpenStream<T> = { subscribers: new Set([subscriber]), stop: () => {}, latest: undefined };
      stream = created;
      this.streams.set(key, created);
      this.opened++;
      const current = (): boolean => this.streams.get(key) === created;
      let opening = true;
      let failedWhileOpening = false;
      const stop = this.options.open(
        key,
        (value) => {
          if (!current()) return;
          created.latest = this.options.remember === undefined ? value : this.options.remember(created.latest, value);
          for (const each of [...created.subscribers]) each.onValue(value);
        },
        (error) => {
          if (!current()) return;
          this.streams.delete(key);
          if (opening) failedWhileOpening = true;
          else created.stop();
          for (const each of [...created.subscribers]) each.onError(error);
          created.subscribers.clear();
        },
      );
      opening = false;
      created.stop = stop;
      if (failedWhileOpening) stop();
    } else {
      stream.subscribers.add(subscriber);
      if (this.options.replayLatest && stream.latest !== undefined) subscriber.onValue(stream.latest);
    }
    const joined = stream;
    let left = false;
    return () => {
      if (left) return;
      left = true;
      joined.subscribers.delete(subscriber);
      if (joined.subscribers.size === 0 && this.streams.get(key) === joined) {
        this.streams.delete(key);
        joined.stop();
      }
    };
  }

  /** Hands a value to every subscriber of an open stream as if it came from upstream (REST reconcile). */
  inject(key: string, value: T): void {
    const stream = this.streams.get(key);
    if (stream === undefined) return;
    stream.latest = this.options.remember === undefined ? value : this.options.remember(stream.latest, value);
    for (const each of [...stream.subscribers]) each.onValue(value);
  }

  /** Stops every stream (server shutdown); subscribers hear nothing more. */
  closeAll(): void {
    for (const stream of this.streams.values()) stream.stop();
    this.streams.clear();
  }
}
