import {
  type ArrivalFacts,
  type ChannelTicker,
  type Clock,
  ClosedError,
  DataValidationError,
  isDataValidationError,
  type Logger,
  type MarketCode,
  type OrderBook,
  parseMarketCode,
  type RequestOptions,
  type StreamingSource,
  type StreamKind,
  type StreamListener,
  type StreamObserver,
  type StreamRecord,
  type StreamStatus,
  type SubscriptionHandle,
  type SymbolResult,
  type Trade,
  type TradeQuery,
  toMarketDataError,
  type WatchOptions,
} from '@marketdata/domain';
import { type FleetSubjects, STATE_KINDS } from '../subjects.js';
import { decodeDataMessage, decodeGapReport, decodeHeartbeat } from '../wire/messages.js';
import { DemandAnnouncer } from './demand-announcer.js';
import type { FleetLink, FleetMessage } from './fleet-connection.js';
import { FleetDemand } from './fleet-demand.js';
import { type FeedCounters, FleetFeeds, type ListenerEntry } from './fleet-feeds.js';
import { GatewayLiveness } from './gateway-liveness.js';
import { LateJoin } from './late-join.js';
import { nextRecord, type SnapshotHost, tradeCount, watchKind } from './snapshot-calls.js';
import { checkKind, refuseHistory, sampleOf } from './stream-arguments.js';
import { StreamFacts } from './stream-facts.js';
import { UpstreamGaps } from './upstream-gaps.js';

export interface FleetStreamingSettings {
  readonly consumerId: string;
  /** A released feed stays subscribed (NATS and demand) this long. */
  readonly lingerMs: number;
  /** How long the gateway holds this consumer's demand without renewal (renewed every third of it). */
  readonly leaseMs: number;
  /** No gateway heartbeat for this long: the path is down (stale within it, by the backbone's judge). */
  readonly silentAfterMs: number;
  readonly livenessCheckMs: number;
  /** `get…()` without a signal waits this long for a first record. */
  readonly snapshotTimeoutMs: number;
  /** A standalone `watchTrades` consumer may fall this far behind. */
  readonly tradeQueueCapacity: number;
}

export interface FleetStreamingOptions extends FleetStreamingSettings {
  readonly connection: FleetLink;
  readonly subjects: FleetSubjects;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly natsUrl: string;
}

export interface FleetStreamingDiagnostics extends FeedCounters {
  readonly announcements: number;
  readonly lateJoinReads: number;
  readonly subscribedSubjects: number;
}

/**
 * (A file over 300 lines: it is the one class implementing the whole port, each method a line or two delegating to
 * the parts beside it: facts, feeds, demand, announcer, liveness, late join, snapshot calls.)
 *
 * The domain `StreamingSource` over the fleet gateway: the Upbit streams as the gateway publishes them on NATS,
 * with the facts a WebSocket source reports (arrivals, connection state from the NATS connection and the gateway's
 * heartbeats, gaps, refusals), so `createMarketData({ websocket: fleet })` works unchanged. Demand goes to the gateway
 * as leased announcements; nothing here ever talks to Upbit (no silent fallback around the fleet's budget).
 */
export class FleetStreamingSource implements StreamingSource {
  readonly channel = 'websocket' as const;
  private readonly facts: StreamFacts;
  private readonly feeds: FleetFeeds;
  private readonly demand: FleetDemand;
  private readonly announcer: DemandAnnouncer;
  private readonly lateJoin: LateJoin;
  private readonly liveness: GatewayLiveness;
  private readonly dataSubscriptions = new Map<string, () => void>();
  private readonly cleanups: (() => void)[] = [];
  private readonly lifetime = new AbortController();
  private readonly host: SnapshotHost;
  private closed: Promise<void> | undefined;

  constructor(private readonly options: FleetStreamingOptions) {
    const { clock, logger, connection, subjects } = options;
    this.facts = new StreamFacts(clock, logger);
    this.feeds = new FleetFeeds(clock, this.facts, logger);
    this.demand = new FleetDemand({
      clock,
      lingerMs: options.lingerMs,
      onWire: (kind, symbol) => this.putOnWire(kind, symbol),
      offWire: (kind, symbol) => this.takeOffWire(kind, symbol),
    });
    this.announcer = new DemandAnnouncer({
      clock,
      consumer: options.consumerId,
      subject: subjects.demand,
      leaseMs: options.leaseMs,
      feeds: () => this.demand.onWire(),
      publish: (subject, payload) => connection.publish(subject, payload),
    });
    this.lateJoin = new LateJoin({
      clock,
      logger,
      subjects,
      bucket: () => connection.bucket(subjects.kvBucket),
      onStored: (kind, symbol, entry, at) =>
        this.feeds.onStored(kind, symbol, decodeDataMessage(kind, entry.value, at)),
      onMalformed: (kind, error, sample) => this.malformed(kind, error, sample),
    });
    this.liveness = new GatewayLiveness({
      clock,
      facts: this.facts,
      silentAfterMs: options.silentAfterMs,
      checkEveryMs: options.livenessCheckMs,
      wantedSymbols: () => this.demand.symbols(),
      onNewGateway: () => this.announcer.announceNow(),
      natsUrl: options.natsUrl,
    });
    const gaps = new UpstreamGaps(clock, this.facts, () => this.demand.symbols());
    connection.take();
    this.cleanups.push(
      connection.onChange((change) => {
        if (change.type === 'up') {
          this.liveness.natsConnected();
          this.announcer.announceNow();
        } else if (change.type === 'down') this.liveness.natsDisconnected(change.reason);
      }),
      connection.subscribe(subjects.heartbeat, (msg) => this.onHeartbeat(msg)),
      connection.subscribe(subjects.gap, (msg) => {
        try {
          gaps.onReport(decodeGapReport(msg.data));
        } catch (error) {
          this.malformed('unknown', error, sampleOf(msg.data));
        }
      }),
    );
    if (connection.isUp) this.liveness.natsConnected();
    this.host = {
      clock,
      snapshotTimeoutMs: options.snapshotTimeoutMs,
      tradeQueueCapacity: options.tradeQueueCapacity,
      latest: (kind, symbol) => this.feeds.latest(kind, symbol),
      hold: (kind, symbol) => this.demand.hold(kind, [symbol]),
      waitFirst: (kind, symbol, onRecord) => this.feeds.waitFirst(kind, symbol, onRecord),
      listen: (kind, symbols, listener) => this.listen(kind, symbols, listener),
      assertOpen: (operation) => this.assertOpen(operation),
      closing: this.lifetime.signal,
    };
  }

  subscribe(kind: StreamKind, symbols: readonly MarketCode[]): SubscriptionHandle {
    checkKind(kind);
    const codes = symbols.map((symbol) => parseMarketCode(symbol));
    this.assertOpen('subscribe');
    return { release: this.demand.hold(kind, codes) };
  }

  listen<K extends StreamKind>(
    kind: K,
    symbols: readonly MarketCode[],
    listener: StreamListener<K>,
  ): SubscriptionHandle {
    checkKind(kind);
    const codes = [...new Set(symbols.map((symbol) => parseMarketCode(symbol)))];
    this.assertOpen('listen');
    const release = this.demand.hold(kind, codes);
    const removers: (() => void)[] = [];
    let ended = false;
    const stop = (): void => {
      if (ended) return;
      ended = true;
      for (const remove of removers.splice(0)) remove();
      release();
    };
    const entry: ListenerEntry<K> = {
      listener,
      end: (reason) => {
        if (ended) return;
        stop();
        try {
          listener.onEnd?.(reason);
        } catch (error) {
          this.options.logger.error('fleet listener threw', { error: String(error) });
        }
      },
    };
    for (const symbol of codes) removers.push(this.feeds.listen(kind, symbol, entry));
    return { release: stop };
  }

  latest<K extends StreamKind>(kind: K, symbol: MarketCode): StreamRecord<K> | undefined {
    return this.feeds.latest(kind, symbol);
  }

  arrivals(kind: StreamKind, symbol: MarketCode): ArrivalFacts | undefined {
    return this.feeds.arrivals(kind, symbol);
  }

  observe(observer: StreamObserver): () => void {
    return this.facts.observe(observer);
  }

  status(): StreamStatus {
    return this.facts.status();
  }

  diagnostics(): FleetStreamingDiagnostics {
    return {
      ...this.feeds.counters(),
      announcements: this.announcer.announcements,
      lateJoinReads: this.lateJoin.reads,
      subscribedSubjects: this.dataSubscriptions.size,
    };
  }

  getTicker(symbol: MarketCode, options: RequestOptions = {}): Promise<ChannelTicker> {
    return nextRecord(this.host, 'ticker', parseMarketCode(symbol), 'getTicker', options.signal);
  }

  async getTickers(
    symbols: readonly MarketCode[],
    options: RequestOptions = {},
  ): Promise<readonly SymbolResult<ChannelTicker>[]> {
    const outcomes = await Promise.allSettled(symbols.map((symbol) => this.getTicker(symbol, options)));
    return outcomes.map((outcome, index) => {
      const symbol = symbols[index] as MarketCode;
      return outcome.status === 'fulfilled'
        ? { symbol, ok: true, value: outcome.value }
        : { symbol, ok: false, error: toMarketDataError(outcome.reason, { channel: 'websocket', symbol }) };
    });
  }

  getOrderBook(symbol: MarketCode, options: RequestOptions = {}): Promise<OrderBook> {
    return nextRecord(this.host, 'orderbook', parseMarketCode(symbol), 'getOrderBook', options.signal);
  }

  /**
   * Trades seen on this consumer's wire since the symbol went on it, newest first (a stream has no history: `cursor`,
   * `to` and `daysAgo` are refused with `DataValidationError`; ask the REST source for history).
   */
  async getTrades(symbol: MarketCode, options: TradeQuery = {}): Promise<readonly Trade[]> {
    refuseHistory(options);
    const code = parseMarketCode(symbol);
    const count = tradeCount(options.count);
    const recent = this.feeds.recentTrades(code);
    if (recent.length > 0) {
      this.demand.hold('trade', [code])();
      return recent.slice(0, count);
    }
    return [await nextRecord(this.host, 'trade', code, 'getTrades', options.signal)];
  }

  watchTickers(symbols: readonly MarketCode[], options: WatchOptions = {}): AsyncIterableIterator<ChannelTicker> {
    return watchKind(this.host, 'ticker', symbols, options.signal);
  }

  watchOrderBooks(symbols: readonly MarketCode[], options: WatchOptions = {}): AsyncIterableIterator<OrderBook> {
    return watchKind(this.host, 'orderbook', symbols, options.signal);
  }

  watchTrades(symbols: readonly MarketCode[], options: WatchOptions = {}): AsyncIterableIterator<Trade> {
    return watchKind(this.host, 'trade', symbols, options.signal);
  }

  close(): Promise<void> {
    this.closed ??= this.closeOnce();
    return this.closed;
  }

  private async closeOnce(): Promise<void> {
    this.lifetime.abort(new ClosedError('fleet streaming source', { channel: 'websocket' }));
    this.announcer.close();
    this.liveness.close();
    for (const entry of this.feeds.allListeners()) entry.end(undefined);
    this.demand.clear();
    for (const unsubscribe of this.dataSubscriptions.values()) unsubscribe();
    this.dataSubscriptions.clear();
    for (const cleanup of this.cleanups.splice(0)) cleanup();
    this.facts.clearObservers();
    await this.options.connection.release();
  }

  private assertOpen(operation: string): void {
    if (this.lifetime.signal.aborted)
      throw new ClosedError('fleet streaming source', { channel: 'websocket', operation });
  }

  private putOnWire(kind: StreamKind, symbol: MarketCode): void {
    const { connection, subjects, clock } = this.options;
    this.feeds.ensure(kind, symbol);
    const unsubscribe = connection.subscribe(subjects.data(kind, symbol), (msg) => {
      const at = clock.monotonic();
      this.facts.lastInboundMonotonic = at;
      let message: ReturnType<typeof decodeDataMessage<typeof kind>>;
      try {
        message = decodeDataMessage(kind, msg.data, at);
      } catch (error) {
        this.malformed(kind, error, sampleOf(msg.data));
        return;
      }
      this.feeds.onLive(kind, symbol, message);
    });
    this.dataSubscriptions.set(`${kind} ${symbol}`, unsubscribe);
    // After the live subscription, so nothing published in between is missed (the feeds keep the newer one).
    if (STATE_KINDS.includes(kind)) this.lateJoin.request(kind, symbol);
    this.announcer.changed();
  }

  private takeOffWire(kind: StreamKind, symbol: MarketCode): void {
    const key = `${kind} ${symbol}`;
    this.dataSubscriptions.get(key)?.();
    this.dataSubscriptions.delete(key);
    this.feeds.drop(kind, symbol);
    this.announcer.changed();
  }

  private onHeartbeat(msg: FleetMessage): void {
    this.facts.lastInboundMonotonic = this.options.clock.monotonic();
    try {
      this.liveness.heartbeat(decodeHeartbeat(msg.data));
    } catch (error) {
      this.malformed('unknown', error, sampleOf(msg.data));
    }
  }

  private malformed(kind: StreamKind | 'unknown', error: unknown, sample: string): void {
    const validation = toMarketDataError(error, { channel: 'websocket', operation: 'decode' });
    this.facts.malformedMessage({
      kind,
      error: isDataValidationError(validation)
        ? validation
        : new DataValidationError(validation.message, { channel: 'websocket', path: '$' }),
      sample,
      atMonotonic: this.options.clock.monotonic(),
    });
  }
}
