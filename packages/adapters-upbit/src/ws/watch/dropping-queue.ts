import type { WatchQueue } from './watch-queue.js';

/**
 * A bounded FIFO for trades. Conflating trades would silently lose them, so every trade is queued; when a slow
 * consumer lets the queue fill, the oldest trade is dropped and reported through `onDrop` (count and the dropped
 * trade), keeping the stream current and memory bounded.
 */
export class DroppingQueue<T> implements WatchQueue<T> {
  private readonly items: (T | undefined)[];
  private head = 0;
  private length = 0;
  private overflowing = false;

  constructor(
    readonly capacity: number,
    /** `firstOfEpisode` is true for the first drop since the consumer last emptied the queue. */
    private readonly onDrop: (dropped: T, firstOfEpisode: boolean) => void,
  ) {
    this.items = new Array<T | undefined>(capacity);
  }

  push(value: T): void {
    if (this.length === this.capacity) {
      const dropped = this.items[this.head] as T;
      this.items[this.head] = value;
      this.head = (this.head + 1) % this.capacity;
      const first = !this.overflowing;
      this.overflowing = true;
      this.onDrop(dropped, first);
      return;
    }
    this.items[(this.head + this.length) % this.capacity] = value;
    this.length++;
  }

  take(): T | undefined {
    if (this.length === 0) return undefined;
    const value = this.items[this.head];
    this.items[this.head] = undefined;
    this.head = (this.head + 1) % this.capacity;
    this.length--;
    if (this.length === 0) this.overflowing = false;
    return value;
  }

  get size(): number {
    return this.length;
  }

  clear(): void {
    this.items.fill(undefined);
    this.head = 0;
    this.length = 0;
    this.overflowing = false;
  }
}
