import {
  type Candle,
  type ChannelTicker,
  type Clock,
  type ConnectionState,
  type MalformedFrameReport,
  type MarketCode,
  type MarketDataError,
  type MarketDirectory,
  NetworkError,
  type OrderBook,
  type RequestOptions,
  type StreamGap,
  type StreamingSource,
  type StreamKind,
  type StreamListener,
  type StreamObserver,
  type StreamRecord,
  type StreamRefusal,
  type StreamStatus,
  type StreamType,
  type SubscriptionHandle,
  type SymbolResult,
  type TickerSource,
  type Trade,
  type TradeQuery,
  UnknownSymbolError,
  type WatchOptions,
} from '@marketdata/domain';
import { AsyncQueue } from './async-queue.js';
import { tickAt } from './fixture-tickers.js';

type Behaviour = { readonly kind: 'fail'; readonly error: () => unknown } | { readonly kind: 'hang' };

/** A promise that never settles on its own, only rejects when the signal aborts (as a real adapter does). */
function hang<T>(signal: AbortSignal | undefined): Promise<T> {
  return new Promise<T>((_, reject) => {
    if (signal?.aborted === true) reject(signal.reason);
    signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}

class Script {
  private readonly queue: Behaviour[] = [];

  failNext(count: number, error: () => unknown): void {
    for (let i = 0; i < count; i++) this.queue.push({ kind: 'fail', error });
  }

  hangNext(count: number): void {
    for (let i = 0; i < count; i++) this.queue.push({ kind: 'hang' });
  }

  /** Applies the next scripted behaviour, if any: throws, hangs, or returns to let the call answer. */
  async apply(signal: AbortSignal | undefined): Promise<void> {
    const behaviour = this.queue.shift();
    if (behaviour === undefined) return;
    if (behaviour.kind === 'fail') throw behaviour.error();
    await hang<void>(signal);
  }
}

export interface SourceCall {
  readonly method: string;
  readonly symbols: readonly string[];
  /** The options object exactly as the backbone passed it. */
  readonly options?: unknown;
}

/** A REST-like ticker source answering from the recorded payloads, with scripted failures and hangs. */
export class FakeRestSource implements TickerSource {
  readonly channel = 'rest' as const;
  readonly calls: SourceCall[] = [];
  readonly prices = new Map<string, number>();
  /** Fields a symbol's answers carry instead of the recorded ones (e.g. a newer `tradeTimestamp`). */
  readonly changes = new Map<string, Partial<Omit<ChannelTicker, 'symbol' | 'source'>>>();
  readonly unknownSymbols = new Set<string>();
  /** What `getTrades` knows per symbol. */
  readonly trades = new Map<string, Trade[]>();
  readonly watchers: AsyncQueue<ChannelTicker>[] = [];
  /** The REST adapter's market directory, when a test gives it one. */
  directory: MarketDirectory | undefined;
  private readonly script = new Script();
  closed = false;

  constructor(private readonly clock: Clock) {}

  failNext(
    count: number,
    error: () => unknown = () => new NetworkError('connection refused', { channel: 'rest' }),
  ): void {
    this.script.failNext(count, error);
  }

  hangNext(count: number): void {
    this.script.hangNext(count);
  }

  callCount(method?: string): number {
    return this.calls.filter((call) => method === undefined || call.method === method).length;
  }

  /** The calls as method and symbols only. */
  requests(): { readonly method: string; readonly symbols: readonly string[] }[] {
    return this.calls.map(({ method, symbols }) => ({ method, symbols }));
  }

  async getTicker(symbol: MarketCode, options: RequestOptions = {}): Promise<ChannelTicker> {
    this.calls.push({ method: 'getTicker', symbols: [symbol], options });
    await this.script.apply(options.signal);
    return this.answer(symbol);
  }

  async getTickers(
    symbols: readonly MarketCode[],
    options: RequestOptions = {},
  ): Promise<readonly SymbolResult<ChannelTicker>[]> {
    this.calls.push({ method: 'getTickers', symbols, options });
    await this.script.apply(options.signal);
    return symbols.map((symbol): SymbolResult<ChannelTicker> => {
      try {
        return { symbol, ok: true, value: this.answer(symbol) };
      } catch (error) {
        return { symbol, ok: false, error: error as UnknownSymbolError };
      }
    });
  }

  watchTickers(symbols: readonly MarketCode[], options: WatchOptions = {}): AsyncIterable<ChannelTicker> {
    this.calls.push({ method: 'watchTickers', symbols });
    const queue = new AsyncQueue<ChannelTicker>(options.signal);
    this.watchers.push(queue);
    return queue;
  }

  /**
   * `/v1/trades/ticks` as Upbit answers it: the symbol's trades newest first, `count` of them (at most 500), with
   * `cursor` only those older than it. Tests fill `trades` (any order; kept sorted by sequence).
   */
  async getTrades(symbol: MarketCode, options: TradeQuery = {}): Promise<readonly Trade[]> {
    this.calls.push({ method: 'getTrades', symbols: [symbol], options });
    await this.script.apply(options.signal);
    const all = [...(this.trades.get(symbol) ?? [])].sort((a, b) =>
      BigInt(a.sequentialId) < BigInt(b.sequentialId) ? 1 : -1,
    );
    const cursor = options.cursor === undefined ? undefined : BigInt(options.cursor);
    const older = cursor === undefined ? all : all.filter((trade) => BigInt(trade.sequentialId) < cursor);
    return older.slice(0, Math.min(options.count ?? 1, 500));
  }

  /** Pushes a tick to every open watcher. */
  emit(tick: ChannelTicker): void {
    for (const watcher of this.watchers) watcher.push(tick);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const watcher of this.watchers) watcher.end();
  }

  private answer(symbol: string): ChannelTicker {
    if (this.unknownSymbols.has(symbol)) throw new UnknownSymbolError(symbol, { channel: 'rest', status: 404 });
    const price = this.prices.get(symbol);
    const changes = this.changes.get(symbol) ?? {};
    return tickAt(symbol, 'rest', this.clock, price === undefined ? changes : { ...changes, price });
  }
}

/** One `listen` registration, as the fake saw it. */
export interface FakeListener {
  readonly kind: StreamKind;
  readonly symbols: readonly MarketCode[];
  readonly listener: StreamListener<StreamKind>;
  released: boolean;
}

/**
 * A WebSocket-like streaming source (ports v2): it reports facts only. It holds the latest ticker and order book
 * per symbol, pushes records to listeners synchronously (states replay their latest first, trades never), tells
 * observers of every arrival, connection change, gap and refusal, and counts demand (`subscribe`, `listen`).
 * `getTicker` waits for a symbol's first value until the caller's signal aborts, like the adapter.
 */
export class FakeStreamingSource implements StreamingSource {
  readonly channel = 'websocket' as const;
  readonly calls: SourceCall[] = [];
  readonly tickers = new Map<string, ChannelTicker>();
  readonly books = new Map<string, OrderBook>();
  /** The latest candle per `kind|symbol` (candle streams are states). */
  readonly candles = new Map<string, Candle>();
  readonly subscribed = new Map<string, number>();
  readonly subscribeCalls: string[] = [];
  readonly releaseCalls: string[] = [];
  readonly listeners: FakeListener[] = [];
  readonly observers = new Set<StreamObserver>();
  status_: StreamStatus = {
    state: 'open',
    connectedSince: undefined,
    epoch: 1,
    lastInboundMonotonic: undefined,
    reconnects: 0,
    gaps: [],
    malformedFrames: 0,
    refusal: undefined,
  };
  private readonly script = new Script();
  private readonly snapshotWaiters = new Map<string, ((tick: ChannelTicker) => void)[]>();
  private readonly bookWaiters = new Map<string, ((book: OrderBook) => void)[]>();
  closed = false;

  constructor(private readonly clock: Clock) {}

  failNext(
    count: number,
    error: () => unknown = () => new NetworkError('socket reset', { channel: 'websocket' }),
  ): void {
    this.script.failNext(count, error);
  }

  hangNext(count: number): void {
    this.script.hangNext(count);
  }

  callCount(method?: string): number {
    return this.calls.filter((call) => method === undefined || call.method === method).length;
  }

  /** The calls as method and symbols only. */
  requests(): { readonly method: string; readonly symbols: readonly string[] }[] {
    return this.calls.map(({ method, symbols }) => ({ method, symbols }));
  }

  /** A ticker frame arrives (REALTIME unless said). */
  push(tick: ChannelTicker, streamType: StreamType = 'REALTIME'): void {
    this.tickers.set(tick.symbol, tick);
    this.arrived('ticker', tick.symbol, tick.receivedAtMonotonic, streamType);
    for (const resolve of this.snapshotWaiters.get(tick.symbol) ?? []) resolve(tick);
    this.snapshotWaiters.delete(tick.symbol);
    this.deliver('ticker', tick.symbol, tick);
  }

  pushBook(book: OrderBook): void {
    this.books.set(book.symbol, book);
    this.arrived('orderbook', book.symbol, book.receivedAtMonotonic, 'REALTIME');
    for (const resolve of this.bookWaiters.get(book.symbol) ?? []) resolve(book);
    this.bookWaiters.delete(book.symbol);
    this.deliver('orderbook', book.symbol, book);
  }

  /** A candle frame of a candle stream arrives. */
  pushCandle(kind: StreamKind, candle: Candle, streamType: StreamType = 'REALTIME'): void {
    this.candles.set(`${kind}|${candle.symbol}`, candle);
    this.arrived(kind, candle.symbol, candle.receivedAtMonotonic, streamType);
    this.deliver(kind, candle.symbol, candle);
  }

  pushTrade(trade: Trade, streamType: StreamType = 'REALTIME'): void {
    this.arrived('trade', trade.symbol, trade.receivedAtMonotonic, streamType);
    this.deliver('trade', trade.symbol, trade);
  }

  /** A frame that could not be used, as the adapter reports it. */
  malformed(report: MalformedFrameReport): void {
    for (const observer of this.observers) observer.onMalformed?.(report);
  }

  /** Ends every listener of a kind, as the adapter does when it gives up (or closes: no reason). */
  endListeners(kind: StreamKind, reason: MarketDataError | undefined): void {
    for (const entry of this.listeners.filter((candidate) => candidate.kind === kind && !candidate.released)) {
      entry.released = true;
      entry.listener.onEnd?.(reason);
    }
  }

  /** Only the arrival fact (the value itself is not held, e.g. the symbol left the wire since). */
  reportArrival(kind: StreamKind, symbol: MarketCode, at = this.clock.monotonic()): void {
    this.arrived(kind, symbol, at, 'REALTIME');
  }

  /** A heartbeat answer: inbound traffic, but no data. */
  heartbeat(): void {
    this.status_ = { ...this.status_, lastInboundMonotonic: this.clock.monotonic() };
  }

  /** The upstream refused what these listeners depend on. */
  failListeners(kind: StreamKind, error: MarketDataError): void {
    for (const entry of this.listeners.filter((candidate) => candidate.kind === kind && !candidate.released)) {
      entry.listener.onError?.(error);
    }
  }

  connection(state: ConnectionState, reason?: string): void {
    const previous = this.status_.state;
    const epoch = state === 'open' ? this.status_.epoch + 1 : this.status_.epoch;
    const reconnects = state === 'reconnecting' ? this.status_.reconnects + 1 : this.status_.reconnects;
    this.status_ = { ...this.status_, state, epoch, reconnects };
    const event = { state, previous, reason, epoch, atMonotonic: this.clock.monotonic() };
    for (const observer of this.observers) observer.onConnection?.(event);
  }

  gap(gap: StreamGap): void {
    const others = this.status_.gaps.filter((known) => known.startedAtMonotonic !== gap.startedAtMonotonic);
    this.status_ = { ...this.status_, gaps: [...others, gap] };
    for (const observer of this.observers) observer.onGap?.(gap);
  }

  refuse(refusal: StreamRefusal): void {
    this.status_ = { ...this.status_, refusal };
    for (const observer of this.observers) observer.onRefusal?.(refusal);
  }

  async getTicker(symbol: MarketCode, options: RequestOptions = {}): Promise<ChannelTicker> {
    this.calls.push({ method: 'getTicker', symbols: [symbol], options });
    await this.script.apply(options.signal);
    const latest = this.tickers.get(symbol);
    if (latest !== undefined) return latest;
    return new Promise<ChannelTicker>((resolve, reject) => {
      const waiters = this.snapshotWaiters.get(symbol) ?? [];
      waiters.push(resolve);
      this.snapshotWaiters.set(symbol, waiters);
      options.signal?.addEventListener('abort', () => reject(options.signal?.reason), { once: true });
    });
  }

  async getTickers(): Promise<readonly SymbolResult<ChannelTicker>[]> {
    throw new Error('not used by the backbone');
  }

  watchTickers(): AsyncIterable<ChannelTicker> {
    throw new Error('not used by the backbone: it listens');
  }

  /** The latest book held, or the next one pushed (until the caller's signal aborts), like the adapter. */
  async getOrderBook(symbol: MarketCode, options: RequestOptions = {}): Promise<OrderBook> {
    this.calls.push({ method: 'getOrderBook', symbols: [symbol], options });
    await this.script.apply(options.signal);
    const latest = this.books.get(symbol);
    if (latest !== undefined) return latest;
    return new Promise<OrderBook>((resolve, reject) => {
      const waiters = this.bookWaiters.get(symbol) ?? [];
      waiters.push(resolve);
      this.bookWaiters.set(symbol, waiters);
      options.signal?.addEventListener('abort', () => reject(options.signal?.reason), { once: true });
    });
  }

  watchOrderBooks(): AsyncIterable<OrderBook> {
    throw new Error('not used by the backbone: it listens');
  }

  async getTrades(): Promise<readonly Trade[]> {
    throw new Error('not used by the backbone');
  }

  watchTrades(): AsyncIterable<Trade> {
    throw new Error('not used by the backbone: it listens');
  }

  subscribe(kind: StreamKind, symbols: readonly MarketCode[]): SubscriptionHandle {
    this.calls.push({ method: 'subscribe', symbols });
    for (const symbol of symbols) this.subscribeCalls.push(`${kind}:${symbol}`);
    return this.demand(kind, symbols);
  }

  listen<K extends StreamKind>(
    kind: K,
    symbols: readonly MarketCode[],
    listener: StreamListener<K>,
  ): SubscriptionHandle {
    this.calls.push({ method: `listen:${kind}`, symbols });
    const entry: FakeListener = {
      kind,
      symbols,
      listener: listener as unknown as StreamListener<StreamKind>,
      released: false,
    };
    this.listeners.push(entry);
    const demand = this.demand(kind, symbols);
    // States replay the latest held value first, synchronously; trades never replay.
    for (const symbol of symbols) {
      const held = this.held(kind, symbol);
      if (held !== undefined) listener.onRecord(held as StreamRecord<K>);
    }
    return {
      release: () => {
        entry.released = true;
        demand.release();
      },
    };
  }

  latest<K extends StreamKind>(kind: K, symbol: MarketCode): StreamRecord<K> | undefined {
    return this.held(kind, symbol) as StreamRecord<K> | undefined;
  }

  /** The state held for a kind and symbol (tickers, books, candles); trades are never held. */
  private held(kind: StreamKind, symbol: MarketCode): StreamRecord<StreamKind> | undefined {
    if (kind === 'ticker') return this.tickers.get(symbol);
    if (kind === 'orderbook') return this.books.get(symbol);
    if (kind === 'trade') return undefined;
    return this.candles.get(`${kind}|${symbol}`);
  }

  arrivals(): undefined {
    return undefined;
  }

  observe(observer: StreamObserver): () => void {
    this.observers.add(observer);
    return () => this.observers.delete(observer);
  }

  status(): StreamStatus {
    return this.status_;
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  /** Listeners not yet released, of a kind. */
  openListeners(kind: StreamKind): FakeListener[] {
    return this.listeners.filter((entry) => entry.kind === kind && !entry.released);
  }

  private demand(kind: StreamKind, symbols: readonly MarketCode[]): SubscriptionHandle {
    for (const symbol of symbols) this.subscribed.set(symbol, (this.subscribed.get(symbol) ?? 0) + 1);
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        for (const symbol of symbols) {
          this.releaseCalls.push(`${kind}:${symbol}`);
          const count = (this.subscribed.get(symbol) ?? 1) - 1;
          if (count === 0) this.subscribed.delete(symbol);
          else this.subscribed.set(symbol, count);
        }
      },
    };
  }

  private arrived(kind: StreamKind, symbol: MarketCode, at: number, streamType: StreamType): void {
    this.status_ = { ...this.status_, lastInboundMonotonic: at, refusal: undefined };
    for (const observer of this.observers) observer.onArrival?.(kind, symbol, at, streamType);
  }

  private deliver(kind: StreamKind, symbol: MarketCode, record: StreamRecord<StreamKind>): void {
    for (const entry of this.listeners) {
      if (entry.kind === kind && !entry.released && entry.symbols.includes(symbol)) entry.listener.onRecord(record);
    }
  }
}
