import type { Clock, MarketCode, StreamKind, TimerHandle } from '@marketdata/domain';

export interface FleetDemandOptions {
  readonly clock: Clock;
  /** How long a released feed stays on this consumer's wire (NATS subscription and demand). */
  readonly lingerMs: number;
  /** The feed went on the wire (first hold) or left it (linger over). */
  readonly onWire: (kind: StreamKind, symbol: MarketCode) => void;
  readonly offWire: (kind: StreamKind, symbol: MarketCode) => void;
}

interface Held {
  count: number;
  linger: TimerHandle | undefined;
}

/**
 * Reference counts per kind and market of everything this consumer wants (listeners, `subscribe`, `get…()` waits).
 * A feed released by its last holder lingers `lingerMs` before it leaves the wire: a holder coming back meanwhile
 * finds it, latest value included, with no new demand and no resubscription.
 */
export class FleetDemand {
  private readonly held: { readonly [K in StreamKind]: Map<MarketCode, Held> } = {
    ticker: new Map(),
    trade: new Map(),
    orderbook: new Map(),
  };

  constructor(private readonly options: FleetDemandOptions) {}

  /** Holds each symbol once; returns the release (idempotent). */
  hold(kind: StreamKind, symbols: readonly MarketCode[]): () => void {
    const unique = [...new Set(symbols)];
    for (const symbol of unique) this.add(kind, symbol);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      for (const symbol of unique) this.remove(kind, symbol);
    };
  }

  /** Every feed on the wire (held or lingering), per kind. */
  onWire(): Record<StreamKind, MarketCode[]> {
    return {
      ticker: [...this.held.ticker.keys()],
      trade: [...this.held.trade.keys()],
      orderbook: [...this.held.orderbook.keys()],
    };
  }

  /** Every market on the wire, whatever the kind. */
  symbols(): MarketCode[] {
    const all = new Set<MarketCode>();
    for (const kind of ['ticker', 'trade', 'orderbook'] as const)
      for (const symbol of this.held[kind].keys()) all.add(symbol);
    return [...all];
  }

  /** Drops everything at once (closing); no `offWire` calls. */
  clear(): void {
    for (const kind of ['ticker', 'trade', 'orderbook'] as const) {
      for (const held of this.held[kind].values()) this.options.clock.clearTimeout(held.linger);
      this.held[kind].clear();
    }
  }

  private add(kind: StreamKind, symbol: MarketCode): void {
    const feeds = this.held[kind];
    const held = feeds.get(symbol);
    if (held !== undefined) {
      held.count++;
      this.options.clock.clearTimeout(held.linger);
      held.linger = undefined;
      return;
    }
    feeds.set(symbol, { count: 1, linger: undefined });
    this.options.onWire(kind, symbol);
  }

  private remove(kind: StreamKind, symbol: MarketCode): void {
    const feeds = this.held[kind];
    const held = feeds.get(symbol);
    if (held === undefined) return;
    held.count--;
    if (held.count > 0) return;
    const { clock, lingerMs, offWire } = this.options;
    held.linger = clock.setTimeout(() => {
      if (feeds.get(symbol) !== held || held.count > 0) return;
      feeds.delete(symbol);
      offWire(kind, symbol);
    }, lingerMs);
  }
}
