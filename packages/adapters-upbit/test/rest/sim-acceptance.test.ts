import {
  isBlockedError,
  isDataValidationError,
  isRateLimitError,
  isTimeoutError,
  isUnknownSymbolError,
  isUpstreamError,
  type MarketCode,
} from '@marketdata/domain';
import { afterEach, describe, expect, it } from 'vitest';
import { errorOf, settleWithClock, successOf } from './support/drive-clock.js';
import { type SimHarness, type SimHarnessOptions, startSimHarness } from './support/sim-harness.js';

let harness: SimHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

async function start(options: SimHarnessOptions = {}): Promise<SimHarness> {
  harness = await startSimHarness(options);
  return harness;
}

function krwCodes(h: SimHarness, count: number): MarketCode[] {
  return h.sim.control
    .marketCodes()
    .filter((code) => code.startsWith('KRW-'))
    .slice(0, count) as MarketCode[];
}

const requests = (h: SimHarness, group: string): number => h.sim.control.counters().requestsByGroup[group] ?? 0;
const settle = <T>(h: SimHarness, promise: Promise<T>) => settleWithClock(promise, h.clock, { stepMs: 5, ioTurns: 3 });

describe('REST adapter against the simulator', () => {
  it('200 concurrent getTicker over 50 symbols: a handful of requests, no 429, right values', async () => {
    const h = await start();
    const codes = krwCodes(h, 50);
    expect(codes).toHaveLength(50);
    for (const code of codes) h.sim.control.freezeMarket(code, true);
    const calls = Array.from({ length: 200 }, (_, index) => h.source.getTicker(codes[index % 50] as MarketCode));
    const tickers = successOf(await settle(h, Promise.all(calls)));
    const counters = h.sim.control.counters();
    expect(counters.requestsByGroup.ticker).toBeLessThanOrEqual(2);
    expect(counters.sent429).toBe(0);
    expect(counters.sent418).toBe(0);
    tickers.forEach((ticker, index) => {
      const state = h.sim.control.market(codes[index % 50] as string);
      expect(ticker.symbol).toBe(codes[index % 50]);
      expect(ticker.price).toBe(state?.tradePrice);
      expect(ticker.tradeTimestamp).toBe(state?.tradeTimestamp);
      expect(ticker.exchangeTimestamp).toBeGreaterThan(0);
      expect(ticker.receivedAt).toBeGreaterThan(0);
      expect(ticker.latencyMs).toBeGreaterThanOrEqual(0);
    });
  });

  it('paces 60 concurrent trade requests of one group: no 429 from the simulator, trades exact', async () => {
    const h = await start();
    const codes = krwCodes(h, 60);
    h.sim.control.freezeMarket('KRW-BTC', true);
    const pages = successOf(await settle(h, Promise.all(codes.map((code) => h.source.getTrades(code, { count: 2 })))));
    expect(requests(h, 'crix-trades')).toBe(60);
    expect(h.sim.control.counters().sent429).toBe(0);
    const btc = h.sim.control.market('KRW-BTC');
    const btcPage = pages[codes.indexOf('KRW-BTC' as MarketCode)];
    expect(btcPage?.[0]?.sequentialId).toBe(btc?.lastSequentialId);
    expect(btcPage?.[0]?.sequentialId).toMatch(/^\d{17}$/);
  });

  it('a 429 storm: waits the window with doubling backoff, then RateLimitError, no hammering', async () => {
    const h = await start({ maxRetries: 3 });
    h.sim.control.failRest('ticker', 429, 100);
    const error = errorOf(await settle(h, h.source.getTicker('KRW-BTC' as MarketCode)));
    expect(isRateLimitError(error)).toBe(true);
    expect(error).toMatchObject({ group: 'ticker' });
    expect((error as Error).message).toContain('Too many API requests.');
    expect(requests(h, 'ticker')).toBe(4);
    expect(h.sim.control.counters().sent418).toBe(0);
    const gaps = h.sentAt.slice(1).map((at, index) => at - (h.sentAt[index] ?? 0));
    gaps.forEach((gap, index) => {
      expect(gap).toBeGreaterThanOrEqual(1050 * 2 ** index);
    });
  });

  it('a short 429 burst is retried to success', async () => {
    const h = await start();
    h.sim.control.failRest('ticker', 429, 2);
    const ticker = successOf(await settle(h, h.source.getTicker('KRW-BTC' as MarketCode)));
    expect(ticker.symbol).toBe('KRW-BTC');
    expect(requests(h, 'ticker')).toBe(3);
  });

  it('a 418: BlockedError, then nothing is sent to that group during the cool-down; other groups go on', async () => {
    const h = await start({ rateLimit: { blockCoolDownMs: 30_000 } });
    h.sim.control.failRest('ticker', 418, 1);
    const first = errorOf(await settle(h, h.source.getTicker('KRW-BTC' as MarketCode)));
    expect(isBlockedError(first)).toBe(true);
    expect(first).toMatchObject({ coolDownMs: 30_000, group: 'ticker' });
    const again = errorOf(await settle(h, h.source.getTicker('KRW-ETH' as MarketCode)));
    expect(isBlockedError(again)).toBe(true);
    expect(requests(h, 'ticker')).toBe(1);
    successOf(await settle(h, h.source.getOrderBook('KRW-BTC' as MarketCode)));
    await h.clock.advanceAsync(30_000);
    successOf(await settle(h, h.source.getTicker('KRW-ETH' as MarketCode)));
    expect(requests(h, 'ticker')).toBe(2);
  });

  it('a 5xx burst is retried with backoff to success', async () => {
    const h = await start();
    h.sim.control.failRest('ticker', 503, 2);
    successOf(await settle(h, h.source.getTicker('KRW-BTC' as MarketCode)));
    expect(requests(h, 'ticker')).toBe(3);
    expect(h.sim.control.counters().responsesByStatus['503']).toBe(2);
  });

  it('a 5xx storm ends in UpstreamError after maxRetries + 1 requests, keeping the body message', async () => {
    const h = await start({ maxRetries: 2 });
    h.sim.control.failRest('candles', 500, 50);
    const error = errorOf(
      await settle(h, h.source.getCandles('KRW-BTC' as MarketCode, { interval: { unit: 'days', size: 1 } })),
    );
    expect(isUpstreamError(error)).toBe(true);
    expect(error).toMatchObject({ status: 500, upstreamName: 500, upstreamMessage: 'upbit-sim: injected failure' });
    expect(requests(h, 'candles')).toBe(3);
  });

  it('slow bodies past the attempt timeout: TimeoutError per attempt, then success once bodies are fast again', async () => {
    const h = await start({ attemptTimeoutMs: 2000, maxRetries: 1 });
    h.sim.control.slowBodies(5000);
    const error = errorOf(await settle(h, h.source.getOrderBook('KRW-BTC' as MarketCode)));
    expect(isTimeoutError(error)).toBe(true);
    expect(error).toMatchObject({ timeoutMs: 2000 });
    expect(requests(h, 'orderbook')).toBe(2);
    const gap = (h.sentAt[1] ?? 0) - (h.sentAt[0] ?? 0);
    expect(gap).toBeGreaterThanOrEqual(2000);
    h.sim.control.slowBodies(0);
    const book = successOf(await settle(h, h.source.getOrderBook('KRW-BTC' as MarketCode)));
    expect(book.levels.length).toBeGreaterThan(0);
  });

  it('a truncated body is retried; bodies truncated every time give DataValidationError at $', async () => {
    const h = await start({ maxRetries: 2, marketListTtlMs: 1000 });
    h.sim.control.truncateBodies(1);
    const markets = successOf(await settle(h, h.source.getMarkets()));
    expect(markets.length).toBe(h.sim.control.marketCodes().length);
    expect(requests(h, 'market')).toBe(2);
    await h.clock.advanceAsync(1000); // the list is due for a refresh
    h.sim.control.truncateBodies(10);
    const error = errorOf(await settle(h, h.source.getMarkets()));
    expect(isDataValidationError(error)).toBe(true);
    expect(error).toMatchObject({ path: '$' });
    expect(requests(h, 'market')).toBe(5);
  });

  it('a wrong-typed field (simulator body altered in transit) gives DataValidationError at once, no retry', async () => {
    const h = await start({
      tamper: (body, url) =>
        url.includes('/v1/ticker') ? body.replace(/"trade_price":[^,]+/, '"trade_price":"n/a"') : body,
    });
    const error = errorOf(await settle(h, h.source.getTicker('KRW-BTC' as MarketCode)));
    expect(isDataValidationError(error)).toBe(true);
    expect(error).toMatchObject({ path: '$[0].trade_price', value: 'n/a' });
    expect(requests(h, 'ticker')).toBe(1);
  });

  it('a batch with an unknown market answers the known ones; UnknownSymbolError only for the unknown', async () => {
    const h = await start();
    const known = krwCodes(h, 15);
    const unknown = 'KRW-NOPE' as MarketCode;
    const results = successOf(await settle(h, h.source.getTickers([...known.slice(0, 7), unknown, ...known.slice(7)])));
    expect(results).toHaveLength(16);
    for (const result of results) {
      if (result.symbol === unknown) {
        expect(result.ok).toBe(false);
        if (!result.ok) {
          expect(isUnknownSymbolError(result.error)).toBe(true);
          expect(result.error).toMatchObject({ upstreamName: 404, upstreamMessage: 'Code not found' });
        }
      } else {
        expect(result.ok, result.symbol).toBe(true);
      }
    }
    expect(requests(h, 'ticker')).toBeLessThanOrEqual(1 + 2 * Math.ceil(Math.log2(16)));
    expect(h.sim.control.counters().sent429).toBe(0);
  });
});
