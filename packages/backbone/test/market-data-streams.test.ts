import {
  isChannelUnavailableError,
  isQueueFullError,
  NetworkError,
  type OrderBook,
  parseMarketCode,
  type Trade,
} from '@marketdata/domain';
import { flushMicrotasks } from '@marketdata/domain/testing';
import { fixtureJson, fixtureText } from '@marketdata/fixtures';
import { afterEach, describe, expect, it } from 'vitest';
import { type Receipt, tickAt } from './support/fixture-tickers.js';
import { createHarness, type Harness } from './support/harness.js';

let harness: Harness | undefined;

afterEach(async () => {
  if (harness === undefined) return;
  await harness.md.close();
  expect(harness.clock.pendingTimerCount()).toBe(0);
  harness = undefined;
});

interface OrderBookPayload {
  readonly market: string;
  readonly timestamp: number;
  readonly total_ask_size: number;
  readonly total_bid_size: number;
  readonly orderbook_units: readonly {
    readonly ask_price: number;
    readonly ask_size: number;
    readonly bid_price: number;
    readonly bid_size: number;
  }[];
}

/** The recorded KRW-BTC REST order book as a domain order book (test-side mapping). */
function recordedBook(at: Receipt, totalAskSize?: number): OrderBook {
  const [payload] = fixtureJson('rest-orderbook-krw-btc.json') as readonly OrderBookPayload[];
  if (payload === undefined) throw new Error('empty fixture');
  return {
    symbol: parseMarketCode(payload.market),
    levels: payload.orderbook_units.map((unit) => ({
      askPrice: unit.ask_price,
      askSize: unit.ask_size,
      bidPrice: unit.bid_price,
      bidSize: unit.bid_size,
    })),
    totalAskSize: totalAskSize ?? payload.total_ask_size,
    totalBidSize: payload.total_bid_size,
    grouping: 0,
    exchangeTimestamp: payload.timestamp,
    receivedAt: at.now(),
    receivedAtMonotonic: at.monotonic(),
    source: 'websocket',
  };
}

/** Consecutive trades derived from the recorded KRW-BTC trade (its sequential_id read exactly from the text). */
function recordedTrades(count: number, at: Receipt): Trade[] {
  const text = fixtureText('rest-trades-ticks-krw-btc.json');
  const sequence = BigInt(/"sequential_id":\s*(\d+)/.exec(text)?.[1] ?? '0');
  const [payload] = fixtureJson('rest-trades-ticks-krw-btc.json') as readonly {
    readonly timestamp: number;
    readonly trade_price: number;
    readonly trade_volume: number;
    readonly prev_closing_price: number;
    readonly change_price: number;
  }[];
  if (payload === undefined || sequence === 0n) throw new Error('bad fixture');
  return Array.from({ length: count }, (_, index) => ({
    symbol: parseMarketCode('KRW-BTC'),
    price: payload.trade_price,
    volume: payload.trade_volume,
    side: 'ASK' as const,
    sequentialId: (sequence + BigInt(index)).toString(),
    tradeTimestamp: payload.timestamp + index,
    prevClose: payload.prev_closing_price,
    changePrice: payload.change_price,
    exchangeTimestamp: payload.timestamp + index,
    receivedAt: at.now(),
    receivedAtMonotonic: at.monotonic(),
    source: 'websocket' as const,
  }));
}

describe('watchTickers', () => {
  it('conflates per symbol for a slow consumer, grades at hand-out and counts what it replaced', async () => {
    harness = createHarness();
    const { md, websocket, clock } = harness;
    const stream = md.watchTickers(['KRW-BTC', 'KRW-ETH']);
    expect(websocket.calls.at(-1)).toEqual({ method: 'listen:ticker', symbols: ['KRW-BTC', 'KRW-ETH'] });
    const btcPrices = [103_400_000, 103_410_000, 103_420_000];
    for (const price of btcPrices) harness.push('KRW-BTC', { price });
    harness.push('KRW-ETH', { price: 3_000_000, high: 4_000_000 });
    harness.push('KRW-ETH', { price: 3_001_000, high: 4_000_000 });
    await flushMicrotasks();
    clock.advance(5);

    const first = await stream.next();
    const second = await stream.next();
    expect(first.done === false && [first.value.symbol, first.value.price, first.value.source]).toEqual([
      'KRW-BTC',
      103_420_000,
      'websocket',
    ]);
    expect(second.done === false && [second.value.symbol, second.value.price]).toEqual(['KRW-ETH', 3_001_000]);
    expect(first.done === false && first.value.processingTimeMs).toBe(5);
    expect(first.done === false && first.value.quality).toBe('high');
    const stats = md.stats();
    expect(stats.streams.conflated).toBe(3);
    expect(stats.streams.delivered.ticker).toBe(2);
    // Every tick was checked, the conflated ones included.
    expect(stats.quality.ticksChecked).toBe(5);

    // A waiting consumer gets the next tick as soon as it arrives.
    const waiting = stream.next();
    harness.push('KRW-BTC', { price: 103_430_000 });
    const third = await waiting;
    expect(third.done === false && third.value.price).toBe(103_430_000);

    await stream.return?.();
    expect(websocket.openListeners('ticker')).toEqual([]);
    expect(websocket.subscribed.size).toBe(0);
    expect(md.stats().streams.active).toBe(0);
  });

  it('continues on REST at once when the WebSocket refuses, labelled a fallback and logged once, then returns', async () => {
    harness = createHarness();
    const { md, websocket, rest, logger, clock } = harness;
    const stream = md.watchTickers(['KRW-XRP']);
    harness.push('KRW-XRP');
    const first = await stream.next();
    expect(first.done === false && first.value.source).toBe('websocket');
    const traded = first.done === false ? first.value.exchangeTimestamp : 0;
    rest.changes.set('KRW-XRP', { exchangeTimestamp: traded + 1_000, tradeTimestamp: traded + 1_000 });
    const refused = new NetworkError('connection dropped', { channel: 'websocket' });
    websocket.refuse({
      kind: 'unreachable',
      error: refused,
      atMonotonic: clock.monotonic(),
      retryAtMonotonic: undefined,
      repeats: 1,
    });
    websocket.failListeners('ticker', refused);
    await flushMicrotasks();
    // The stand-in polls at once; the WebSocket listener stays, so the stream can come back.
    expect(rest.requests().at(-1)).toEqual({ method: 'getTickers', symbols: ['KRW-XRP'] });
    expect(websocket.openListeners('ticker')).toHaveLength(1);
    const second = await stream.next();
    expect(second.done === false && second.value).toMatchObject({ source: 'rest', quality: 'medium' });
    expect(second.done === false && second.value.qualityNotes[0]).toContain('fallback from websocket');
    expect(logger.find('warn', 'falling back from websocket to rest')).toHaveLength(1);
    expect(md.stats().fallbacks.byRoute).toEqual({ 'websocket->rest': 1 });
    expect(md.health()).toMatchObject({ status: 'degraded', fallbacks: [{ symbols: ['KRW-XRP'] }] });
    expect(md.health().reasons).toContainEqual(
      expect.stringMatching(/^watchTickers on rest fallback for KRW-XRP \(\d+ ms\): NetworkError/),
    );

    // REST repeats the same state every poll: handed on once only.
    clock.advance(1_000);
    await flushMicrotasks();
    clock.advance(1_000);
    await flushMicrotasks();
    expect(rest.callCount('getTickers')).toBe(3);
    // The WebSocket delivers again: back on it, the poll stopped; a tick older than the REST one is not handed on.
    websocket.push(tickAt('KRW-XRP', 'websocket', clock, { exchangeTimestamp: traded + 500 }));
    websocket.push(tickAt('KRW-XRP', 'websocket', clock, { exchangeTimestamp: traded + 2_000 }));
    const third = await stream.next();
    expect(third.done === false && third.value).toMatchObject({ source: 'websocket', quality: 'high' });
    expect(third.done === false && third.value.exchangeTimestamp).toBe(traded + 2_000);
    expect(logger.find('info', 'websocket serving again after a fallback episode')).toHaveLength(1);
    expect(md.health()).toMatchObject({ status: 'ok', fallbacks: [] });
    clock.advance(5_000);
    await flushMicrotasks();
    expect(rest.callCount('getTickers')).toBe(3);
    await stream.return?.();
  });

  it('polls through the REST source when there is no WebSocket, and ends when the caller aborts', async () => {
    harness = createHarness({}, false);
    const { md, rest, clock } = harness;
    const controller = new AbortController();
    const stream = md.watchTickers(['KRW-SOL'], { signal: controller.signal });
    rest.emit(tickAt('KRW-SOL', 'rest', clock));
    const first = await stream.next();
    expect(first.done === false && first.value).toMatchObject({ source: 'rest', quality: 'high' });
    controller.abort();
    expect(await stream.next()).toEqual({ done: true, value: undefined });
    expect(rest.watchers[0]?.isEnded).toBe(true);
  });

  it('ends at once when the caller signal is already aborted', async () => {
    harness = createHarness();
    const stream = harness.md.watchTickers(['KRW-BTC'], { signal: AbortSignal.abort() });
    expect(await stream.next()).toEqual({ done: true, value: undefined });
    const trades = harness.md.watchTrades(['KRW-BTC'], { signal: AbortSignal.abort() });
    expect(await trades.next()).toEqual({ done: true, value: undefined });
    await flushMicrotasks();
    expect(harness.md.stats().streams.active).toBe(0);
  });

  it('ends a strict WebSocket stream with the error instead of standing in', async () => {
    harness = createHarness();
    const { md, websocket, rest } = harness;
    const stream = md.watchTickers(['KRW-BTC'], { source: 'realtime', strict: true });
    const next = stream.next();
    websocket.failListeners('ticker', new NetworkError('gone', { channel: 'websocket' }));
    await expect(next).rejects.toThrow('gone');
    expect(await stream.next()).toEqual({ done: true, value: undefined });
    expect(rest.callCount()).toBe(0);
  });

  it('lets an explicit WebSocket stream that is not strict stand in with REST like auto', async () => {
    harness = createHarness();
    const { md, websocket, rest } = harness;
    const stream = md.watchTickers(['KRW-BTC'], { source: 'websocket' });
    const next = stream.next();
    websocket.failListeners('ticker', new NetworkError('gone', { channel: 'websocket' }));
    expect(await next).toMatchObject({ done: false, value: { source: 'rest', quality: 'medium' } });
    expect(rest.callCount('getTickers')).toBe(1);
    await stream.return?.();
  });
});

describe('a source that throws instead of listening', () => {
  it('ends the consumer with the error and leaves no stream open', async () => {
    harness = createHarness();
    const { md, websocket } = harness;
    websocket.listen = () => {
      throw new Error('socket factory exploded');
    };
    for (const stream of [md.watchTickers(['KRW-BTC']), md.watchOrderBooks(['KRW-BTC']), md.watchTrades(['KRW-BTC'])]) {
      await expect(stream.next()).rejects.toThrow('socket factory exploded');
      expect(await stream.next()).toEqual({ done: true, value: undefined });
    }
    expect(md.stats().streams.active).toBe(0);
    expect(md.stats().errors.total).toBe(3);
  });
});

describe('watchOrderBooks and watchTrades', () => {
  it('refuses order book and trade streams without WebSocket', () => {
    harness = createHarness({}, false);
    expect(() => harness?.md.watchOrderBooks(['KRW-BTC'])).toThrow(
      expect.objectContaining({ code: 'CHANNEL_UNAVAILABLE' }),
    );
    try {
      harness.md.watchTrades(['KRW-BTC']);
    } catch (error) {
      expect(isChannelUnavailableError(error)).toBe(true);
    }
  });

  it('goes on through a refusal the source retries, and ends with the error when the source gives up', async () => {
    harness = createHarness();
    const { md, websocket, clock } = harness;
    const stream = md.watchOrderBooks(['KRW-BTC']);
    websocket.failListeners('orderbook', new NetworkError('connection refused', { channel: 'websocket' }));
    websocket.pushBook(recordedBook(clock));
    expect(await stream.next()).toMatchObject({ done: false, value: { symbol: 'KRW-BTC' } });
    const next = stream.next();
    const refused = new NetworkError('gave up', { channel: 'websocket' });
    websocket.endListeners('orderbook', refused);
    await expect(next).rejects.toBe(refused);
    expect(await stream.next()).toEqual({ done: true, value: undefined });
    expect(md.stats().errors.byKind).toMatchObject({ NETWORK: 2 });
  });

  it('conflates order books per symbol: a slow consumer gets the latest full book', async () => {
    harness = createHarness();
    const { md, websocket, clock } = harness;
    const stream = md.watchOrderBooks(['KRW-BTC']);
    for (const size of [1, 2, 3]) websocket.pushBook(recordedBook(clock, size));
    await flushMicrotasks();
    const first = await stream.next();
    expect(first.done === false && first.value.totalAskSize).toBe(3);
    expect(first.done === false && first.value.levels).toHaveLength(30);
    expect(md.stats().streams).toMatchObject({ conflated: 2, delivered: { orderbook: 1 } });
    await stream.return?.();
  });

  it('passes every trade through in order, none conflated', async () => {
    harness = createHarness();
    const { md, websocket, clock } = harness;
    const stream = md.watchTrades(['KRW-BTC']);
    const firstNext = stream.next();
    const trades = recordedTrades(50, clock);
    for (const trade of trades) websocket.pushTrade(trade);
    const received: string[] = [];
    const first = await firstNext;
    if (first.done !== true) received.push(first.value.sequentialId);
    for await (const trade of stream) {
      received.push(trade.sequentialId);
      if (received.length === trades.length) break;
    }
    expect(received).toEqual(trades.map((trade) => trade.sequentialId));
    expect(received[0]).toBe('17732400590950000');
    expect(md.stats().streams.delivered.trade).toBe(50);
    expect(md.stats().streams.active).toBe(0);
    expect(md.stats().streams.conflated).toBe(0);
    expect(websocket.openListeners('trade')).toEqual([]);
  });

  it('ends a trade stream with QueueFullError when the consumer falls tradeQueueCapacity behind, losing none silently', async () => {
    harness = createHarness({ tradeQueueCapacity: 10 });
    const { md, websocket, clock } = harness;
    const stream = md.watchTrades(['KRW-BTC']);
    const trades = recordedTrades(11, clock);
    for (const trade of trades) websocket.pushTrade(trade);
    // The listener is released at once: nothing more is taken on the consumer's behalf.
    expect(websocket.openListeners('trade')).toEqual([]);
    const received: string[] = [];
    let failure: unknown;
    try {
      for await (const trade of stream) received.push(trade.sequentialId);
    } catch (error) {
      failure = error;
    }
    expect(received).toEqual(trades.slice(0, 10).map((trade) => trade.sequentialId));
    expect(failure).toSatisfy(isQueueFullError);
    expect(failure).toMatchObject({ capacity: 10, operation: 'watchTrades' });
    expect(md.stats().streams.active).toBe(0);
  });
});
