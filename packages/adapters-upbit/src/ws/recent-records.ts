/**
 * The newest `capacity` records of one symbol, in a ring: keeping one more costs the same however many are kept
 * (an array trimmed from the front copies every kept record per record added, which showed at 100k+ trades/s).
 * It grows as records come, so a large capacity costs nothing until used.
 */
export class RecentRecords<T> {
  private readonly ring: T[] = [];
  /** Where the oldest record is, once the ring is full. */
  private oldest = 0;

  constructor(private readonly capacity: number) {}

  get length(): number {
    return this.ring.length;
  }

  push(record: T): void {
    if (this.ring.length < this.capacity) {
      this.ring.push(record);
      return;
    }
    this.ring[this.oldest] = record;
    this.oldest = this.oldest + 1 === this.capacity ? 0 : this.oldest + 1;
  }

  /** Like `Array.prototype.at` over the kept records, oldest first: `at(-1)` is the newest. */
  at(index: number): T | undefined {
    const length = this.ring.length;
    const position = index < 0 ? length + index : index;
    if (position < 0 || position >= length) return undefined;
    return this.ring[(this.oldest + position) % length];
  }

  /** The newest `count` at most, newest first. */
  newest(count: number): T[] {
    const out: T[] = [];
    const wanted = Math.min(count, this.ring.length);
    for (let i = 1; i <= wanted; i++) out.push(this.at(-i) as T);
    return out;
  }
}
