import {
  type ChannelTicker,
  ClosedError,
  type ConnectionState,
  type MarketCode,
  type MarketDataError,
  type OrderBook,
  parseMarketCode,
  QueueFullError,
  type RequestOptions,
  type StreamKind,
  type SubscriptionHandle,
  type SymbolFreshness,
  type SymbolResult,
  TimeoutError,
  type TimerHandle,
  type Trade,
  toMarketDataError,
  type UpstreamError,
} from '@marketdata/domain';
import { type ConnectionLoss, UpbitConnection } from './connection.js';
import { type DecodedWsFrame, decodeWsMessage } from './decode/frame-decoder.js';
import { FreshnessTracker } from './freshness-tracker.js';
import { GapLog } from './gap-log.js';
import { LatestStore } from './latest-store.js';
import { LingeringSubscriptions } from './lingering-subscriptions.js';
import { MalformedReporter } from './malformed-reporter.js';
import { type ResolvedOptions, resolveOptions, type UpbitWebSocketOptions } from './options.js';
import { buildSubscriptionRequest, newTicket } from './protocol/subscription-request.js';
import { RecentTrades } from './recent-trades.js';
import type {
  UpbitSourceDiagnostics,
  UpbitStreamStatus,
  UpbitWatchOptions,
  UpbitWebSocketEvents,
  UpbitWebSocketSource,
} from './source-types.js';
import { SubscriptionRegistry } from './subscription-registry.js';
import { TypedEvents } from './typed-events.js';
import { ConflatingQueue } from './watch/conflating-queue.js';
import { DroppingQueue } from './watch/dropping-queue.js';
import { StreamWatcher } from './watch/stream-watcher.js';
import type { WatchQueue } from './watch/watch-queue.js';
import { type WatchEntry, WatcherIndex } from './watch/watcher-index.js';

/**
 * Creates the Upbit WebSocket source: one connection, reference-counted subscriptions, liveness, reconnect with
 * backoff and gap records, per-symbol freshness, and conflating watchers. Nothing connects until something is
 * subscribed. Throws `ConfigError` for bad options.
 */
export function createUpbitWebSocketSource(options: UpbitWebSocketOptions = {}): UpbitWebSocketSource {
  return new WebSocketSource(resolveOptions(options));
}

class WebSocketSource implements UpbitWebSocketSource {
  readonly channel = 'websocket' as const;

  private readonly options: ResolvedOptions;
  private readonly events: TypedEvents<UpbitWebSocketEvents>;
  private readonly registry: SubscriptionRegistry;
  private readonly connection: UpbitConnection;
  private readonly freshnessTracker: FreshnessTracker;
  private readonly gaps: GapLog;
  private readonly tickers: LatestStore<ChannelTicker>;
  private readonly books: LatestStore<OrderBook>;
  private readonly tradeArrivals: LatestStore<Trade>;
  private readonly recentTrades: RecentTrades;
  private readonly lingering: LingeringSubscriptions;
  private readonly malformed: MalformedReporter;
  private readonly tickerWatchers = new WatcherIndex<ChannelTicker>();
  private readonly bookWatchers = new WatcherIndex<OrderBook>();
  private readonly tradeWatchers = new WatcherIndex<Trade>();

  private framesReceived = 0;
  private conflatedCount = 0;
  private droppedTrades = 0;
  private duplicateTrades = 0;
  private upstreamErrors = 0;
  private lastUpstreamError: UpstreamError | undefined;
  private subscriptionRequests = 0;
  private lastSentSet: string | undefined;
  private flushScheduled = false;
  private batchTimer: TimerHandle | undefined;
  private closing: Promise<void> | undefined;

  constructor(options: ResolvedOptions) {
    this.options = options;
    const { clock, logger } = options;
    this.events = new TypedEvents((event, error) =>
      logger.error('WebSocket source event listener threw', { event, error: String(error) }),
    );
    this.registry = new SubscriptionRegistry((kind, added, removed) => this.onSubscriptionChange(kind, added, removed));
    this.freshnessTracker = new FreshnessTracker(options.freshness);
    this.gaps = new GapLog(options.maxGaps);
    this.tickers = new LatestStore(clock);
    this.books = new LatestStore(clock);
    this.tradeArrivals = new LatestStore(clock);
    this.recentTrades = new RecentTrades(options.recentTradesPerSymbol);
    this.lingering = new LingeringSubscriptions(
      clock,
      (kind, symbols) => this.registry.acquire(kind, symbols),
      options.lingerMs,
    );
    this.malformed = new MalformedReporter(logger);
    this.connection = new UpbitConnection(
      {
        url: options.url,
        maxPayloadBytes: options.maxPayloadBytes,
        connectTimeoutMs: options.connectTimeoutMs,
        pingIntervalMs: options.pingIntervalMs,
        livenessTimeoutMs: options.livenessTimeoutMs,
        heartbeat: options.heartbeat,
        backoff: options.backoff,
      },
      { clock, logger, random: options.random, createSocket: options.createSocket },
      {
        onState: (state, previous, reason) => this.onState(state, previous, reason),
        onOpen: () => this.onOpen(),
        onMessage: (text, receivedAt) => this.onMessage(text, receivedAt),
        onLost: (loss) => this.onLost(loss),
      },
    );
  }

  get state(): ConnectionState {
    return this.connection.state;
  }

  // ---- public API -------------------------------------------------------------------------------------------

  on<K extends keyof UpbitWebSocketEvents>(event: K, listener: (payload: UpbitWebSocketEvents[K]) => void): () => void {
    return this.events.on(event, listener);
  }

  subscribe(kind: StreamKind, symbols: readonly MarketCode[]): SubscriptionHandle {
    const codes = symbols.map((symbol) => parseMarketCode(symbol));
    this.assertOpen('subscribe');
    return { release: this.registry.acquire(kind, codes) };
  }

  async getTicker(symbol: MarketCode, options: RequestOptions = {}): Promise<ChannelTicker> {
    return this.getLatest('ticker', this.tickers, symbol, options);
  }

  async getTickers(
    symbols: readonly MarketCode[],
    options: RequestOptions = {},
  ): Promise<readonly SymbolResult<ChannelTicker>[]> {
    this.assertOpen('getTickers');
    return Promise.all(
      symbols.map(async (symbol): Promise<SymbolResult<ChannelTicker>> => {
        try {
          return { symbol, ok: true, value: await this.getTicker(symbol, options) };
        } catch (error) {
          // `symbol` is echoed as given, even when it is not a valid code (the error says so).
          return { symbol, ok: false, error: toMarketDataError(error, { channel: 'websocket', symbol }) };
        }
      }),
    );
  }

  async getOrderBook(symbol: MarketCode, options: RequestOptions = {}): Promise<OrderBook> {
    return this.getLatest('orderbook', this.books, symbol, options);
  }

  /**
   * Newest first. The WebSocket only knows trades since it subscribed to the symbol (its SNAPSHOT is the latest
   * trade), so this returns at most what arrived since then, up to `count` (default: all kept).
   */
  async getTrades(
    symbol: MarketCode,
    options: RequestOptions & { readonly count?: number } = {},
  ): Promise<readonly Trade[]> {
    const code = parseMarketCode(symbol);
    this.assertOpen('getTrades');
    const count = options.count ?? this.options.recentTradesPerSymbol;
    const timeoutMs = options.timeoutMs ?? this.options.requestTimeoutMs;
    this.lingering.touch('trade', code, timeoutMs);
    if (!this.recentTrades.has(code)) {
      await this.tradeArrivals.wait(code, timeoutMs, options.signal, () =>
        this.timeoutError('getTrades', code, timeoutMs),
      );
    }
    return this.recentTrades.newestFirst(code, count);
  }

  watchTickers(symbols: readonly MarketCode[], options: UpbitWatchOptions = {}): AsyncIterable<ChannelTicker> {
    return this.watch(
      'ticker',
      this.tickerWatchers,
      symbols,
      options,
      () => this.conflatingQueue<ChannelTicker>(),
      (code) => this.tickers.get(code),
    );
  }

  watchOrderBooks(symbols: readonly MarketCode[], options: UpbitWatchOptions = {}): AsyncIterable<OrderBook> {
    return this.watch(
      'orderbook',
      this.bookWatchers,
      symbols,
      options,
      () => this.conflatingQueue<OrderBook>(),
      (code) => this.books.get(code),
    );
  }

  /** Trades are never conflated (that would lose trades): each watcher has a bounded FIFO that drops the oldest. */
  watchTrades(symbols: readonly MarketCode[], options: UpbitWatchOptions = {}): AsyncIterable<Trade> {
    const onError = options.onError;
    return this.watch(
      'trade',
      this.tradeWatchers,
      symbols,
      options,
      () =>
        new DroppingQueue<Trade>(this.options.tradeQueueSize, (dropped, firstOfEpisode) => {
          this.droppedTrades++;
          if (!firstOfEpisode) return;
          const error = new QueueFullError(
            `watchTrades consumer is too slow: trade queue full (${this.options.tradeQueueSize}), oldest trades dropped`,
            {
              capacity: this.options.tradeQueueSize,
              channel: 'websocket',
              operation: 'watchTrades',
              symbol: dropped.symbol,
            },
          );
          this.options.logger.warn('Slow watchTrades consumer: dropping the oldest trades', {
            capacity: this.options.tradeQueueSize,
          });
          this.notify(onError, error);
        }),
      () => undefined,
    );
  }

  freshness(symbol: MarketCode, kind: StreamKind = 'ticker'): SymbolFreshness | undefined {
    // A socket that reopened but has not delivered since the outage (gap still open) is not a live feed yet.
    const live = this.connection.isOpen && !this.gaps.isOpen;
    return this.freshnessTracker.get(kind, symbol, this.options.clock.monotonic(), live);
  }

  status(): UpbitStreamStatus {
    return {
      state: this.connection.state,
      connectedSince: this.connection.connectedSince,
      reconnects: this.connection.reconnects,
      gaps: this.gaps.list(),
      malformedFrames: this.malformed.total,
      conflated: this.conflatedCount,
      lastInboundAt: this.connection.lastInboundAt,
      nextRetryAt: this.connection.nextRetryAt,
      connectAttempts: this.connection.connectAttempts,
      framesReceived: this.framesReceived,
      malformedByKind: this.malformed.byKind(),
      droppedTrades: this.droppedTrades,
      duplicateTrades: this.duplicateTrades,
      upstreamErrors: this.upstreamErrors,
      lastUpstreamError: this.lastUpstreamError,
      subscriptionRequests: this.subscriptionRequests,
      subscriptions: this.registry.current(),
      gapCount: this.gaps.count,
    };
  }

  diagnostics(): UpbitSourceDiagnostics {
    return {
      eventListeners: this.events.listenerCount(),
      connectionTimers: this.connection.pendingTimers + (this.batchTimer === undefined ? 0 : 1),
      lingeringSubscriptions: this.lingering.size,
      pendingRequests: this.tickers.waiting + this.books.waiting + this.tradeArrivals.waiting,
      watchers: this.tickerWatchers.size + this.bookWatchers.size + this.tradeWatchers.size,
    };
  }

  close(): Promise<void> {
    if (this.closing !== undefined) return this.closing;
    const closed = new ClosedError('Upbit WebSocket source', { channel: 'websocket', operation: 'close' });
    this.closing = (async () => {
      this.lingering.clear();
      for (const index of [this.tickerWatchers, this.bookWatchers, this.tradeWatchers] as const) {
        for (const entry of index.all()) entry.watcher.end();
      }
      this.tickers.rejectAll(closed);
      this.books.rejectAll(closed);
      this.tradeArrivals.rejectAll(closed);
      this.registry.clear();
      this.tickers.clear();
      this.books.clear();
      this.recentTrades.clear();
      this.freshnessTracker.clear();
      this.options.clock.clearTimeout(this.batchTimer);
      this.batchTimer = undefined;
      await this.connection.close();
      this.events.removeAll();
    })();
    return this.closing;
  }

  // ---- subscriptions ----------------------------------------------------------------------------------------

  private onSubscriptionChange(kind: StreamKind, added: readonly MarketCode[], removed: readonly MarketCode[]): void {
    const now = this.options.clock.monotonic();
    for (const symbol of added) this.freshnessTracker.track(kind, symbol, now);
    for (const symbol of removed) {
      this.freshnessTracker.untrack(kind, symbol);
      if (kind === 'ticker') this.tickers.delete(symbol);
      else if (kind === 'orderbook') this.books.delete(symbol);
      else this.recentTrades.delete(symbol);
    }
    this.scheduleFlush();
  }

  /** Changes made in the same tick (or within `requestBatchMs`) go out as one request. */
  private scheduleFlush(): void {
    if (this.closing !== undefined || this.flushScheduled) return;
    this.flushScheduled = true;
    const run = (): void => {
      this.flushScheduled = false;
      this.batchTimer = undefined;
      this.flush();
    };
    if (this.options.requestBatchMs > 0)
      this.batchTimer = this.options.clock.setTimeout(run, this.options.requestBatchMs);
    else queueMicrotask(run);
  }

  private flush(): void {
    if (this.closing !== undefined) return;
    if (this.registry.isEmpty) {
      this.lastSentSet = undefined;
      this.closeGap();
      this.connection.disconnect('nothing subscribed');
      return;
    }
    if (this.connection.state === 'idle') this.connection.ensureConnected();
    else if (this.connection.isOpen) this.sendSubscription(false);
    // connecting / reconnecting: the open handler sends the set as it is then.
  }

  /** Sends the complete current set (Upbit replaces the previous one); skipped when the set is what was sent. */
  private sendSubscription(force: boolean): void {
    const set = this.registry.current();
    const key = JSON.stringify(set);
    if (!force && key === this.lastSentSet) return;
    const request = buildSubscriptionRequest(set, {
      ticket: newTicket(this.options.random),
      format: this.options.format,
      orderBookDepth: this.options.orderBookDepth,
    });
    if (this.connection.send(request)) {
      this.lastSentSet = key;
      this.subscriptionRequests++;
    }
  }

  // ---- connection events ------------------------------------------------------------------------------------

  private onState(state: ConnectionState, previous: ConnectionState, reason: string | undefined): void {
    this.options.logger.debug('WebSocket state', { state, previous, reason });
    this.events.emit('state', { state, previous, reason, at: this.options.clock.now() });
  }

  private onOpen(): void {
    this.freshnessTracker.newConnection();
    this.lastSentSet = undefined;
    if (this.registry.isEmpty) {
      this.connection.disconnect('nothing subscribed');
      return;
    }
    // Resubscribing without isOnlyRealtime makes Upbit send a SNAPSHOT per code, which refills the state; the
    // gap closes with the first data frame (an open socket that stays silent has not ended it).
    this.sendSubscription(true);
  }

  private closeGap(): void {
    const gap = this.gaps.close(this.options.clock.now());
    if (gap === undefined) return;
    this.options.logger.info('WebSocket data flowing again, gap closed', {
      gapMs: (gap.endedAt ?? gap.startedAt) - gap.startedAt,
      symbols: gap.symbols.length,
      reason: gap.reason,
    });
    this.events.emit('gap', gap);
  }

  private onLost(loss: ConnectionLoss): void {
    this.lastSentSet = undefined;
    const { logger, clock } = this.options;
    const fields = { reason: loss.reason, retryInMs: loss.retryInMs };
    // Closes (Upbit's idle close is a 1006 without a close frame) are routine; a dead socket is worth a warning.
    if (loss.dead) logger.warn('WebSocket declared dead, reconnecting', fields);
    else logger.info('WebSocket connection lost, reconnecting', fields);
    if (this.registry.isEmpty) return;
    // A dead socket stopped delivering at its last frame, not when the silence was noticed.
    const startedAt = loss.dead && loss.lastInboundAt !== undefined ? loss.lastInboundAt : clock.now();
    const gap = this.gaps.open(startedAt, loss.reason, this.registry.allSymbols());
    if (gap !== undefined) this.events.emit('gap', gap);
  }

  private onMessage(text: string, receivedAt: number): void {
    this.framesReceived++;
    decodeWsMessage(text, receivedAt, this.handleFrame);
  }

  private readonly handleFrame = (frame: DecodedWsFrame): void => {
    switch (frame.kind) {
      case 'ticker':
        this.onTicker(frame.value);
        return;
      case 'trade':
        this.onTrade(frame.value);
        return;
      case 'orderbook':
        this.onOrderBook(frame.value);
        return;
      case 'status':
        return; // A heartbeat answer; the connection already counted it as inbound traffic.
      case 'error':
        this.onUpstreamError(frame.error);
        return;
      case 'malformed':
        this.malformed.report(frame);
        this.events.emit('malformed', { kind: frame.frameKind, error: frame.error, sample: frame.sample });
        return;
    }
  };

  private onTicker(ticker: ChannelTicker): void {
    if (!this.registry.has('ticker', ticker.symbol)) return; // late frame for a symbol just released
    this.recordArrival('ticker', ticker.symbol, ticker.receivedAt, ticker.streamType);
    this.tickers.set(ticker.symbol, ticker);
    this.tickerWatchers.publish(ticker.symbol, ticker);
  }

  private onOrderBook(book: OrderBook): void {
    if (!this.registry.has('orderbook', book.symbol)) return;
    this.recordArrival('orderbook', book.symbol, book.receivedAt, book.streamType);
    this.books.set(book.symbol, book);
    this.bookWatchers.publish(book.symbol, book);
  }

  private onTrade(trade: Trade): void {
    if (!this.registry.has('trade', trade.symbol)) return;
    this.recordArrival('trade', trade.symbol, trade.receivedAt, trade.streamType);
    // After a reconnect the SNAPSHOT repeats the latest trade, which may already have been delivered.
    if (this.recentTrades.last(trade.symbol)?.sequentialId === trade.sequentialId) {
      this.duplicateTrades++;
      return;
    }
    this.recentTrades.add(trade);
    this.tradeArrivals.set(trade.symbol, trade);
    this.tradeWatchers.publish(trade.symbol, trade);
  }

  private recordArrival(
    kind: StreamKind,
    symbol: MarketCode,
    receivedAt: number,
    streamType: string | undefined,
  ): void {
    this.connection.markHealthy();
    if (this.gaps.isOpen) this.closeGap();
    this.freshnessTracker.record(kind, symbol, this.options.clock.monotonic(), receivedAt, streamType !== 'SNAPSHOT');
  }

  private onUpstreamError(error: UpstreamError): void {
    this.upstreamErrors++;
    this.lastUpstreamError = error;
    this.options.logger.warn('Upbit WebSocket error frame', {
      upstreamName: error.upstreamName,
      upstreamMessage: error.upstreamMessage,
    });
    this.events.emit('upstreamError', error);
    this.tickers.rejectAll(error);
    this.books.rejectAll(error);
    this.tradeArrivals.rejectAll(error);
    for (const index of [this.tickerWatchers, this.bookWatchers, this.tradeWatchers] as const) {
      for (const entry of index.all()) this.notify(entry.onError, error);
    }
  }

  // ---- helpers ----------------------------------------------------------------------------------------------

  private async getLatest<T>(
    kind: 'ticker' | 'orderbook',
    store: LatestStore<T>,
    symbol: MarketCode,
    options: RequestOptions,
  ): Promise<T> {
    const code = parseMarketCode(symbol);
    const operation = kind === 'ticker' ? 'getTicker' : 'getOrderBook';
    this.assertOpen(operation);
    const timeoutMs = options.timeoutMs ?? this.options.requestTimeoutMs;
    this.lingering.touch(kind, code, timeoutMs);
    const latest = store.get(code);
    if (latest !== undefined) return latest;
    return store.wait(code, timeoutMs, options.signal, () => this.timeoutError(operation, code, timeoutMs));
  }

  private timeoutError(operation: string, symbol: MarketCode, timeoutMs: number): TimeoutError {
    const state = this.connection.state;
    return new TimeoutError(
      `No ${operation.slice(3).toLowerCase()} snapshot for ${symbol} within ${timeoutMs} ms (connection ${state})`,
      {
        timeoutMs,
        channel: 'websocket',
        operation,
        symbol,
      },
    );
  }

  private watch<T extends { readonly symbol: MarketCode }>(
    kind: StreamKind,
    index: WatcherIndex<T>,
    symbols: readonly MarketCode[],
    options: UpbitWatchOptions,
    makeQueue: () => WatchQueue<T>,
    current: (symbol: MarketCode) => T | undefined,
  ): AsyncIterable<T> {
    const codes = [...new Set(symbols.map((symbol) => parseMarketCode(symbol)))];
    return {
      [Symbol.asyncIterator]: (): AsyncIterator<T> => {
        if (this.closing !== undefined) {
          const error = new ClosedError('Upbit WebSocket source', { channel: 'websocket', operation: `watch ${kind}` });
          return { next: () => Promise.reject(error) };
        }
        const release = this.registry.acquire(kind, codes);
        let entry: WatchEntry<T> | undefined;
        const watcher = new StreamWatcher<T>(makeQueue(), () => {
          if (entry !== undefined) index.remove(entry);
          release();
        });
        entry = { watcher, symbols: codes, onError: options.onError };
        index.add(entry);
        // A new watcher starts from the current state of symbols already live (no wait for the next update).
        for (const code of codes) {
          const value = current(code);
          if (value !== undefined) watcher.push(value);
        }
        watcher.bindSignal(options.signal);
        return watcher;
      },
    };
  }

  private conflatingQueue<T extends { readonly symbol: MarketCode }>(): ConflatingQueue<T> {
    return new ConflatingQueue<T>(() => {
      this.conflatedCount++;
    });
  }

  private notify(onError: ((error: MarketDataError) => void) | undefined, error: MarketDataError): void {
    if (onError === undefined) return;
    try {
      onError(error);
    } catch (thrown) {
      this.options.logger.error('onError callback threw', { error: String(thrown) });
    }
  }

  private assertOpen(operation: string): void {
    if (this.closing !== undefined)
      throw new ClosedError('Upbit WebSocket source', { channel: 'websocket', operation });
  }
}
