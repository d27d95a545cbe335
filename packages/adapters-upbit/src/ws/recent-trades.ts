import type { MarketCode, Trade } from '@marketdata/domain';

/**
 * The most recent trades per subscribed symbol, newest last, at most `capacity` each. The WebSocket only knows
 * trades since it subscribed (the SNAPSHOT is the latest trade), so this is all `getTrades` can answer from.
 */
export class RecentTrades {
  private readonly bySymbol = new Map<MarketCode, Trade[]>();

  constructor(private readonly capacity: number) {}

  last(symbol: MarketCode): Trade | undefined {
    const list = this.bySymbol.get(symbol);
    return list === undefined ? undefined : list[list.length - 1];
  }

  add(trade: Trade): void {
    let list = this.bySymbol.get(trade.symbol);
    if (list === undefined) {
      list = [];
      this.bySymbol.set(trade.symbol, list);
    }
    list.push(trade);
    if (list.length > this.capacity) list.splice(0, list.length - this.capacity);
  }

  /** Newest first, like REST `/v1/trades/ticks`. */
  newestFirst(symbol: MarketCode, count: number): readonly Trade[] {
    const list = this.bySymbol.get(symbol) ?? [];
    return list.slice(Math.max(0, list.length - count)).reverse();
  }

  has(symbol: MarketCode): boolean {
    return (this.bySymbol.get(symbol)?.length ?? 0) > 0;
  }

  delete(symbol: MarketCode): void {
    this.bySymbol.delete(symbol);
  }

  clear(): void {
    this.bySymbol.clear();
  }
}
