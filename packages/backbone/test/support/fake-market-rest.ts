import {
  type Candle,
  type CandleInterval,
  type CandleQuery,
  type ChannelKind,
  type Clock,
  type Market,
  type MarketCode,
  NetworkError,
  type OrderBook,
  parseMarketCode,
  type RequestOptions,
  splitMarketCode,
  type Trade,
  type TradeQuery,
  UnknownSymbolError,
} from '@marketdata/domain';
import { FakeRestSource } from './fake-sources.js';

/** An order book of `symbol` received now on `source`, best first: asks from `ask` up, bids from `bid` down. */
export function bookAt(
  symbol: string,
  source: ChannelKind,
  clock: Pick<Clock, 'now' | 'monotonic'>,
  changes: Partial<Pick<OrderBook, 'levels' | 'exchangeTimestamp'>> & {
    readonly ask?: number;
    readonly bid?: number;
  } = {},
): OrderBook {
  const ask = changes.ask ?? 100_000_000;
  const bid = changes.bid ?? 99_990_000;
  const levels =
    changes.levels ??
    Array.from({ length: 15 }, (_, i) => ({
      askPrice: ask + i * 10_000,
      askSize: 0.1 + i,
      bidPrice: bid - i * 10_000,
      bidSize: 0.2 + i,
    }));
  return {
    symbol: parseMarketCode(symbol),
    levels,
    totalAskSize: levels.reduce((sum, level) => sum + level.askSize, 0),
    totalBidSize: levels.reduce((sum, level) => sum + level.bidSize, 0),
    grouping: 0,
    exchangeTimestamp: changes.exchangeTimestamp ?? clock.now() - 20,
    receivedAt: clock.now(),
    receivedAtMonotonic: clock.monotonic(),
    source,
    ...(source === 'websocket' ? { streamType: 'REALTIME' as const } : { latencyMs: 12 }),
  };
}

/** A trade of `symbol` with sequential id `id`, at `at` (epoch ms). */
export function tradeAt(symbol: string, id: bigint, at: number, clock: Pick<Clock, 'now' | 'monotonic'>): Trade {
  return {
    symbol: parseMarketCode(symbol),
    price: 100_000_000 + Number(id % 100n),
    volume: 0.01,
    side: id % 2n === 0n ? 'BID' : 'ASK',
    sequentialId: id.toString(),
    tradeTimestamp: at,
    prevClose: 99_000_000,
    changePrice: 1_000_000,
    exchangeTimestamp: at,
    receivedAt: clock.now(),
    receivedAtMonotonic: clock.monotonic(),
    source: 'rest',
    latencyMs: 10,
  };
}

/** A candle of `symbol` opening at `openTime`, with OHLCV derived from `seed` (so two differ), received now. */
export function candleAt(
  symbol: string,
  interval: CandleInterval,
  openTime: number,
  clock: Pick<Clock, 'now' | 'monotonic'>,
  changes: Partial<Candle> = {},
): Candle {
  const base = 100_000_000 + (openTime % 7_000_000);
  return {
    symbol: parseMarketCode(symbol),
    interval,
    openTime,
    open: base,
    high: base + 50_000,
    low: base - 50_000,
    close: base + 10_000,
    volume: 1.5,
    turnover: 150_000_000,
    exchangeTimestamp: openTime + 500,
    receivedAt: clock.now(),
    receivedAtMonotonic: clock.monotonic(),
    source: 'rest',
    ...changes,
  };
}

export function marketOf(code: string, changes: Partial<Market> = {}): Market {
  const symbol = parseMarketCode(code);
  return {
    symbol,
    ...splitMarketCode(symbol),
    koreanName: `${code} (ko)`,
    englishName: `${code} (en)`,
    warning: false,
    cautions: [],
    eventSource: 'market_event',
    ...changes,
  };
}

export interface HistoryCall {
  readonly method: string;
  readonly symbol: string | undefined;
  readonly query: unknown;
}

/**
 * The REST fake with the methods beyond tickers, answering from what a test put in: books per symbol, trades per
 * symbol (newest first, as Upbit), candles per interval and symbol (any order; answered newest first, `count` and
 * `to` applied, like a source that pages), the market list (through the directory when there is one).
 */
export class FakeMarketRest extends FakeRestSource {
  readonly books = new Map<string, OrderBook>();
  readonly tradeLists = new Map<string, Trade[]>();
  readonly candleLists = new Map<string, Candle[]>();
  markets: Market[] = [];
  readonly historyCalls: HistoryCall[] = [];
  private readonly failures = new Map<string, (() => unknown)[]>();
  private readonly hangs = new Map<string, number>();

  constructor(private readonly fakeClock: Clock) {
    super(fakeClock);
  }

  /** The next `count` calls of `method` (`getOrderBook`, `getTrades`, `getCandles`, `getMarkets`) fail. */
  failMethod(
    method: string,
    count = 1,
    error: () => unknown = () => new NetworkError('connection refused', { channel: 'rest' }),
  ): void {
    const queue = this.failures.get(method) ?? [];
    for (let i = 0; i < count; i++) queue.push(error);
    this.failures.set(method, queue);
  }

  /** The next `count` calls of `method` hang until their signal aborts. */
  hangMethod(method: string, count = 1): void {
    this.hangs.set(method, (this.hangs.get(method) ?? 0) + count);
  }

  callsOf(method: string): HistoryCall[] {
    return this.historyCalls.filter((call) => call.method === method);
  }

  setCandles(interval: CandleInterval, symbol: string, candles: readonly Candle[]): void {
    this.candleLists.set(`${interval.unit}:${interval.size}|${symbol}`, [...candles]);
  }

  async getOrderBook(symbol: MarketCode, options: RequestOptions = {}): Promise<OrderBook> {
    await this.begin('getOrderBook', symbol, {}, options.signal);
    const book = this.books.get(symbol) ?? bookAt(symbol, 'rest', this.fakeClock);
    return { ...book, receivedAt: this.fakeClock.now(), receivedAtMonotonic: this.fakeClock.monotonic() };
  }

  override async getTrades(symbol: MarketCode, query: TradeQuery = {}): Promise<readonly Trade[]> {
    const { signal, ...rest } = query;
    await this.begin('getTrades', symbol, rest, signal);
    const all = this.tradeLists.get(symbol) ?? [];
    const cursor = query.cursor === undefined ? undefined : BigInt(query.cursor);
    const page = all.filter((trade) => cursor === undefined || BigInt(trade.sequentialId) < cursor);
    return page.slice(0, query.count ?? 1);
  }

  async getCandles(symbol: MarketCode, query: CandleQuery): Promise<readonly Candle[]> {
    const { signal, ...rest } = query;
    await this.begin('getCandles', symbol, rest, signal);
    const key = `${query.interval.unit}:${query.interval.size}|${symbol}`;
    const to = query.to ?? Number.POSITIVE_INFINITY;
    const newestFirst = [...(this.candleLists.get(key) ?? [])]
      .filter((candle) => candle.openTime < to)
      .sort((a, b) => b.openTime - a.openTime);
    return newestFirst.slice(0, query.count ?? 1);
  }

  async getMarkets(options: RequestOptions = {}): Promise<readonly Market[]> {
    await this.begin('getMarkets', undefined, {}, options.signal);
    await this.directory?.ready(options);
    const directory = this.directory;
    return directory === undefined
      ? this.markets
      : this.markets.filter((market) => directory.isListed(market.symbol) === true);
  }

  private async begin(method: string, symbol: string | undefined, query: unknown, signal?: AbortSignal) {
    this.historyCalls.push({ method, symbol, query });
    if (this.unknownSymbols.has(symbol ?? '')) {
      throw new UnknownSymbolError(symbol ?? '', { channel: 'rest', status: 404 });
    }
    const failure = this.failures.get(method)?.shift();
    if (failure !== undefined) throw failure();
    const hangs = this.hangs.get(method) ?? 0;
    if (hangs > 0) {
      this.hangs.set(method, hangs - 1);
      await new Promise<never>((_, reject) => {
        if (signal?.aborted === true) reject(signal.reason);
        signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
      });
    }
  }
}
