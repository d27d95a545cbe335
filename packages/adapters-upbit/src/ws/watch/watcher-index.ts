import type { MarketCode, MarketDataError } from '@marketdata/domain';
import type { StreamWatcher } from './stream-watcher.js';

export interface WatchEntry<T> {
  readonly watcher: StreamWatcher<T>;
  readonly symbols: readonly MarketCode[];
  readonly onError: ((error: MarketDataError) => void) | undefined;
}

/** Which watchers want which symbol, so a frame reaches exactly its watchers in O(watchers of that symbol). */
export class WatcherIndex<T> {
  private readonly bySymbol = new Map<MarketCode, Set<WatchEntry<T>>>();
  private readonly entries = new Set<WatchEntry<T>>();

  add(entry: WatchEntry<T>): void {
    this.entries.add(entry);
    for (const symbol of entry.symbols) {
      let set = this.bySymbol.get(symbol);
      if (set === undefined) {
        set = new Set();
        this.bySymbol.set(symbol, set);
      }
      set.add(entry);
    }
  }

  remove(entry: WatchEntry<T>): void {
    this.entries.delete(entry);
    for (const symbol of entry.symbols) {
      const set = this.bySymbol.get(symbol);
      if (set === undefined) continue;
      set.delete(entry);
      if (set.size === 0) this.bySymbol.delete(symbol);
    }
  }

  publish(symbol: MarketCode, value: T): void {
    const set = this.bySymbol.get(symbol);
    if (set === undefined) return;
    for (const entry of set) entry.watcher.push(value);
  }

  all(): readonly WatchEntry<T>[] {
    return [...this.entries];
  }

  get size(): number {
    return this.entries.size;
  }
}
