import {
  type ChannelTicker,
  type Clock,
  type MarketCode,
  NetworkError,
  type OrderBook,
  type RequestOptions,
  type StreamingSource,
  type StreamKind,
  type StreamStatus,
  type SubscriptionHandle,
  type SymbolFreshness,
  type SymbolResult,
  type TickerSource,
  type Trade,
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

  get pending(): number {
    return this.queue.length;
  }
}

export interface SourceCall {
  readonly method: string;
  readonly symbols: readonly string[];
}

/** A REST-like ticker source answering from the recorded payloads, with scripted failures. */
export class FakeRestSource implements TickerSource {
  readonly channel = 'rest' as const;
  readonly calls: SourceCall[] = [];
  readonly prices = new Map<string, number>();
  readonly unknownSymbols = new Set<string>();
  readonly watchers: AsyncQueue<ChannelTicker>[] = [];
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

  async getTicker(symbol: MarketCode, options: RequestOptions = {}): Promise<ChannelTicker> {
    this.calls.push({ method: 'getTicker', symbols: [symbol] });
    await this.script.apply(options.signal);
    return this.answer(symbol);
  }

  async getTickers(
    symbols: readonly MarketCode[],
    options: RequestOptions = {},
  ): Promise<readonly SymbolResult<ChannelTicker>[]> {
    this.calls.push({ method: 'getTickers', symbols });
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
    return tickAt(symbol, 'rest', this.clock.now(), price === undefined ? {} : { price });
  }
}

export interface FakeFreshness {
  readonly expectedIntervalMs: number;
  readonly suspectedStale?: boolean;
}

/** A WebSocket-like streaming source holding the latest tick per symbol, with scripted getTicker failures. */
export class FakeStreamingSource implements StreamingSource {
  readonly channel = 'websocket' as const;
  readonly calls: SourceCall[] = [];
  readonly latest = new Map<string, ChannelTicker>();
  readonly rhythm = new Map<string, FakeFreshness>();
  readonly subscribed = new Map<string, number>();
  readonly subscribeCalls: string[] = [];
  readonly releaseCalls: string[] = [];
  readonly tickerWatchers: AsyncQueue<ChannelTicker>[] = [];
  readonly bookWatchers: AsyncQueue<OrderBook>[] = [];
  readonly tradeWatchers: AsyncQueue<Trade>[] = [];
  status_: StreamStatus = {
    state: 'open',
    connectedSince: undefined,
    reconnects: 0,
    gaps: [],
    malformedFrames: 0,
    conflated: 0,
  };
  private readonly script = new Script();
  private readonly snapshotWaiters = new Map<string, ((tick: ChannelTicker) => void)[]>();
  closed = false;

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

  /** A new tick arrives on the stream. */
  push(tick: ChannelTicker): void {
    this.latest.set(tick.symbol, tick);
    for (const resolve of this.snapshotWaiters.get(tick.symbol) ?? []) resolve(tick);
    this.snapshotWaiters.delete(tick.symbol);
    for (const watcher of this.tickerWatchers) watcher.push(tick);
  }

  pushBook(book: OrderBook): void {
    for (const watcher of this.bookWatchers) watcher.push(book);
  }

  pushTrade(trade: Trade): void {
    for (const watcher of this.tradeWatchers) watcher.push(trade);
  }

  async getTicker(symbol: MarketCode, options: RequestOptions = {}): Promise<ChannelTicker> {
    this.calls.push({ method: 'getTicker', symbols: [symbol] });
    await this.script.apply(options.signal);
    const latest = this.latest.get(symbol);
    if (latest !== undefined) return latest;
    // Like the adapter: wait for the symbol's snapshot until the caller's deadline.
    return new Promise<ChannelTicker>((resolve, reject) => {
      const waiters = this.snapshotWaiters.get(symbol) ?? [];
      waiters.push(resolve);
      this.snapshotWaiters.set(symbol, waiters);
      options.signal?.addEventListener('abort', () => reject(options.signal?.reason), { once: true });
    });
  }

  async getTickers(
    symbols: readonly MarketCode[],
    options: RequestOptions = {},
  ): Promise<readonly SymbolResult<ChannelTicker>[]> {
    return Promise.all(
      symbols.map(async (symbol): Promise<SymbolResult<ChannelTicker>> => {
        return { symbol, ok: true, value: await this.getTicker(symbol, options) };
      }),
    );
  }

  watchTickers(symbols: readonly MarketCode[], options: WatchOptions = {}): AsyncIterable<ChannelTicker> {
    this.calls.push({ method: 'watchTickers', symbols });
    const queue = new AsyncQueue<ChannelTicker>(options.signal);
    this.tickerWatchers.push(queue);
    return queue;
  }

  async getOrderBook(): Promise<OrderBook> {
    throw new Error('not used by the backbone');
  }

  watchOrderBooks(symbols: readonly MarketCode[], options: WatchOptions = {}): AsyncIterable<OrderBook> {
    this.calls.push({ method: 'watchOrderBooks', symbols });
    const queue = new AsyncQueue<OrderBook>(options.signal);
    this.bookWatchers.push(queue);
    return queue;
  }

  async getTrades(): Promise<readonly Trade[]> {
    throw new Error('not used by the backbone');
  }

  watchTrades(symbols: readonly MarketCode[], options: WatchOptions = {}): AsyncIterable<Trade> {
    this.calls.push({ method: 'watchTrades', symbols });
    const queue = new AsyncQueue<Trade>(options.signal);
    this.tradeWatchers.push(queue);
    return queue;
  }

  subscribe(kind: StreamKind, symbols: readonly MarketCode[]): SubscriptionHandle {
    for (const symbol of symbols) {
      this.subscribeCalls.push(`${kind}:${symbol}`);
      this.subscribed.set(symbol, (this.subscribed.get(symbol) ?? 0) + 1);
    }
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

  freshness(symbol: MarketCode, kind: StreamKind = 'ticker'): SymbolFreshness | undefined {
    const latest = this.latest.get(symbol);
    const rhythm = this.rhythm.get(symbol);
    if (latest === undefined && !this.subscribed.has(symbol)) return undefined;
    return {
      symbol,
      kind,
      lastUpdateAt: latest?.receivedAt,
      expectedIntervalMs: rhythm?.expectedIntervalMs ?? 1_000,
      suspectedStale: rhythm?.suspectedStale ?? false,
    };
  }

  status(): StreamStatus {
    return this.status_;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const watcher of [...this.tickerWatchers, ...this.bookWatchers, ...this.tradeWatchers]) watcher.end();
  }
}
