import type { ChannelTicker, ConnectionEvent, Trade } from '@marketdata/domain';
import { afterEach, describe, expect, it } from 'vitest';
import { subscriptionSet } from '../../src/ws/protocol/subscription-request.js';
import { BTC, ETH, type Harness, startHarness, until, XRP } from './support/harness.js';

let harness: Harness | undefined;

afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

async function start(...args: Parameters<typeof startHarness>): Promise<Harness> {
  harness = await startHarness(...args);
  return harness;
}

describe('subscriptions', () => {
  it('connects lazily, batches same-tick changes into one complete SIMPLE request', async () => {
    // No linger here, so each release changes the set at once.
    const { source, server, clock } = await start({ lingerMs: 0 });
    expect(source.state).toBe('idle');
    const a = source.subscribe('ticker', [BTC, ETH]);
    const b = source.subscribe('trade', [BTC]);
    const c = source.subscribe('orderbook', [XRP]);
    await until(() => server.requests.length === 1);
    expect(source.state).toBe('open');
    expect(server.parsedRequests()[0]).toMatchObject({
      format: 'SIMPLE',
      codes: { ticker: ['KRW-BTC', 'KRW-ETH'], trade: ['KRW-BTC'], orderbook: ['KRW-XRP'] },
    });
    // Each later change sends the complete set again (Upbit replaces, never adds).
    a.release();
    await until(() => server.requests.length === 2);
    expect(server.parsedRequests()[1]?.codes).toEqual(subscriptionSet({ trade: ['KRW-BTC'], orderbook: ['KRW-XRP'] }));
    // A change undone in the same tick sends nothing.
    source.subscribe('ticker', [ETH]).release();
    b.release();
    c.release();
    // Nothing is wanted: the socket stays open (for reuse) for idleSocketLingerMs, then closes.
    await new Promise((resolve) => setImmediate(resolve));
    clock.advance(9_999);
    expect(source.state).toBe('open');
    clock.advance(1);
    expect(source.state).toBe('idle');
    expect(server.requests).toHaveLength(2);
    await until(() => server.connectionCount() === 0);
  });

  it('requests DEFAULT when asked and adds the orderbook unit suffix', async () => {
    const { source, server } = await start({ format: 'DEFAULT', orderBookDepth: 15 });
    source.subscribe('orderbook', [BTC]);
    const books = source.watchOrderBooks([BTC])[Symbol.asyncIterator]();
    const first = await books.next();
    expect(server.parsedRequests()[0]).toMatchObject({ format: 'DEFAULT', codes: { orderbook: ['KRW-BTC.15'] } });
    expect(first.value).toMatchObject({ symbol: 'KRW-BTC', streamType: 'SNAPSHOT', source: 'websocket' });
    await books.return?.();
  });

  it('refuses lower-case and malformed codes with InvalidMarketCodeError before sending anything', async () => {
    const { source, server } = await start();
    const lower = 'krw-btc' as unknown as typeof BTC;
    expect(() => source.subscribe('ticker', [lower])).toThrow(
      expect.objectContaining({ name: 'InvalidMarketCodeError' }),
    );
    expect(() => source.watchTickers([BTC, lower])).toThrow(expect.objectContaining({ code: 'INVALID_MARKET_CODE' }));
    await expect(source.getTicker(lower)).rejects.toMatchObject({ name: 'InvalidMarketCodeError' });
    await expect(source.getTrades('BTC' as unknown as typeof BTC)).rejects.toMatchObject({
      name: 'InvalidMarketCodeError',
    });
    expect(() => source.subscribe('candle' as 'ticker', [BTC])).toThrow(
      expect.objectContaining({ name: 'DataValidationError', path: 'kind' }),
    );
    expect(() => source.listen('candle' as 'ticker', [BTC], { onRecord: () => {} })).toThrow(
      expect.objectContaining({ name: 'DataValidationError' }),
    );
    expect(source.latest('candle' as 'ticker', BTC)).toBeUndefined();
    expect(source.state).toBe('idle');
    expect(server.totalConnections).toBe(0);
  });
});

describe('getTicker / getTickers / getOrderBook / getTrades', () => {
  it('subscribes and waits for the SNAPSHOT, then answers from live state without a new request', async () => {
    const { source, server } = await start();
    const ticker = await source.getTicker(BTC);
    expect(ticker).toMatchObject({ symbol: 'KRW-BTC', streamType: 'SNAPSHOT', price: 510500 });
    server.publish('ticker', 'KRW-BTC', { price: 511000 });
    await until(async () => (await source.getTicker(BTC)).price === 511000);
    expect(server.requests).toHaveLength(1);
  });

  it('without a signal, a symbol that never arrives times out after snapshotTimeoutMs (default 5 000)', async () => {
    const { source, clock } = await start({}, { snapshots: false });
    const outcome = source.getTicker(BTC).catch((error: unknown) => error);
    await until(() => source.state === 'open');
    clock.advance(4_999);
    expect(source.diagnostics().pendingRequests).toBe(1);
    clock.advance(1);
    expect(await outcome).toMatchObject({
      name: 'TimeoutError',
      timeoutMs: 5_000,
      symbol: 'KRW-BTC',
      channel: 'websocket',
      operation: 'getTicker',
    });
    expect(source.diagnostics().pendingRequests).toBe(0);
  });

  it('snapshotTimeoutMs is an option', async () => {
    const { source, clock } = await start({ snapshotTimeoutMs: 1_500 }, { snapshots: false });
    const outcome = source.getOrderBook(ETH).catch((error: unknown) => error);
    clock.advance(1_500);
    expect(await outcome).toMatchObject({ name: 'TimeoutError', timeoutMs: 1_500, operation: 'getOrderBook' });
  });

  it('with a signal, the signal is the only limit: no timer of ours, however long it waits', async () => {
    const { source, pump } = await start({}, { snapshots: false });
    const controller = new AbortController();
    const pending = source.getTicker(BTC, { signal: controller.signal });
    await until(() => source.state === 'open');
    expect(source.diagnostics().timers).toBe(1); // the heartbeat only
    await pump(60_000, 1_000); // heartbeats answered meanwhile: the socket stays healthy
    expect(source.diagnostics().pendingRequests).toBe(1);
    controller.abort(new Error('caller gave up'));
    await expect(pending).rejects.toThrow('caller gave up');
    expect(source.diagnostics().pendingRequests).toBe(0);
  });

  it('getTickers answers per symbol; one missing symbol does not fail the others', async () => {
    const { source, server, clock } = await start({ snapshotTimeoutMs: 1_000 }, { snapshots: false });
    const pending = source.getTickers([BTC, ETH, 'eth' as unknown as typeof ETH]);
    await until(() => server.subscriptions()[0]?.codes.ticker.length === 2);
    server.publish('ticker', 'KRW-BTC');
    await until(() => source.latest('ticker', BTC) !== undefined);
    clock.advance(1_000);
    const results = await pending;
    expect(results.map((r) => [r.symbol, r.ok, r.ok ? r.value.symbol : r.error.name])).toEqual([
      ['KRW-BTC', true, 'KRW-BTC'],
      ['KRW-ETH', false, 'TimeoutError'],
      ['eth', false, 'InvalidMarketCodeError'],
    ]);
  });

  it('an abort signal rejects a pending getTicker with its reason', async () => {
    const { source } = await start({}, { snapshots: false });
    const controller = new AbortController();
    const pending = source.getTicker(BTC, { signal: controller.signal });
    controller.abort(new Error('caller gave up'));
    await expect(pending).rejects.toThrow('caller gave up');
    expect(source.diagnostics().pendingRequests).toBe(0);
    const aborted = AbortSignal.abort(new Error('already'));
    await expect(source.getOrderBook(ETH, { signal: aborted })).rejects.toThrow('already');
  });

  it('getOrderBook and getTrades (newest first, only what arrived since subscribing)', async () => {
    const { source, server } = await start();
    expect(await source.getOrderBook(ETH)).toMatchObject({ symbol: 'KRW-ETH', levels: expect.any(Array) });
    const first = await source.getTrades(XRP);
    expect(first).toHaveLength(1);
    server.publish('trade', 'KRW-XRP', { sequentialId: '17303368620800007' });
    server.publish('trade', 'KRW-XRP', { sequentialId: '17303368620800009' });
    await until(async () => (await source.getTrades(XRP)).length === 3);
    const trades = await source.getTrades(XRP, { count: 2 });
    expect(trades.map((t) => t.sequentialId)).toEqual(['17303368620800009', '17303368620800007']);
    await expect(source.getTrades(XRP, { count: 0 })).rejects.toMatchObject({
      name: 'DataValidationError',
      path: 'count',
    });
  });

  it('a symbol asked for by get…() stays on the wire for lingerMs (default 30 000), then leaves', async () => {
    const { source, server, clock } = await start();
    await source.getTicker(BTC);
    clock.advance(29_999);
    expect(source.status().subscriptions.ticker).toEqual(['KRW-BTC']);
    expect((await source.getTicker(BTC)).symbol).toBe('KRW-BTC'); // answered live, and the linger starts again
    clock.advance(29_999);
    expect(source.status().subscriptions.ticker).toEqual(['KRW-BTC']);
    clock.advance(1);
    expect(source.status().subscriptions.ticker).toEqual([]);
    expect(source.latest('ticker', BTC)).toBeUndefined();
    expect(server.requests).toHaveLength(1);
  });
});

describe('watchers', () => {
  it('a watcher gets the SNAPSHOT then every REALTIME update; return() releases the subscription', async () => {
    const { source, server } = await start();
    const iterator = source.watchTickers([BTC, ETH])[Symbol.asyncIterator]();
    const seen: ChannelTicker[] = [];
    seen.push((await iterator.next()).value, (await iterator.next()).value);
    expect(seen.map((t) => [t.symbol, t.streamType]).sort()).toEqual([
      ['KRW-BTC', 'SNAPSHOT'],
      ['KRW-ETH', 'SNAPSHOT'],
    ]);
    server.publish('ticker', 'KRW-ETH', { price: 1 });
    expect((await iterator.next()).value).toMatchObject({ symbol: 'KRW-ETH', price: 1, streamType: 'REALTIME' });
    await iterator.return?.();
    expect(source.diagnostics().listeners).toBe(0);
    expect(source.status().subscriptions.ticker).toEqual(['KRW-BTC', 'KRW-ETH']); // lingering
  });

  it('a second watcher on a live symbol starts from the current value at once', async () => {
    const { source, server } = await start();
    const one = source.watchTickers([BTC])[Symbol.asyncIterator]();
    await one.next();
    const two = source.watchTickers([BTC])[Symbol.asyncIterator]();
    expect((await two.next()).value).toMatchObject({ symbol: 'KRW-BTC' });
    expect(server.requests).toHaveLength(1);
    await one.return?.();
    await two.return?.();
  });

  it('a slow ticker consumer gets the latest value per symbol; its own conflated values are counted', async () => {
    const { source, server } = await start();
    const stream = source.watchTickers([BTC, ETH]);
    const other = source.watchTickers([BTC]);
    const iterator = stream[Symbol.asyncIterator]();
    const otherIterator = other[Symbol.asyncIterator]();
    await iterator.next();
    await iterator.next();
    for (let i = 1; i <= 50; i++) {
      server.publish('ticker', 'KRW-BTC', { price: i });
      server.publish('ticker', 'KRW-ETH', { price: 1000 + i });
    }
    await until(() => source.status().framesReceived >= 102);
    expect(stream.stats()).toEqual({ conflated: 98, dropped: 0 });
    expect(other.stats()).toEqual({ conflated: 50, dropped: 0 }); // BTC only: SNAPSHOT + 50 held, 50 overwritten
    await otherIterator.return?.();
    const next = [(await iterator.next()).value, (await iterator.next()).value];
    expect(next.map((t) => [t.symbol, t.price])).toEqual([
      ['KRW-BTC', 50],
      ['KRW-ETH', 1050],
    ]);
    await iterator.return?.();
  });

  it('trades are never conflated: a full queue drops the oldest, counts and reports once', async () => {
    const { source, server } = await start({ tradeQueueSize: 10 });
    const errors: unknown[] = [];
    const stream = source.watchTrades([BTC], { onError: (error) => errors.push(error) });
    const iterator = stream[Symbol.asyncIterator]();
    await iterator.next(); // SNAPSHOT
    for (let i = 1; i <= 30; i++)
      server.publish('trade', 'KRW-BTC', { sequentialId: String(17303368620800000n + BigInt(i)) });
    await until(() => source.status().framesReceived >= 31);
    expect(stream.stats()).toEqual({ conflated: 0, dropped: 20 });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ name: 'QueueFullError', capacity: 10 });
    const ids: string[] = [];
    for (let i = 0; i < 10; i++) ids.push(((await iterator.next()).value as Trade).sequentialId);
    expect(ids[0]).toBe('17303368620800021');
    expect(ids[9]).toBe('17303368620800030');
    await iterator.return?.();
  });

  it('an abort signal ends the watcher and releases its subscription', async () => {
    const { source } = await start();
    const controller = new AbortController();
    const iterator = source.watchOrderBooks([BTC], { signal: controller.signal })[Symbol.asyncIterator]();
    await iterator.next();
    const waiting = iterator.next();
    controller.abort();
    expect(await waiting).toEqual({ value: undefined, done: true });
    expect(source.diagnostics().listeners).toBe(0);
  });

  it('for-await works and break releases', async () => {
    const { source, server } = await start();
    let count = 0;
    // Published once the subscription has reached the server (a frame sent before it would go to nobody).
    void until(() => server.requests.length === 1).then(() => server.publish('trade', 'KRW-ETH'));
    for await (const trade of source.watchTrades([ETH])) {
      expect(trade.symbol).toBe('KRW-ETH');
      if (++count === 2) break;
    }
    expect(source.diagnostics().listeners).toBe(0);
  });
});

describe('close', () => {
  it('close() is idempotent, ends watchers and listeners, rejects pending calls, leaves no timers', async () => {
    const { source, clock } = await start({}, { snapshots: false });
    const iterator = source.watchTickers([BTC])[Symbol.asyncIterator]();
    const waiting = iterator.next();
    const pending = source.getTicker(ETH).catch((error: unknown) => error);
    const ended: unknown[] = [];
    source.listen('trade', [XRP], { onRecord: () => {}, onEnd: (reason) => ended.push(reason) });
    await until(() => source.state === 'open');
    const states: ConnectionEvent[] = [];
    source.observe({ onConnection: (event) => states.push(event) });
    await Promise.all([source.close(), source.close()]);
    expect(await waiting).toEqual({ value: undefined, done: true });
    expect(await pending).toMatchObject({ name: 'ClosedError' });
    expect(ended).toEqual([undefined]);
    expect(states.map((event) => [event.previous, event.state])).toEqual([['open', 'closed']]);
    expect(clock.pendingTimerCount()).toBe(0);
    expect(source.diagnostics()).toEqual({
      listeners: 0,
      observers: 0,
      timers: 0,
      lingeringSubscriptions: 0,
      pendingRequests: 0,
    });
    await expect(source.getTicker(BTC)).rejects.toMatchObject({ name: 'ClosedError' });
    expect(() => source.subscribe('ticker', [BTC])).toThrow(expect.objectContaining({ name: 'ClosedError' }));
    expect(() => source.listen('ticker', [BTC], { onRecord: () => {} })).toThrow(
      expect.objectContaining({ name: 'ClosedError' }),
    );
    await expect(source.watchTickers([BTC])[Symbol.asyncIterator]().next()).rejects.toMatchObject({
      name: 'ClosedError',
    });
  });
});
