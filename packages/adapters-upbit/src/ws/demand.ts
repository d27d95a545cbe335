import type { Clock, MarketCode, StreamKind, TimerHandle } from '@marketdata/domain';
import { STREAM_KINDS, subscriptionSet, type WebSocketSubscriptionSet } from './protocol/subscription-request.js';

function perKind<T>(make: () => T): Record<StreamKind, T> {
  const out = {} as Record<StreamKind, T>;
  for (const kind of STREAM_KINDS) out[kind] = make();
  return out;
}

/** Symbols released together linger together: one timer per release. */
interface LingerBatch {
  readonly kind: StreamKind;
  readonly symbols: Set<MarketCode>;
  timer: TimerHandle | undefined;
}

/** `added` entered the wire set, `removed` left it. */
export type WireChange = (kind: StreamKind, added: readonly MarketCode[], removed: readonly MarketCode[]) => void;

/**
 * What should be on the wire: reference counts per kind and symbol, plus symbols whose last reference was released
 * less than `lingerMs` ago (a consumer that comes back soon finds them live, and nothing is re-sent). Every acquire
 * returns its own idempotent release. `onChange` fires when a symbol enters or leaves the wire set.
 */
export class Demand {
  private readonly counts = perKind(() => new Map<MarketCode, number>());
  private readonly lingering = perKind(() => new Map<MarketCode, LingerBatch>());

  constructor(
    private readonly clock: Clock,
    private readonly lingerMs: number,
    private readonly onChange: WireChange,
  ) {}

  acquire(kind: StreamKind, symbols: readonly MarketCode[]): () => void {
    const unique = [...new Set(symbols)];
    const counts = this.counts[kind];
    const added: MarketCode[] = [];
    for (const symbol of unique) {
      const count = counts.get(symbol) ?? 0;
      counts.set(symbol, count + 1);
      if (count === 0 && !this.stopLingering(kind, symbol)) added.push(symbol);
    }
    if (added.length > 0) this.onChange(kind, added, []);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.release(kind, unique);
    };
  }

  /** On the wire: held, or lingering. */
  has(kind: StreamKind, symbol: MarketCode): boolean {
    return this.counts[kind].has(symbol) || this.lingering[kind].has(symbol);
  }

  /** Sorted codes per kind: the complete set a request must carry. */
  wireSet(): WebSocketSubscriptionSet {
    const codes: Partial<Record<StreamKind, string[]>> = {};
    for (const kind of STREAM_KINDS) {
      const counts = this.counts[kind];
      const lingering = this.lingering[kind];
      if (counts.size + lingering.size > 0) codes[kind] = [...new Set([...counts.keys(), ...lingering.keys()])].sort();
    }
    return subscriptionSet(codes);
  }

  /** Every symbol on the wire, any kind, sorted. */
  allSymbols(): readonly MarketCode[] {
    const all = new Set<MarketCode>();
    for (const kind of STREAM_KINDS) {
      for (const symbol of this.counts[kind].keys()) all.add(symbol);
      for (const symbol of this.lingering[kind].keys()) all.add(symbol);
    }
    return [...all].sort();
  }

  get isEmpty(): boolean {
    return STREAM_KINDS.every((kind) => this.counts[kind].size === 0 && this.lingering[kind].size === 0);
  }

  /** Symbols lingering after release, all kinds. */
  get lingeringCount(): number {
    return STREAM_KINDS.reduce((sum, kind) => sum + this.lingering[kind].size, 0);
  }

  clear(): void {
    for (const kind of STREAM_KINDS) {
      for (const batch of this.lingering[kind].values()) this.clock.clearTimeout(batch.timer);
      this.lingering[kind].clear();
      this.counts[kind].clear();
    }
  }

  private release(kind: StreamKind, symbols: readonly MarketCode[]): void {
    const counts = this.counts[kind];
    const unheld: MarketCode[] = [];
    for (const symbol of symbols) {
      const count = counts.get(symbol) ?? 0;
      if (count > 1) {
        counts.set(symbol, count - 1);
        continue;
      }
      counts.delete(symbol);
      if (count === 1) unheld.push(symbol);
    }
    if (unheld.length === 0) return;
    if (this.lingerMs <= 0) {
      this.onChange(kind, [], unheld);
      return;
    }
    const batch: LingerBatch = { kind, symbols: new Set(unheld), timer: undefined };
    for (const symbol of unheld) this.lingering[kind].set(symbol, batch);
    batch.timer = this.clock.setTimeout(() => {
      batch.timer = undefined;
      const gone = [...batch.symbols];
      for (const symbol of gone) this.lingering[kind].delete(symbol);
      batch.symbols.clear();
      if (gone.length > 0) this.onChange(kind, [], gone);
    }, this.lingerMs);
  }

  /** True when the symbol was lingering (and is now held again, with no change on the wire). */
  private stopLingering(kind: StreamKind, symbol: MarketCode): boolean {
    const batch = this.lingering[kind].get(symbol);
    if (batch === undefined) return false;
    this.lingering[kind].delete(symbol);
    batch.symbols.delete(symbol);
    if (batch.symbols.size === 0) {
      this.clock.clearTimeout(batch.timer);
      batch.timer = undefined;
    }
    return true;
  }
}
