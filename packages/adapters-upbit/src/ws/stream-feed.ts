import type { ArrivalFacts, Clock, MarketCode, MarketDataError, StreamKind } from '@marketdata/domain';
import { RecentRecords } from './recent-records.js';
import { RecordWaiters, type WaitOptions } from './record-waiters.js';

/** A push consumer of one feed. `onEnd` runs once when the source ends it (refused for good, or closed). */
export interface FeedListener<T> {
  onRecord(record: T): void;
  onError?(error: MarketDataError): void;
  onEnd?(reason: MarketDataError | undefined): void;
}

/** How a kind of data behaves in its feed. */
export interface FeedPolicy<T> {
  readonly kind: StreamKind;
  /** Records kept per symbol: 1 for states, the recent trades `getTrades` answers from for trades. */
  readonly keep: number;
  /** States replay the latest record to a new listener; events (trades) never do. */
  readonly replay: boolean;
  /** A record repeating the last one kept (the trade SNAPSHOT after a reconnect) is not delivered again. */
  readonly isRepeat?: ((last: T, next: T) => boolean) | undefined;
  /**
   * A record older than the latest kept (a candle of an earlier period arriving after a newer one) is delivered
   * (it is a fact) but does not replace the latest.
   */
  readonly isOlder?: ((latest: T, next: T) => boolean) | undefined;
}

interface SymbolFacts<T> {
  wantedSince: number;
  lastArrival: number | undefined;
  lastEpoch: number | undefined;
  /** The newest `keep`. */
  readonly records: RecentRecords<T>;
}

interface Entry<T> {
  readonly listener: FeedListener<T>;
  readonly symbols: readonly MarketCode[];
  readonly release: () => void;
}

/**
 * One kind of data (written once, used for tickers, trades, order books and candles): per symbol on the wire its arrival
 * facts and latest record(s), the listeners it pushes to (synchronously, no queue), and callers waiting for a first
 * record. A throwing listener is reported to `onListenerError` and never breaks delivery to the others.
 */
export class StreamFeed<T extends { readonly symbol: MarketCode }> {
  private readonly facts = new Map<MarketCode, SymbolFacts<T>>();
  private readonly bySymbol = new Map<MarketCode, Set<Entry<T>>>();
  private readonly entries = new Set<Entry<T>>();
  private readonly waiters: RecordWaiters<T>;
  private repeatCount = 0;

  constructor(
    readonly policy: FeedPolicy<T>,
    clock: Clock,
    private readonly onListenerError: (error: unknown) => void,
  ) {
    this.waiters = new RecordWaiters(clock);
  }

  /** The symbol entered the wire set (asked for). */
  added(symbol: MarketCode, atMonotonic: number): void {
    if (!this.facts.has(symbol)) {
      this.facts.set(symbol, {
        wantedSince: atMonotonic,
        lastArrival: undefined,
        lastEpoch: undefined,
        records: new RecentRecords<T>(this.policy.keep),
      });
    }
  }

  /** A request put the symbol on the current socket. */
  sent(symbol: MarketCode, atMonotonic: number): void {
    const facts = this.facts.get(symbol);
    if (facts !== undefined) facts.wantedSince = atMonotonic;
  }

  /** The symbol left the wire: its facts and records go with it. */
  removed(symbol: MarketCode): void {
    this.facts.delete(symbol);
  }

  isWanted(symbol: MarketCode): boolean {
    return this.facts.has(symbol);
  }

  /** Wanted symbols whose latest record passes `test`. */
  wantedWhere(test: (latest: T) => boolean): MarketCode[] {
    const found: MarketCode[] = [];
    for (const [symbol, facts] of this.facts) {
      const latest = facts.records.at(-1);
      if (latest !== undefined && test(latest)) found.push(symbol);
    }
    return found;
  }

  /** Records that a record for a wanted symbol arrived; false (nothing recorded) when it is not wanted. */
  noteArrival(symbol: MarketCode, atMonotonic: number, epoch: number): boolean {
    const facts = this.facts.get(symbol);
    if (facts === undefined) return false;
    facts.lastArrival = atMonotonic;
    facts.lastEpoch = epoch;
    return true;
  }

  /** Keeps the record and pushes it to waiters and listeners; false for a repeat (kept back). */
  deliver(record: T): boolean {
    const facts = this.facts.get(record.symbol);
    if (facts === undefined) return false;
    const last = facts.records.at(-1);
    if (last !== undefined && this.policy.isRepeat?.(last, record) === true) {
      this.repeatCount++;
      return false;
    }
    if (last === undefined || this.policy.isOlder?.(last, record) !== true) facts.records.push(record);
    this.waiters.resolve(record.symbol, record);
    const entries = this.bySymbol.get(record.symbol);
    if (entries === undefined) return true;
    if (entries.size === 1) {
      for (const entry of entries) this.push(entry.listener, record);
      return true;
    }
    // A copy: listeners added while this record is delivered do not get it, ones removed meanwhile still do.
    for (const entry of [...entries]) this.push(entry.listener, record);
    return true;
  }

  latest(symbol: MarketCode): T | undefined {
    return this.facts.get(symbol)?.records.at(-1);
  }

  /** Newest first, at most `count`. */
  recent(symbol: MarketCode, count: number): readonly T[] {
    return this.facts.get(symbol)?.records.newest(count) ?? [];
  }

  arrivals(symbol: MarketCode): ArrivalFacts | undefined {
    const facts = this.facts.get(symbol);
    if (facts === undefined) return undefined;
    return {
      kind: this.policy.kind,
      symbol,
      wantedSinceMonotonic: facts.wantedSince,
      lastArrivalMonotonic: facts.lastArrival,
      lastArrivalEpoch: facts.lastEpoch,
    };
  }

  /** Adds a listener (states: the latest held record of each symbol is pushed at once). Returns its removal. */
  listen(symbols: readonly MarketCode[], listener: FeedListener<T>, release: () => void): () => void {
    const entry: Entry<T> = { listener, symbols, release };
    this.entries.add(entry);
    for (const symbol of symbols) {
      let set = this.bySymbol.get(symbol);
      if (set === undefined) {
        set = new Set();
        this.bySymbol.set(symbol, set);
      }
      set.add(entry);
    }
    if (this.policy.replay) {
      for (const symbol of symbols) {
        const latest = this.latest(symbol);
        if (latest !== undefined && this.entries.has(entry)) this.call(() => listener.onRecord(latest));
      }
    }
    return () => this.remove(entry);
  }

  wait(symbol: MarketCode, options: WaitOptions): Promise<T> {
    return this.waiters.wait(symbol, options);
  }

  /** A refusal these symbols depend on: every listener hears it, every waiter is rejected. */
  refused(error: MarketDataError): void {
    this.waiters.rejectAll(error);
    for (const entry of [...this.entries]) this.call(() => entry.listener.onError?.(error));
  }

  /** Ends every listener (removed, its demand released), telling it why (`undefined`: the source closed). */
  endAll(reason: MarketDataError | undefined): void {
    if (reason !== undefined) this.waiters.rejectAll(reason);
    for (const entry of [...this.entries]) {
      this.remove(entry);
      if (reason !== undefined) this.call(() => entry.listener.onError?.(reason));
      this.call(() => entry.listener.onEnd?.(reason));
    }
  }

  rejectWaiters(error: MarketDataError): void {
    this.waiters.rejectAll(error);
  }

  get listenerCount(): number {
    return this.entries.size;
  }

  get waiting(): number {
    return this.waiters.size;
  }

  /** Records kept back as repeats. */
  get repeats(): number {
    return this.repeatCount;
  }

  clear(): void {
    this.facts.clear();
  }

  private remove(entry: Entry<T>): void {
    if (!this.entries.delete(entry)) return;
    for (const symbol of entry.symbols) {
      const set = this.bySymbol.get(symbol);
      set?.delete(entry);
      if (set?.size === 0) this.bySymbol.delete(symbol);
    }
    entry.release();
  }

  private push(listener: FeedListener<T>, record: T): void {
    try {
      listener.onRecord(record);
    } catch (error) {
      this.onListenerError(error);
    }
  }

  private call(action: () => void): void {
    try {
      action();
    } catch (error) {
      this.onListenerError(error);
    }
  }
}
