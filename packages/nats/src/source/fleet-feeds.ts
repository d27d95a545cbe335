import type {
  ArrivalFacts,
  Clock,
  Logger,
  MarketCode,
  MarketDataError,
  StreamKind,
  StreamListener,
  StreamRecord,
} from '@marketdata/domain';
import type { DataMessage } from '../wire/messages.js';
import type { StreamFacts } from './stream-facts.js';

/** Trades kept per market for `getTrades` on the streaming source. */
export const RECENT_TRADES = 200;

/** A listener as the feeds hold it: `end` releases it everywhere (its symbols too) and tells it once. */
export interface ListenerEntry<K extends StreamKind> {
  readonly listener: StreamListener<K>;
  end(reason: MarketDataError | undefined): void;
}

interface FeedState<K extends StreamKind> {
  latest: StreamRecord<K> | undefined;
  wantedSinceMonotonic: number;
  lastArrivalMonotonic: number | undefined;
  lastArrivalEpoch: number | undefined;
  /** The gateway instance and per-subject sequence of the last record taken. */
  gateway: string | undefined;
  seq: number;
  /** Trades only: the most recent ones seen since the symbol went on the wire, newest last. */
  readonly recent: StreamRecord<K>[];
  readonly listeners: Set<ListenerEntry<K>>;
  readonly waiters: Set<(record: StreamRecord<K>) => void>;
}

export interface FeedCounters {
  /** Records delivered from live subjects. */
  readonly delivered: number;
  /** Latest values taken from the KV bucket for late joining. */
  readonly replayed: number;
  /** Messages the per-subject sequence says never arrived (slow consumer, a cut in the path). */
  readonly lost: number;
  /** Messages already had (the KV value and its live copy, say). */
  readonly duplicates: number;
}

/**
 * Per kind and market: the latest record, the arrival facts, the listeners (pushed synchronously, no queue in
 * between) and the first-record waiters of `get…()`. Sequence numbers per subject drop duplicates and count losses;
 * lost trades are reported as a (closed) gap, since a trade, unlike a state, is not repaired by the next message.
 */
export class FleetFeeds {
  private readonly byKind = new Map<StreamKind, Map<MarketCode, FeedState<StreamKind>>>();
  private delivered = 0;
  private replayed = 0;
  private lost = 0;
  private duplicates = 0;

  constructor(
    private readonly clock: Clock,
    private readonly facts: StreamFacts,
    private readonly logger: Logger,
  ) {}

  /** The symbol is on this consumer's wire now (asked for, or lingering). */
  ensure<K extends StreamKind>(kind: K, symbol: MarketCode): void {
    const feeds = this.of(kind);
    if (feeds.has(symbol)) return;
    feeds.set(symbol, {
      latest: undefined,
      wantedSinceMonotonic: this.clock.monotonic(),
      lastArrivalMonotonic: undefined,
      lastArrivalEpoch: undefined,
      gateway: undefined,
      seq: 0,
      recent: [],
      listeners: new Set(),
      waiters: new Set(),
    });
  }

  /** Off the wire: the latest value and the facts go with it. */
  drop(kind: StreamKind, symbol: MarketCode): void {
    this.byKind.get(kind)?.delete(symbol);
  }

  latest<K extends StreamKind>(kind: K, symbol: MarketCode): StreamRecord<K> | undefined {
    return this.of(kind).get(symbol)?.latest;
  }

  /** Trades seen since the symbol went on the wire, newest first (at most `RECENT_TRADES`). */
  recentTrades(symbol: MarketCode): readonly StreamRecord<'trade'>[] {
    return [...(this.of('trade').get(symbol)?.recent ?? [])].reverse();
  }

  arrivals(kind: StreamKind, symbol: MarketCode): ArrivalFacts | undefined {
    const feed = this.byKind.get(kind)?.get(symbol);
    if (feed === undefined) return undefined;
    return {
      kind,
      symbol,
      wantedSinceMonotonic: feed.wantedSinceMonotonic,
      lastArrivalMonotonic: feed.lastArrivalMonotonic,
      lastArrivalEpoch: feed.lastArrivalEpoch,
    };
  }

  /** Adds a listener to a symbol already ensured; states replay their latest record first. */
  listen<K extends StreamKind>(kind: K, symbol: MarketCode, entry: ListenerEntry<K>): () => void {
    const feed = this.of(kind).get(symbol);
    if (feed === undefined) return () => {};
    feed.listeners.add(entry);
    if (kind !== 'trade' && feed.latest !== undefined) this.push(entry, feed.latest);
    return () => feed.listeners.delete(entry);
  }

  /** Resolves the next record of the symbol (an ensured one); returns the function that stops waiting. */
  waitFirst<K extends StreamKind>(
    kind: K,
    symbol: MarketCode,
    onRecord: (record: StreamRecord<K>) => void,
  ): () => void {
    const feed = this.of(kind).get(symbol);
    if (feed === undefined) return () => {};
    feed.waiters.add(onRecord);
    return () => feed.waiters.delete(onRecord);
  }

  /** A message from the symbol's live subject. */
  onLive<K extends StreamKind>(kind: K, symbol: MarketCode, message: DataMessage<K>): void {
    const feed = this.of(kind).get(symbol);
    if (feed === undefined) return;
    if (message.type === 'refused') {
      for (const entry of [...feed.listeners]) this.call(() => entry.listener.onError?.(message.error));
      return;
    }
    if (message.type === 'ended') {
      for (const entry of [...feed.listeners]) entry.end(message.error);
      return;
    }
    if (message.gateway === feed.gateway) {
      if (message.seq <= feed.seq) {
        this.duplicates++;
        return;
      }
      const missing = message.seq - feed.seq - 1;
      if (missing > 0) this.onLoss(kind, symbol, feed, message.record, missing);
    }
    this.delivered++;
    this.take(kind, symbol, feed, message, message.record.streamType);
  }

  /** The latest value from the KV bucket: taken only when nothing newer is held. */
  onStored<K extends StreamKind>(kind: K, symbol: MarketCode, message: DataMessage<K>): void {
    const feed = this.of(kind).get(symbol);
    if (feed === undefined || message.type !== 'record') return;
    const newer = feed.latest === undefined || (message.gateway === feed.gateway && message.seq > feed.seq);
    if (!newer) {
      this.duplicates++;
      return;
    }
    this.replayed++;
    // A stored value is a replay, not the market's rhythm: observers hear it as a SNAPSHOT, at its own (aged) time.
    this.take(kind, symbol, feed, message, 'SNAPSHOT');
  }

  counters(): FeedCounters {
    return { delivered: this.delivered, replayed: this.replayed, lost: this.lost, duplicates: this.duplicates };
  }

  /** Every listener of every feed, once each (for closing). */
  allListeners(): Set<ListenerEntry<StreamKind>> {
    const all = new Set<ListenerEntry<StreamKind>>();
    for (const feeds of this.byKind.values()) {
      for (const feed of feeds.values()) for (const entry of feed.listeners) all.add(entry);
    }
    return all;
  }

  /** The feeds of one kind (created empty the first time). */
  private of<K extends StreamKind>(kind: K): Map<MarketCode, FeedState<K>> {
    let feeds = this.byKind.get(kind);
    if (feeds === undefined) {
      feeds = new Map();
      this.byKind.set(kind, feeds);
    }
    return feeds as unknown as Map<MarketCode, FeedState<K>>;
  }

  private take<K extends StreamKind>(
    kind: K,
    symbol: MarketCode,
    feed: FeedState<K>,
    message: Extract<DataMessage<K>, { type: 'record' }>,
    streamType: 'SNAPSHOT' | 'REALTIME' | undefined,
  ): void {
    const record = message.record;
    feed.gateway = message.gateway;
    feed.seq = message.seq;
    feed.latest = record;
    if (kind === 'trade') {
      feed.recent.push(record);
      if (feed.recent.length > RECENT_TRADES) feed.recent.shift();
    }
    feed.lastArrivalMonotonic = record.receivedAtMonotonic;
    feed.lastArrivalEpoch = this.facts.status().epoch;
    this.facts.arrival(kind, symbol, record.receivedAtMonotonic, streamType);
    if (feed.waiters.size > 0) {
      const waiters = [...feed.waiters];
      feed.waiters.clear();
      for (const resolve of waiters) resolve(record);
    }
    for (const entry of feed.listeners) this.push(entry, record);
  }

  private onLoss<K extends StreamKind>(
    kind: K,
    symbol: MarketCode,
    feed: FeedState<K>,
    next: StreamRecord<K>,
    missing: number,
  ): void {
    this.lost += missing;
    const previous = feed.latest;
    if (kind !== 'trade' || previous === undefined) return;
    this.logger.warn('fleet trades lost', { symbol, missing });
    this.facts.recordClosedGap({
      startedAt: previous.receivedAt,
      endedAt: next.receivedAt,
      startedAtMonotonic: previous.receivedAtMonotonic,
      endedAtMonotonic: next.receivedAtMonotonic,
      reason: `${missing} fleet trade message(s) lost between the gateway and this consumer`,
      symbols: [symbol],
    });
  }

  private push<K extends StreamKind>(entry: ListenerEntry<K>, record: StreamRecord<K>): void {
    try {
      entry.listener.onRecord(record);
    } catch (error) {
      this.logger.error('fleet listener threw', { error: String(error) });
    }
  }

  private call(action: () => void): void {
    try {
      action();
    } catch (error) {
      this.logger.error('fleet listener threw', { error: String(error) });
    }
  }
}
