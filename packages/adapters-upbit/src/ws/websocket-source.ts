import {
  type ArrivalFacts,
  type ChannelTicker,
  ClosedError,
  type ConnectionState,
  type MarketCode,
  type MarketDataError,
  type OrderBook,
  parseMarketCode,
  type RequestOptions,
  type StreamKind,
  type StreamListener,
  type StreamObserver,
  type StreamRecord,
  type SubscriptionHandle,
  type SymbolResult,
  type Trade,
  type TradeQuery,
  type UpstreamError,
} from '@marketdata/domain';
import { UpbitConnection } from './connection.js';
import { type DecodedWebSocketFrame, decodeWebSocketMessage } from './decode/frame-decoder.js';
import { checkKind, StreamFeeds } from './feeds.js';
import { attributeMalformed } from './malformed-attribution.js';
import { MalformedReporter } from './malformed-reporter.js';
import { type ResolvedOptions, resolveOptions, type UpbitWebSocketOptions } from './options.js';
import { STREAM_KINDS } from './protocol/subscription-request.js';
import { latestOrNext, refuseHistoryQuery, type SnapshotGetDeps, tickerPerSymbol, tradeCount } from './snapshot-get.js';
import type {
  UpbitSourceDiagnostics,
  UpbitStreamStatus,
  UpbitWatchOptions,
  UpbitWebSocketSource,
} from './source-types.js';
import { StreamFacts } from './stream-facts.js';
import { SubscriptionSync } from './subscription-sync.js';
import { type UpbitWatchStream, watchStream } from './watch/watch-stream.js';

/**
 * Creates the Upbit WebSocket source: a `StreamingSource` that reports facts (arrivals, connection, gaps,
 * refusals) and never grades. Nothing connects until something is subscribed. Throws `ConfigError` for bad options.
 */
export function createUpbitWebSocketSource(options: UpbitWebSocketOptions = {}): UpbitWebSocketSource {
  return new WebSocketSource(resolveOptions(options));
}

/**
 * Composition: the connection state machine (one socket at a time, heartbeat, backoff, the process-wide connect
 * governor), one subscription sync (the only owner of what is on the wire) and one feed per data kind (latest
 * value, arrival facts, listeners). Data path: socket → decode + validate + map (one pass) → feed → listeners.
 */
class WebSocketSource implements UpbitWebSocketSource {
  readonly channel = 'websocket' as const;

  private readonly connection: UpbitConnection;
  private readonly sync: SubscriptionSync;
  private readonly feeds: StreamFeeds;
  private readonly facts: StreamFacts;
  private readonly malformed: MalformedReporter;
  private readonly snapshots: SnapshotGetDeps;
  private framesReceived = 0;
  private closing: Promise<void> | undefined;

  constructor(private readonly options: ResolvedOptions) {
    const { clock, logger, random } = options;
    const onListenerError = (error: unknown): void =>
      logger.error('WebSocket listener threw', { error: String(error) });
    this.feeds = new StreamFeeds(clock, options.recentTradesPerSymbol, onListenerError);
    this.facts = new StreamFacts(clock, logger, options.maxGaps);
    this.malformed = new MalformedReporter(logger);
    const { createSocket, connectionGovernor: governor } = options;
    this.connection = new UpbitConnection(
      options,
      { clock, logger, random, createSocket, governor },
      {
        onState: (event) => this.facts.connection(event),
        onOpen: () => this.sync.socketOpened(),
        onMessage: (text, receivedAt, receivedAtMonotonic) => {
          this.framesReceived++;
          decodeWebSocketMessage(text, receivedAt, receivedAtMonotonic, this.handleFrame);
        },
        onLost: (loss) => {
          this.sync.socketLost();
          this.facts.lost(loss, this.sync.allSymbols());
        },
        onRefusal: (refusal, retryAt) => {
          this.facts.refused(refusal.kind, refusal.error, retryAt);
          this.feeds.refused(refusal.error, true);
        },
      },
    );
    this.sync = new SubscriptionSync(options, clock, random, this.connection, {
      onWireChange: (kind, added, removed) => {
        const now = clock.monotonic();
        for (const symbol of added) this.feeds.of(kind).added(symbol, now);
        for (const symbol of removed) this.feeds.of(kind).removed(symbol);
        if (this.sync.isEmpty) this.facts.nothingWanted();
      },
      onSent: (set) => {
        const now = clock.monotonic();
        for (const kind of STREAM_KINDS) {
          for (const code of set[kind]) this.feeds.of(kind).sent(code as MarketCode, now);
        }
      },
    });
    this.snapshots = {
      feed: (kind) => this.feeds.of(kind),
      acquire: (kind, symbols) => this.sync.acquire(kind, symbols),
      standingRefusal: () => this.facts.standingRefusal(this.sync.isQuiet),
      snapshotTimeoutMs: options.snapshotTimeoutMs,
      connectionState: () => this.connection.state,
    };
  }

  get state(): ConnectionState {
    return this.connection.state;
  }

  subscribe(kind: StreamKind, symbols: readonly string[]): SubscriptionHandle {
    checkKind(kind);
    const codes = symbols.map((symbol) => parseMarketCode(symbol));
    this.assertOpen('subscribe');
    return { release: this.sync.acquire(kind, codes) };
  }

  listen<K extends StreamKind>(kind: K, symbols: readonly string[], listener: StreamListener<K>): SubscriptionHandle {
    checkKind(kind);
    const codes = [...new Set(symbols.map((symbol) => parseMarketCode(symbol)))];
    this.assertOpen('listen');
    const remove = this.feeds.of(kind).listen(codes, listener, this.sync.acquire(kind, codes));
    const standing = this.facts.standingRefusal(this.sync.isQuiet);
    // The same set Upbit refused for good: this listener ends at once, as the others did.
    const ended = standing?.kind === 'error-frame';
    if (ended) remove();
    if (standing !== undefined) this.feeds.tellOne(listener, standing.error, ended);
    return { release: remove };
  }

  latest<K extends StreamKind>(kind: K, symbol: string): StreamRecord<K> | undefined {
    // A lookup only: a string that is no code on the wire is simply not found.
    return this.feeds.of(kind)?.latest(symbol as MarketCode);
  }

  arrivals(kind: StreamKind, symbol: string): ArrivalFacts | undefined {
    return this.feeds.of(kind)?.arrivals(symbol as MarketCode);
  }

  observe(observer: StreamObserver): () => void {
    return this.facts.observe(observer);
  }

  getTicker(symbol: string, options: RequestOptions = {}): Promise<ChannelTicker> {
    return this.get('ticker', symbol, options, 'getTicker');
  }

  async getTickers(
    symbols: readonly string[],
    options: RequestOptions = {},
  ): Promise<readonly SymbolResult<ChannelTicker>[]> {
    this.assertOpen('getTickers');
    return tickerPerSymbol(symbols, (symbol) => this.getTicker(symbol, options));
  }

  getOrderBook(symbol: string, options: RequestOptions = {}): Promise<OrderBook> {
    return this.get('orderbook', symbol, options, 'getOrderBook');
  }

  /**
   * Newest first. The WebSocket only knows trades since it subscribed to the symbol (its SNAPSHOT is the latest
   * trade), so this returns at most what arrived since then, up to `count` (default: all kept). It has no history
   * to page: `cursor`, `to` and `daysAgo` are refused.
   */
  async getTrades(symbol: string, options: TradeQuery = {}): Promise<readonly Trade[]> {
    refuseHistoryQuery(options);
    const count = tradeCount(options.count ?? this.options.recentTradesPerSymbol);
    const code = parseMarketCode(symbol);
    await this.get('trade', code, options, 'getTrades');
    return this.feeds.of('trade').recent(code, count);
  }

  watchTickers(symbols: readonly string[], options: UpbitWatchOptions = {}): UpbitWatchStream<ChannelTicker> {
    return this.watch('ticker', symbols, options);
  }

  watchOrderBooks(symbols: readonly string[], options: UpbitWatchOptions = {}): UpbitWatchStream<OrderBook> {
    return this.watch('orderbook', symbols, options);
  }

  /** Trades are never conflated (that would lose trades): each consumer has a bounded FIFO that drops the oldest. */
  watchTrades(symbols: readonly string[], options: UpbitWatchOptions = {}): UpbitWatchStream<Trade> {
    return this.watch('trade', symbols, options);
  }

  status(): UpbitStreamStatus {
    const connection = this.connection;
    return {
      state: connection.state,
      connectedSince: connection.connectedSince,
      epoch: connection.epoch,
      lastInboundMonotonic: connection.lastInboundMonotonic,
      reconnects: connection.reconnects,
      gaps: this.facts.gaps,
      malformedFrames: this.malformed.total,
      refusal: this.facts.refusal,
      connectAttempts: connection.connectAttempts,
      nextAttemptAtMonotonic: connection.nextAttemptAtMonotonic,
      framesReceived: this.framesReceived,
      malformedByKind: this.malformed.byKind(),
      duplicateTrades: this.feeds.of('trade').repeats,
      requestsSent: this.sync.requestsSent,
      subscriptions: this.sync.wireSet(),
      gapCount: this.facts.gapCount,
    };
  }

  diagnostics(): UpbitSourceDiagnostics {
    return {
      listeners: this.feeds.listenerCount,
      observers: this.facts.observerCount,
      timers: this.connection.pendingTimers + this.sync.pendingTimers,
      lingeringSubscriptions: this.sync.lingeringCount,
      pendingRequests: this.feeds.waiting,
    };
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      this.sync.close();
      this.feeds.close(new ClosedError('Upbit WebSocket source', { channel: 'websocket', operation: 'close' }));
      await this.connection.close();
      this.facts.clear();
    })();
    return this.closing;
  }

  private readonly handleFrame = (frame: DecodedWebSocketFrame): void => {
    if (frame.kind === 'ticker') this.onRecord('ticker', frame.value);
    else if (frame.kind === 'trade') this.onRecord('trade', frame.value);
    else if (frame.kind === 'orderbook') this.onRecord('orderbook', frame.value);
    else if (frame.kind === 'error') this.onErrorFrame(frame.error);
    else if (frame.kind === 'malformed') this.onMalformed(frame);
    // 'status' is a heartbeat answer: the connection already counted it as inbound traffic.
    else if (frame.kind !== 'status') this.onRecord(frame.kind, frame.value);
  };

  private onMalformed(frame: Extract<DecodedWebSocketFrame, { kind: 'malformed' }>): void {
    this.malformed.report(frame);
    const { frameKind, error, sample, clues } = frame;
    const kind = frameKind === 'json' || frameKind === 'unknown' ? (clues.kind ?? 'unknown') : frameKind;
    const symbol = kind === 'unknown' ? undefined : attributeMalformed(this.feeds, kind, clues);
    this.facts.malformed({ kind, symbol, error, sample, atMonotonic: this.options.clock.monotonic() });
  }

  private onRecord<K extends StreamKind>(kind: K, record: StreamRecord<K>): void {
    const feed = this.feeds.of(kind);
    // A late frame for a symbol no longer on the wire is not an arrival of anything wanted.
    if (!feed.noteArrival(record.symbol, record.receivedAtMonotonic, this.connection.epoch)) return;
    this.connection.markData(record.receivedAtMonotonic);
    this.sync.dataFlowed();
    this.facts.dataArrived(record.receivedAt, record.receivedAtMonotonic);
    this.facts.arrival(kind, record.symbol, record.receivedAtMonotonic, record.streamType);
    feed.deliver(record);
  }

  /** Upbit refused the subscription. Each listener hears it; when the sync gives up, they end with it. */
  private onErrorFrame(error: UpstreamError): void {
    const outcome = this.sync.refused(error);
    this.facts.refused('error-frame', error, outcome.retryAtMonotonic, outcome.repeats);
    if (!outcome.final) {
      this.feeds.refused(error, true);
      return;
    }
    this.options.logger.warn('Upbit refused the same subscription repeatedly: not sending it again', {
      repeats: outcome.repeats,
      upstreamName: error.upstreamName,
    });
    this.feeds.endAll(error);
  }

  private get<K extends StreamKind>(
    kind: K,
    symbol: string,
    options: RequestOptions,
    operation: string,
  ): Promise<StreamRecord<K>> {
    if (this.closing !== undefined) return Promise.reject(this.closedError(operation));
    return latestOrNext(this.snapshots, kind, symbol, options, operation);
  }

  private watch<K extends StreamKind>(
    kind: K,
    symbols: readonly string[],
    options: UpbitWatchOptions,
  ): UpbitWatchStream<StreamRecord<K>> {
    const codes = symbols.map((symbol) => parseMarketCode(symbol));
    const { tradeQueueSize, logger } = this.options;
    const settings = { kind, signal: options.signal, onError: options.onError, tradeQueueSize, logger };
    const closed = (): MarketDataError | undefined =>
      this.closing === undefined ? undefined : this.closedError(`watch ${kind}`);
    return watchStream<StreamRecord<K>>((listener) => this.listen(kind, codes, listener), settings, closed);
  }

  private closedError(operation: string): ClosedError {
    return new ClosedError('Upbit WebSocket source', { channel: 'websocket', operation });
  }

  private assertOpen(operation: string): void {
    if (this.closing !== undefined) throw this.closedError(operation);
  }
}
