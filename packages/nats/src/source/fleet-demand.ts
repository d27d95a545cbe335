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
  private readonly held = new Map<StreamKind, Map<MarketCode, Held>>();

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

  /** Every feed on the wire (held or lingering), per kind; kinds with none are left out. */
  onWire(): Partial<Record<StreamKind, MarketCode[]>> {
    const wire: Partial<Record<StreamKind, MarketCode[]>> = {};
    for (const [kind, feeds] of this.held) if (feeds.size > 0) wire[kind] = [...feeds.keys()];
    return wire;
  }

  /** Every market on the wire, whatever the kind. */
  symbols(): MarketCode[] {
    const all = new Set<MarketCode>();
    for (const feeds of this.held.values()) for (const symbol of feeds.keys()) all.add(symbol);
    return [...all];
  }

  /** Drops everything at once (closing); no `offWire` calls. */
  clear(): void {
    for (const feeds of this.held.values()) {
      for (const held of feeds.values()) this.options.clock.clearTimeout(held.linger);
    }
    this.held.clear();
  }

  private feedsOf(kind: StreamKind): Map<MarketCode, Held> {
    let feeds = this.held.get(kind);
    if (feeds === undefined) {
      feeds = new Map();
      this.held.set(kind, feeds);
    }
    return feeds;
  }

  private add(kind: StreamKind, symbol: MarketCode): void {
    const feeds = this.feedsOf(kind);
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
    const feeds = this.feedsOf(kind);
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
