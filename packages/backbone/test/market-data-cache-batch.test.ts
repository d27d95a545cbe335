import {
  isDataValidationError,
  isInvalidMarketCodeError,
  isNetworkError,
  isUnknownSymbolError,
  NetworkError,
} from '@marketdata/domain';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { TtlCache } from '../src/cache/ttl-cache.js';
import { createHarness, type Harness, learnRhythm } from './support/harness.js';

let harness: Harness | undefined;

afterEach(async () => {
  if (harness === undefined) return;
  await harness.md.close();
  expect(harness.clock.pendingTimerCount()).toBe(0);
  harness = undefined;
});

describe('TTL cache in the facade', () => {
  it('serves a burst from the cache while no newer value is due, labelled cache and still high', async () => {
    harness = createHarness({}, false);
    const { md, rest, clock } = harness;
    expect((await md.getTicker('KRW-BTC')).source).toBe('rest');
    clock.advance(300);
    const hit = await md.getTicker('KRW-BTC');
    expect(hit).toMatchObject({ source: 'cache', quality: 'high', confidence: 1 });
    expect(rest.callCount()).toBe(1);
    // Past the expected interval (1 s by default for an unknown rhythm) REST is asked again.
    clock.advance(800);
    expect((await md.getTicker('KRW-BTC')).source).toBe('rest');
    expect(md.stats().cache).toMatchObject({ hits: 1, misses: 2 });
  });

  it('serves the cache entry the router decided on, even when it expires before a second look', async () => {
    // TTL shorter than the expected interval: an entry is "fresh" for the router until the moment it expires.
    harness = createHarness({ cacheTtlMs: 500 }, false);
    const { md, rest, clock } = harness;
    const first = await md.getTicker('KRW-BTC');
    clock.advance(499.5);
    // Time passes after every look into the cache (a slow event loop between the router's read and the serve).
    const peek = TtlCache.prototype.peek;
    const spy = vi.spyOn(TtlCache.prototype, 'peek').mockImplementation(function (
      this: TtlCache<unknown, unknown>,
      key,
    ) {
      const hit = peek.call(this, key);
      clock.advance(1);
      return hit;
    });
    try {
      const served = await md.getTicker('KRW-BTC');
      expect(served).toMatchObject({ source: 'cache', price: first.price, quality: 'high' });
      expect(rest.callCount()).toBe(1);
      expect(md.stats().cache).toMatchObject({ hits: 1 });
    } finally {
      spy.mockRestore();
    }
  });

  it('falls back to the cache within the TTL when REST fails, and never past the TTL', async () => {
    harness = createHarness({ cacheTtlMs: 10_000 }, false);
    const { md, rest, clock } = harness;
    const first = await md.getTicker('KRW-ETH');
    clock.advance(2_000);
    rest.failNext(1);
    const fromCache = await md.getTicker('KRW-ETH');
    expect(fromCache.source).toBe('cache');
    expect(fromCache.quality).toBe('medium');
    expect(fromCache.ageMs).toBe(first.ageMs + 2_000);
    expect(fromCache.qualityNotes).toEqual([
      'fallback from rest: NetworkError: connection refused',
      'served from cache, 2000 ms old (expected interval 1000 ms)',
    ]);
    expect(md.stats().fallbacks.byRoute).toEqual({ 'rest->cache': 1 });

    clock.advance(8_000);
    rest.failNext(1);
    // Exactly at the TTL: still served, now graded low (older than 3 expected intervals).
    expect((await md.getTicker('KRW-ETH')).quality).toBe('low');
    clock.advance(1);
    rest.failNext(1);
    await expect(md.getTicker('KRW-ETH')).rejects.toSatisfy(isNetworkError);
    expect(md.stats().cache.expired).toBe(1);
  });

  it('serves the cache when every channel is disabled, and fails clearly once it has expired', async () => {
    harness = createHarness({ cacheTtlMs: 30_000, router: { probeBackoffInitialMs: 60_000 } }, false);
    const { md, rest, clock } = harness;
    await md.getTicker('KRW-XRP');
    rest.failNext(3);
    for (let i = 0; i < 3; i++) {
      clock.advance(2_000);
      await md.getTicker('KRW-XRP');
    }
    expect(md.health().status).toBe('down');
    clock.advance(2_000);
    const ticker = await md.getTicker('KRW-XRP');
    expect(ticker.source).toBe('cache');
    expect(md.stats().routing.decisions['all-channels-down-cache']).toBe(1);
    clock.advance(30_000);
    await expect(md.getTicker('KRW-XRP')).rejects.toThrow(/No channel can serve KRW-XRP \(all-channels-down/);
  });
});

describe('getTickers', () => {
  it('answers per symbol in input order, in one REST batch, reporting partial failures', async () => {
    harness = createHarness({}, false);
    const { md, rest } = harness;
    rest.unknownSymbols.add('KRW-NOPE');
    const results = await md.getTickers(['KRW-BTC', 'krw-eth', 'KRW-NOPE', 'KRW-ETH', 'KRW-BTC']);
    expect(results.map((result) => [result.symbol, result.ok])).toEqual([
      ['KRW-BTC', true],
      ['krw-eth', false],
      ['KRW-NOPE', false],
      ['KRW-ETH', true],
      ['KRW-BTC', true],
    ]);
    const [btc, lower, unknown] = results;
    expect(btc?.ok === true && btc.value.source).toBe('rest');
    expect(lower?.ok === false && isInvalidMarketCodeError(lower.error)).toBe(true);
    expect(unknown?.ok === false && isUnknownSymbolError(unknown.error)).toBe(true);
    expect(rest.requests()).toEqual([{ method: 'getTickers', symbols: ['KRW-BTC', 'KRW-NOPE', 'KRW-ETH'] }]);
    // An unknown symbol is not REST's fault: the channel stays healthy.
    expect(md.health().channels.rest.consecutiveFailures).toBe(0);
    expect(md.stats().errors.byKind).toEqual({ INVALID_MARKET_CODE: 1, UNKNOWN_SYMBOL: 1 });
  });

  it('reports a whole-batch failure on every symbol, falling back per symbol where it can', async () => {
    harness = createHarness({}, true);
    const { md, rest, clock } = harness;
    harness.push('KRW-BTC');
    rest.failNext(1, () => new NetworkError('reset', { channel: 'rest' }));
    const pending = md.getTickers(['KRW-BTC', 'KRW-ETH']);
    await clock.advanceAsync(5_000);
    const results = await pending;
    expect(rest.requests()).toEqual([{ method: 'getTickers', symbols: ['KRW-BTC', 'KRW-ETH'] }]);
    const [btc, eth] = results;
    // KRW-BTC has fresh WebSocket data to fall back on; KRW-ETH has nothing, so it waits for a first value until
    // webSocketTimeoutMs (5 s).
    expect(btc?.ok === true && btc.value).toMatchObject({ source: 'websocket', quality: 'medium' });
    expect(eth?.ok).toBe(false);
    expect(eth?.ok === false && eth.error.code).toBe('TIMEOUT');
  });

  it('sends hot symbols to WebSocket and the rest to one REST batch', async () => {
    harness = createHarness();
    const { md, rest, clock } = harness;
    learnRhythm(harness, 'KRW-BTC', 1_000);
    await harness.requestEvery('KRW-BTC', 100, 5);
    harness.push('KRW-BTC');
    clock.advance(2_000);
    rest.calls.length = 0;
    harness.push('KRW-BTC');
    const results = await md.getTickers(['KRW-BTC', 'KRW-ETH', 'KRW-XRP']);
    expect(results.map((result) => result.ok && result.value.source)).toEqual(['websocket', 'rest', 'rest']);
    expect(rest.requests()).toEqual([{ method: 'getTickers', symbols: ['KRW-ETH', 'KRW-XRP'] }]);
  });

  it('refuses a non-array and answers an empty list with an empty list', async () => {
    harness = createHarness();
    await expect(harness.md.getTickers('KRW-BTC' as unknown as string[])).rejects.toSatisfy(isDataValidationError);
    expect(await harness.md.getTickers([])).toEqual([]);
  });
});
