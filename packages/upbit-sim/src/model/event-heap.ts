/** A binary min-heap of scheduled market events, ordered by due time (monotonic ms), then insertion. */
export type EventKind = 0 | 1 | 2; // trade, quote (book-only change), book publication

export interface ScheduledEvent {
  due: number;
  order: number;
  kind: EventKind;
  market: number;
}

export class EventHeap {
  private readonly items: ScheduledEvent[] = [];
  private counter = 0;

  get size(): number {
    return this.items.length;
  }

  peek(): ScheduledEvent | undefined {
    return this.items[0];
  }

  push(due: number, kind: EventKind, market: number): void {
    const item: ScheduledEvent = { due, order: this.counter++, kind, market };
    const items = this.items;
    items.push(item);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = items[parent] as ScheduledEvent;
      if (!less(item, p)) break;
      items[i] = p;
      i = parent;
    }
    items[i] = item;
  }

  pop(): ScheduledEvent | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (top === undefined || last === undefined || items.length === 0) return top;
    let i = 0;
    const n = items.length;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      let child = left;
      if (right < n && less(items[right] as ScheduledEvent, items[left] as ScheduledEvent)) child = right;
      const c = items[child] as ScheduledEvent;
      if (!less(c, last)) break;
      items[i] = c;
      i = child;
    }
    items[i] = last;
    return top;
  }
}

function less(a: ScheduledEvent, b: ScheduledEvent): boolean {
  return a.due < b.due || (a.due === b.due && a.order < b.order);
}
