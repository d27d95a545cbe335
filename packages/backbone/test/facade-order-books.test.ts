import {
  isChannelUnavailableError,
  isDataValidationError,
  isInvalidMarketCodeError,
  isNetworkError,
  isUnknownSymbolError,
  NetworkError,
} from '@marketdata/domain';
import { afterEach, describe, expect, it } from 'vitest';
import { bookAt } from './support/fake-market-rest.js';
import { createMarketHarness, type MarketHarness } from './support/market-harness.js';

let harness: MarketHarness | undefined;

afterEach(async () => {
  if (harness === undefined) return;
  await harness.md.close();
  expect(harness.clock.pendingTimerCount()).toBe(0);
  harness = undefined;
});

async function failureOf(call: () => Promise<unknown>): Promise<unknown> {
  try {
    await call();
  } catch (error) {
    return error;
  }
  throw new Error('resolved');
}

describe('getOrderBook', () => {
  it('answers a cold symbol from REST, graded like a ticker, with the canonical symbol and at most `depth` levels', async () => {
    harness = createMarketHarness();
    const { md, rest, clock } = harness;
    const book = await md.getOrderBook('BTC/KRW', { depth: 5 });
    expect(book).toMatchObject({ symbol: 'KRW-BTC', source: 'rest', quality: 'high', confidence: 1, qualityNotes: [] });
    expect(book.levels).toHaveLength(5);
    expect(book.levels[0]).toMatchObject({ askPrice: 100_000_000, bidPrice: 99_990_000 });
    expect(book.ageMs).toBe(clock.now() - book.exchangeTimestamp);
    expect(book.receivedAt).toBe(clock.now());
    expect(book.latencyMs).toBe(12);
    expect(rest.callsOf('getOrderBook').map((call) => call.symbol)).toEqual(['KRW-BTC']);
    // Without depth, every level the channel delivered.
    expect((await md.getOrderBook('KRW-BTC')).levels).toHaveLength(15);
  });

  it('holds a hot symbol on the WebSocket and answers it from the stream without a request', async () => {
    harness = createMarketHarness();
    const { md, rest, websocket, clock } = harness;
    // 0.5 requests/s over 10 s makes a symbol hot: the fifth request within 10 s.
    for (let i = 0; i < 5; i++) {
      expect((await md.getOrderBook('KRW-ETH')).source).toBe('rest');
      clock.advance(200);
    }
    expect(websocket.subscribeCalls).toContain('orderbook:KRW-ETH');
    websocket.pushBook(bookAt('KRW-ETH', 'websocket', clock));
    const restCalls = rest.callsOf('getOrderBook').length;
    const fromStream = await md.getOrderBook('KRW-ETH');
    expect(fromStream).toMatchObject({
      symbol: 'KRW-ETH',
      source: 'websocket',
      quality: 'high',
      streamType: 'REALTIME',
    });
    expect(rest.callsOf('getOrderBook')).toHaveLength(restCalls);
    // A stream book the freshness judge calls stale is confirmed by REST instead.
    clock.advance(10_000);
    expect((await md.getOrderBook('KRW-ETH')).source).toBe('rest');
  });

  it('releases the hot symbol when it turns cold, and on close', async () => {
    harness = createMarketHarness();
    const { md, websocket, clock } = harness;
    for (let i = 0; i < 5; i++) {
      await md.getOrderBook('KRW-SOL');
      clock.advance(200);
    }
    expect(websocket.subscribed.get('KRW-SOL')).toBe(1);
    await clock.advanceAsync(11_000);
    expect(websocket.subscribed.get('KRW-SOL')).toBeUndefined();
    expect(websocket.releaseCalls).toContain('orderbook:KRW-SOL');
  });

  it('treats source as a preference: a failing WebSocket falls back to REST, labelled; strict: true does not', async () => {
    harness = createMarketHarness({ config: { webSocketTimeoutMs: 1_000 } });
    const { md, websocket, rest } = harness;
    websocket.failNext(1);
    const book = await md.getOrderBook('KRW-BTC', { source: 'websocket' });
    expect(book).toMatchObject({ source: 'rest', quality: 'medium', confidence: 0.8 });
    expect(book.qualityNotes).toEqual(['fallback from websocket: NetworkError: socket reset']);
    expect(md.stats().fallbacks.byRoute).toMatchObject({ 'websocket->rest': 1 });

    websocket.failNext(1);
    const restCalls = rest.callsOf('getOrderBook').length;
    expect(await failureOf(() => md.getOrderBook('KRW-BTC', { source: 'realtime', strict: true }))).toSatisfy(
      isNetworkError,
    );
    expect(rest.callsOf('getOrderBook')).toHaveLength(restCalls);
  });

  it('falls back from a failing REST to the WebSocket, then to the last book had', async () => {
    harness = createMarketHarness({ config: { webSocketTimeoutMs: 1_000 } });
    const { md, rest, websocket, clock } = harness;
    await md.getOrderBook('KRW-XRP');
    rest.failMethod('getOrderBook', 2);
    websocket.pushBook(bookAt('KRW-XRP', 'websocket', clock));
    const fromStream = await md.getOrderBook('KRW-XRP');
    expect(fromStream).toMatchObject({ source: 'websocket', quality: 'medium' });
    expect(fromStream.qualityNotes[0]).toMatch(/^fallback from rest: NetworkError/);

    // Both channels fail: the last book had answers, labelled, older than its expected interval.
    websocket.books.delete('KRW-XRP');
    websocket.failNext(1);
    clock.advance(5_000);
    const cached = await md.getOrderBook('KRW-XRP');
    expect(cached).toMatchObject({ source: 'cache', quality: 'medium' });
    expect(cached.qualityNotes.join(' ')).toMatch(/fallback from rest.*served from cache, 5000 ms old/);
    // strict: REST or its error.
    rest.failMethod('getOrderBook', 1);
    expect(await failureOf(() => md.getOrderBook('KRW-XRP', { source: 'rest', strict: true }))).toSatisfy(
      isNetworkError,
    );
  });

  it('grades a crossed or empty book low, and a book with an exchange time ahead of the clock low', async () => {
    harness = createMarketHarness();
    const { md, rest, clock } = harness;
    rest.books.set('KRW-BTC', bookAt('KRW-BTC', 'rest', clock, { ask: 100, bid: 200 }));
    const crossed = await md.getOrderBook('KRW-BTC');
    expect(crossed.quality).toBe('low');
    expect(crossed.qualityNotes[0]).toMatch(/crossed book: best bid .* >= best ask/);
    rest.books.set('KRW-ETH', bookAt('KRW-ETH', 'rest', clock, { levels: [] }));
    expect((await md.getOrderBook('KRW-ETH')).qualityNotes).toEqual(['the order book has no levels']);
    rest.books.set('KRW-SOL', bookAt('KRW-SOL', 'rest', clock, { exchangeTimestamp: clock.now() + 60_000 }));
    const future = await md.getOrderBook('KRW-SOL');
    expect(future.quality).toBe('low');
    expect(future.qualityNotes[0]).toMatch(/ahead of the local clock/);
  });

  it('answers an unlisted symbol from the market list without a request, and refuses bad input before any I/O', async () => {
    harness = createMarketHarness({ listed: ['KRW-BTC'] });
    const { md, rest } = harness;
    expect(await failureOf(() => md.getOrderBook('KRW-NOPE'))).toSatisfy(isUnknownSymbolError);
    expect(rest.callsOf('getOrderBook')).toHaveLength(0);
    expect(await failureOf(() => md.getOrderBook('btc/krw'))).toSatisfy(isInvalidMarketCodeError);
    for (const depth of [0, 31, 2.5, '5']) {
      const error = await failureOf(() => md.getOrderBook('KRW-BTC', { depth: depth as number }));
      expect(error).toSatisfy(isDataValidationError);
      expect(error).toMatchObject({ path: 'depth' });
    }
    const limit = await failureOf(() => md.getOrderBook('KRW-BTC', { limit: 5 } as never));
    expect(limit).toMatchObject({ name: 'UnknownOptionError', option: 'limit', useInstead: 'depth' });
    expect(rest.callsOf('getOrderBook')).toHaveLength(0);
  });

  it('refuses when the REST channel is disabled and the WebSocket is not configured', async () => {
    harness = createMarketHarness({ withWebSocket: false, config: { router: { probeBackoffInitialMs: 60_000 } } });
    const { md, rest } = harness;
    rest.failMethod('getOrderBook', 3, () => new NetworkError('reset', { channel: 'rest' }));
    for (let i = 0; i < 3; i++) expect(await failureOf(() => md.getOrderBook('KRW-BTC'))).toSatisfy(isNetworkError);
    expect(md.health().channels.rest.state).toBe('disabled');
    const error = await failureOf(() => md.getOrderBook('KRW-BTC'));
    expect(error).toSatisfy(isChannelUnavailableError);
    expect(rest.callsOf('getOrderBook')).toHaveLength(3);
  });
});

describe('getOrderBooks', () => {
  it('answers per symbol in input order: canonical symbols, the input echoed, bad entries failing alone', async () => {
    harness = createMarketHarness({ listed: ['KRW-BTC', 'KRW-ETH'] });
    const { md } = harness;
    const results = await md.getOrderBooks(['ETH/KRW', 'KRW-NOPE', 'krw-btc', 'KRW-BTC'], { depth: 1 });
    expect(results.map((result) => [result.symbol, result.input, result.ok])).toEqual([
      ['KRW-ETH', 'ETH/KRW', true],
      ['KRW-NOPE', 'KRW-NOPE', false],
      ['krw-btc', 'krw-btc', false],
      ['KRW-BTC', 'KRW-BTC', true],
    ]);
    const [eth, nope, lower] = results;
    expect(eth?.ok === true && eth.value.levels).toHaveLength(1);
    expect(nope?.ok === false && nope.error).toSatisfy(isUnknownSymbolError);
    expect(lower?.ok === false && lower.error).toSatisfy(isInvalidMarketCodeError);
  });
});
