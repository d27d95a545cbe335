import { isClosedError, isConfigError, isDataValidationError, isInvalidMarketCodeError } from '@marketdata/domain';
import { FakeClock, flushMicrotasks } from '@marketdata/domain/testing';
import { describe, expect, it } from 'vitest';
import { createMarketData } from '../src/index.js';
import { FakeRestSource } from './support/fake-sources.js';
import { createHarness } from './support/harness.js';

describe('input validation', () => {
  it('rejects invalid symbols with InvalidMarketCodeError and an unknown source option clearly', async () => {
    const { md, rest } = createHarness();
    await expect(md.getTicker('krw-btc')).rejects.toSatisfy(isInvalidMarketCodeError);
    await expect(md.getTicker('BTC')).rejects.toSatisfy(isInvalidMarketCodeError);
    await expect(md.getTicker('KRW-BTC', { source: 'fast' as 'auto' })).rejects.toSatisfy(isDataValidationError);
    expect(() => md.watchTickers(['KRW-BTC', ' KRW-ETH'])).toThrow(/Invalid market code/);
    expect(() => md.watchTrades([])).toThrow(/needs at least one symbol/);
    expect(rest.callCount()).toBe(0);
    await md.close();
  });

  it('refuses a bad configuration with one ConfigError listing every bad field', () => {
    const rest = new FakeRestSource(new FakeClock());
    let caught: unknown;
    try {
      createMarketData({ rest, config: { cacheTtlMs: 0, restTimeoutMs: 'x' as unknown as number } });
    } catch (error) {
      caught = error;
    }
    expect(isConfigError(caught)).toBe(true);
    expect(isConfigError(caught) && caught.issues.map((issue) => issue.path).sort()).toEqual([
      'cacheTtlMs',
      'restTimeoutMs',
    ]);
  });
});

describe('close()', () => {
  it('ends streams, aborts calls in flight, releases subscriptions, closes the sources and leaves no timer', async () => {
    const harness = createHarness();
    const { md, rest, websocket, clock } = harness;
    // A hot symbol holding a subscription (and so the timer that releases it when it turns cold).
    await harness.requestEvery('KRW-BTC', 100, 5);
    expect(websocket.subscribed.get('KRW-BTC')).toBe(1);
    // A REST call hanging on its deadline timer.
    rest.hangNext(1);
    clock.advance(2_000);
    const inFlight = md.getTicker('KRW-ETH');
    // Open streams of every kind.
    const tickers = md.watchTickers(['KRW-BTC']);
    const books = md.watchOrderBooks(['KRW-BTC']);
    const trades = md.watchTrades(['KRW-BTC']);
    const nextTicker = tickers.next();
    const nextBook = books.next();
    const nextTrade = trades.next();
    await flushMicrotasks();
    expect(clock.pendingTimerCount()).toBeGreaterThan(0);
    expect(md.stats().streams.active).toBe(3);

    const closing = md.close();
    expect(md.close()).toBe(closing);
    await closing;

    await expect(inFlight).rejects.toSatisfy(isClosedError);
    expect(await nextTicker).toEqual({ done: true, value: undefined });
    expect(await nextBook).toEqual({ done: true, value: undefined });
    expect(await nextTrade).toEqual({ done: true, value: undefined });
    expect(websocket.subscribed.size).toBe(0);
    expect(rest.closed).toBe(true);
    expect(websocket.closed).toBe(true);
    expect(clock.pendingTimerCount()).toBe(0);
    expect(md.stats().streams.active).toBe(0);
    expect(md.health().status).toBe('closed');
    // The listeners were released, and the judge no longer observes the source.
    expect(websocket.listeners.length).toBe(3);
    expect(websocket.listeners.every((entry) => entry.released)).toBe(true);
    expect(websocket.observers.size).toBe(0);
  });

  it('answers every call after close() with ClosedError', async () => {
    const { md } = createHarness();
    await md.close();
    await md.close();
    await expect(md.getTicker('KRW-BTC')).rejects.toSatisfy(isClosedError);
    await expect(md.getTickers(['KRW-BTC'])).rejects.toSatisfy(isClosedError);
    expect(() => md.watchTickers(['KRW-BTC'])).toThrow(expect.objectContaining({ code: 'CLOSED' }));
    expect(() => md.watchOrderBooks(['KRW-BTC'])).toThrow(expect.objectContaining({ code: 'CLOSED' }));
    expect(() => md.watchTrades(['KRW-BTC'])).toThrow(expect.objectContaining({ code: 'CLOSED' }));
  });

  it('abandons a probe cut short by close() without counting it against the channel', async () => {
    const harness = createHarness({ router: { probeBackoffInitialMs: 1_000 } }, false);
    const { md, rest, clock } = harness;
    rest.failNext(3);
    for (let i = 0; i < 3; i++) {
      await expect(md.getTicker('KRW-BTC')).rejects.toThrow();
      clock.advance(10);
    }
    clock.advance(1_000);
    rest.hangNext(1);
    const probe = md.getTicker('KRW-BTC');
    await flushMicrotasks();
    expect(md.stats().routing.probes).toBe(1);
    await md.close();
    await expect(probe).rejects.toSatisfy(isClosedError);
    expect(md.health().channels.rest.consecutiveFailures).toBe(3);
    expect(clock.pendingTimerCount()).toBe(0);
  });

  it('lets a caller abort a call with its own signal', async () => {
    const harness = createHarness({}, false);
    const { md, rest, clock } = harness;
    rest.hangNext(1);
    const controller = new AbortController();
    const pending = md.getTicker('KRW-BTC', { signal: controller.signal });
    await flushMicrotasks();
    controller.abort(new Error('caller gave up'));
    await expect(pending).rejects.toThrow('caller gave up');
    expect(md.health().channels.rest.consecutiveFailures).toBe(0);
    expect(clock.pendingTimerCount()).toBe(0);
    await md.close();
  });
});
