import type { MarketData } from '@marketdata/backbone';
import { type MarketCode, NetworkError, type Ticker } from '@marketdata/domain';
import { FakeClock, flushMicrotasks, MemoryLogger } from '@marketdata/domain/testing';
import { describe, expect, it } from 'vitest';
import type { CandleListener, ChartCandle, ChartFeed } from '../../src/feed/chart-feed.js';
import type { ServerMessage } from '../../src/protocol/messages.js';
import { FeedStatusMonitor } from '../../src/server/feed-status.js';
import { MarketCatalog } from '../../src/server/market-catalog.js';
import { TabSender } from '../../src/server/tab-sender.js';
import { REJOIN_AFTER_MS, TabSession } from '../../src/server/tab-session.js';
import { Upstream } from '../../src/server/upstream.js';

/** An async iterator that never yields and ends when its signal aborts (a quiet facade stream). */
function quiet(signal: AbortSignal | undefined): AsyncIterableIterator<never> {
  return {
    [Symbol.asyncIterator]() {
      return this;
    },
    next: () =>
      new Promise((resolve) => signal?.addEventListener('abort', () => resolve({ done: true, value: undefined }))),
  };
}

const TICKER = {
  symbol: 'KRW-BTC',
  price: 100,
  change: 'RISE',
  changeRate: 0.01,
  source: 'websocket',
  quality: 'high',
  confidence: 1,
  ageMs: 3,
  qualityNotes: [],
  exchangeTimestamp: 1,
} as unknown as Ticker;

const candle = (openTime: number, close: number): ChartCandle => ({
  openTime,
  open: 1,
  high: Math.max(1, close),
  low: 1,
  close,
  volume: 1,
});

/** Yields the given values, then stays quiet until its signal aborts. */
function yields<T>(values: readonly T[], signal: AbortSignal | undefined): AsyncIterableIterator<T> {
  const queue = [...values];
  const rest = quiet(signal);
  return {
    [Symbol.asyncIterator]() {
      return this;
    },
    next: () => {
      const value = queue.shift();
      return value === undefined ? rest.next() : Promise.resolve({ done: false, value });
    },
  };
}

function setup(tickers: readonly Partial<Ticker>[] = []) {
  const clock = new FakeClock();
  const marketData = {
    watchTickers: (_symbols: readonly string[], options?: { signal?: AbortSignal }) =>
      yields(
        tickers.map((ticker) => ({ ...TICKER, ...ticker })),
        options?.signal,
      ),
    watchOrderBooks: (_symbols: readonly string[], options?: { signal?: AbortSignal }) => quiet(options?.signal),
    watchTrades: (_symbols: readonly string[], options?: { signal?: AbortSignal }) => quiet(options?.signal),
    health: () => {
      throw new Error('not read in these tests');
    },
  } as unknown as MarketData;
  const watches: { symbol: string; listener: CandleListener; stopped: boolean }[] = [];
  let answerHistory: (candles: readonly ChartCandle[]) => void = () => {};
  let failHistory: (error: Error) => void = () => {};
  const feed: ChartFeed = {
    markets: async () => [
      { symbol: 'KRW-BTC' as MarketCode, koreanName: '비트코인', englishName: 'Bitcoin', warning: false, cautions: [] },
    ],
    history: () =>
      new Promise((resolve, reject) => {
        answerHistory = resolve;
        failHistory = reject;
      }),
    watch: (symbol, _interval, listener) => {
      const watch = { symbol, listener, stopped: false };
      watches.push(watch);
      return { stop: () => (watch.stopped = true) };
    },
  };
  const logger = new MemoryLogger();
  const upstream = new Upstream(marketData, feed);
  const catalog = new MarketCatalog({ feed, clock, logger });
  const status = new FeedStatusMonitor({ marketData, upstream, clock, logger, onRecovered: () => {} });
  const sent: ServerMessage[] = [];
  const socket = { bufferedAmount: 0, send: (text: string) => sent.push(JSON.parse(text) as ServerMessage) };
  const sender = new TabSender(socket, clock, { flushMs: 10 });
  const hub = { mode: 'sim' as const, upstream, feed, catalog, status, clock, logger };
  return {
    clock,
    sent,
    watches,
    upstream,
    catalog,
    answer: (candles: readonly ChartCandle[]) => answerHistory(candles),
    fail: (error: Error) => failHistory(error),
    session: () => new TabSession(hub, sender),
  };
}

describe('TabSession', () => {
  it('sends live candles that came before the history after it, so the history never overwrites them', async () => {
    const t = setup();
    await t.catalog.load();
    const session = t.session();
    session.receive(JSON.stringify({ t: 'select', selection: 1, symbol: 'KRW-BTC', interval: '1m' }));
    const watch = t.watches[0];
    watch?.listener.onCandles([candle(120_000, 5)]);
    t.clock.advance(100);
    expect(t.sent.filter((m) => m.t === 'candles')).toEqual([]);
    t.answer([candle(0, 1), candle(60_000, 2), candle(120_000, 3)]);
    await flushMicrotasks();
    t.clock.advance(10);
    const order = t.sent.map((m) => m.t).filter((type) => type === 'history' || type === 'candles');
    expect(order).toEqual(['history', 'candles']);
    expect(t.sent.find((m) => m.t === 'candles')).toEqual({
      t: 'candles',
      selection: 1,
      candles: [{ time: 120_000, open: 1, high: 5, low: 1, close: 5, volume: 1 }],
    });
    session.close();
    expect(watch?.stopped).toBe(true);
  });

  it('a failed history is an error for that selection, and live candles still flow', async () => {
    const t = setup();
    await t.catalog.load();
    const session = t.session();
    session.receive(JSON.stringify({ t: 'select', selection: 3, symbol: 'KRW-BTC', interval: '1m' }));
    t.fail(new NetworkError('connect ECONNREFUSED'));
    await flushMicrotasks();
    expect(t.sent.find((m) => m.t === 'error')).toMatchObject({ selection: 3, message: 'connect ECONNREFUSED' });
    t.watches[0]?.listener.onCandles([candle(0, 9)]);
    t.clock.advance(10);
    expect(t.sent.some((m) => m.t === 'candles')).toBe(true);
    session.close();
  });

  it('after a shared stream fails, says so once and joins again 5 s later while the tab still looks', async () => {
    const t = setup();
    await t.catalog.load();
    const session = t.session();
    session.receive(JSON.stringify({ t: 'select', selection: 1, symbol: 'KRW-BTC', interval: '1m' }));
    t.answer([]);
    await flushMicrotasks();
    t.watches[0]?.listener.onError(new NetworkError('stream refused'));
    expect(t.sent.filter((m) => m.t === 'error')).toEqual([
      { t: 'error', selection: 1, message: 'stream refused', hint: undefined },
    ]);
    expect(t.upstream.candles.openKeys).toEqual([]);
    t.clock.advance(REJOIN_AFTER_MS - 1);
    expect(t.watches).toHaveLength(1);
    t.clock.advance(1);
    expect(t.watches).toHaveLength(2);
    expect(t.upstream.candles.openKeys).toEqual(['KRW-BTC|1m']);
    session.close();
    expect(t.upstream.openStreams()).toEqual({ tickers: [], books: [], trades: [], candles: [] });
  });

  it('a new selection leaves the streams of the previous one', async () => {
    const t = setup();
    await t.catalog.load();
    const session = t.session();
    session.receive(JSON.stringify({ t: 'select', selection: 1, symbol: 'KRW-BTC', interval: '1m' }));
    session.receive(JSON.stringify({ t: 'select', selection: 2, symbol: 'KRW-ETH', interval: '5m' }));
    expect(t.upstream.openStreams()).toEqual({
      tickers: ['KRW-ETH'],
      books: ['KRW-ETH'],
      trades: ['KRW-ETH'],
      candles: ['KRW-ETH|5m'],
    });
    expect(t.watches[0]?.stopped).toBe(true);
    session.close();
  });

  it('joins the market list flags with the ticker status fields; a ticker that changes none of them sends none', async () => {
    const t = setup([
      { tradingSuspended: true, marketState: 'ACTIVE', marketWarning: 'CAUTION', delistingDate: '2026-04-01' },
    ]);
    await t.catalog.load();
    const session = t.session();
    session.receive(JSON.stringify({ t: 'select', selection: 1, symbol: 'KRW-BTC', interval: '1m' }));
    await flushMicrotasks();
    t.clock.advance(10);
    expect(t.sent.filter((m) => m.t === 'flags')).toEqual([
      {
        t: 'flags',
        selection: 1,
        flags: { warning: true, cautions: [], suspended: true, marketState: 'ACTIVE', delistingDate: '2026-04-01' },
      },
    ]);
    t.sent.splice(0);
    // The same ticker state again (a new price, the same status): no flags message.
    t.upstream.tickers.inject('KRW-BTC', {
      ...TICKER,
      price: 101,
      tradingSuspended: true,
      marketState: 'ACTIVE',
      marketWarning: 'CAUTION',
      delistingDate: '2026-04-01',
    } as Ticker);
    t.clock.advance(10);
    expect(t.sent.map((m) => m.t)).toEqual(['ticker']);
    session.close();
  });
});
