import type { MarketCode } from '@marketdata/domain';
import type { WatchQueue } from './watch-queue.js';

/**
 * Latest value per symbol, in the order symbols became pending. A slow consumer gets each symbol's newest value
 * and never a backlog: memory is at most one value per watched symbol. Every overwritten value is counted.
 */
export class ConflatingQueue<T extends { readonly symbol: MarketCode }> implements WatchQueue<T> {
  private readonly pending = new Map<MarketCode, T>();

  constructor(private readonly onConflated: () => void) {}

  push(value: T): void {
    if (this.pending.has(value.symbol)) this.onConflated();
    // Map.set on an existing key keeps its position: the symbol stays where it first became pending.
    this.pending.set(value.symbol, value);
  }

  take(): T | undefined {
    const next = this.pending.entries().next();
    if (next.done === true) return undefined;
    const [symbol, value] = next.value;
    this.pending.delete(symbol);
    return value;
  }

  get size(): number {
    return this.pending.size;
  }

  clear(): void {
    this.pending.clear();
  }
}
