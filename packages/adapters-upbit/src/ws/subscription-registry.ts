import type { MarketCode, StreamKind } from '@marketdata/domain';
import type { WsSubscriptionSet } from './protocol/subscription-request.js';

const KINDS: readonly StreamKind[] = ['ticker', 'trade', 'orderbook'];

/**
 * Reference counts per kind and symbol. Every acquire returns its own idempotent release; `onChange` fires when
 * a symbol enters or leaves the set (not when only a count changes), and the owner batches those into one request.
 */
export class SubscriptionRegistry {
  private readonly counts: Record<StreamKind, Map<MarketCode, number>> = {
    ticker: new Map(),
    trade: new Map(),
    orderbook: new Map(),
  };

  constructor(
    private readonly onChange: (kind: StreamKind, added: readonly MarketCode[], removed: readonly MarketCode[]) => void,
  ) {}

  acquire(kind: StreamKind, symbols: readonly MarketCode[]): () => void {
    const unique = [...new Set(symbols)];
    const counts = this.counts[kind];
    const added: MarketCode[] = [];
    for (const symbol of unique) {
      const count = counts.get(symbol) ?? 0;
      counts.set(symbol, count + 1);
      if (count === 0) added.push(symbol);
    }
    if (added.length > 0) this.onChange(kind, added, []);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const removed: MarketCode[] = [];
      for (const symbol of unique) {
        const count = counts.get(symbol) ?? 0;
        if (count <= 1) {
          counts.delete(symbol);
          if (count === 1) removed.push(symbol);
        } else {
          counts.set(symbol, count - 1);
        }
      }
      if (removed.length > 0) this.onChange(kind, [], removed);
    };
  }

  has(kind: StreamKind, symbol: MarketCode): boolean {
    return this.counts[kind].has(symbol);
  }

  count(kind: StreamKind, symbol: MarketCode): number {
    return this.counts[kind].get(symbol) ?? 0;
  }

  /** Sorted codes per kind: the complete set a request must carry. */
  current(): WsSubscriptionSet {
    return {
      ticker: [...this.counts.ticker.keys()].sort(),
      trade: [...this.counts.trade.keys()].sort(),
      orderbook: [...this.counts.orderbook.keys()].sort(),
    };
  }

  /** Every subscribed symbol of any kind, sorted. */
  allSymbols(): readonly MarketCode[] {
    const all = new Set<MarketCode>();
    for (const kind of KINDS) for (const symbol of this.counts[kind].keys()) all.add(symbol);
    return [...all].sort();
  }

  get isEmpty(): boolean {
    return KINDS.every((kind) => this.counts[kind].size === 0);
  }

  clear(): void {
    for (const kind of KINDS) this.counts[kind].clear();
  }
}
