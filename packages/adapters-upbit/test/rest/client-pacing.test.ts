import {
  createSeededRandom,
  isClosedError,
  isConfigError,
  isInvalidMarketCodeError,
  isQueueFullError,
  isTimeoutError,
} from '@marketdata/domain';
import { FakeClock } from '@marketdata/domain/testing';
import { fixtureText } from '@marketdata/fixtures';
import { afterEach, describe, expect, it } from 'vitest';
import { createRestBudgets } from '../../src/rest/http/rest-budgets.js';
import { UpbitRestClient } from '../../src/rest/index.js';
import { arrivalCountingUpbit } from './support/arrival-counting-upbit.js';
import { type ClientHarness, clientHarness, maxInWindow } from './support/client-harness.js';
import { callerDeadline, errorOf, settleWithClock, successOf } from './support/drive-clock.js';
import { type FakeReply, remainingReq } from './support/fake-upbit-fetch.js';

const TRADES = fixtureText('rest-trades-ticks-krw-btc.json');
const BOOK = fixtureText('rest-orderbook-krw-btc.json');
const tradesFor = (url: URL): FakeReply => ({
  body: TRADES.replace('"KRW-BTC"', JSON.stringify(url.searchParams.get('market'))),
  headers: remainingReq('crix-trades', 9),
});
const MARKETS = Array.from({ length: 25 }, (_, index) => `KRW-C${index}`);

let harness: ClientHarness | undefined;
afterEach(() => {
  harness?.client.close();
  expect(harness?.clock.pendingTimerCount() ?? 0).toBe(0);
  harness = undefined;
});

describe('per-group pacing', () => {
  it('never sends more than 10 requests of a group in any window; the rest queue and all complete', async () => {
    harness = clientHarness(tradesFor);
    const calls = MARKETS.map((market) => harness?.client.getTrades(market) as Promise<unknown>);
    successOf(await settleWithClock(Promise.all(calls), harness.clock, { stepMs: 5 }));
    const times = harness.fetch.calls.map((call) => call.at);
    expect(times).toHaveLength(25);
    expect(maxInWindow(times, 1050)).toBeLessThanOrEqual(10);
    expect(times.filter((at) => at === 0)).toHaveLength(10);
  });

  it('requests reaching Upbit up to 300 ms after their slot never make 11 in a second (Upbit counts on arrival)', async () => {
    const clock = new FakeClock();
    const upbit = arrivalCountingUpbit({
      clock,
      random: createSeededRandom(2024),
      limit: 10,
      windowMs: 1000,
      maxArrivalLagMs: 300,
      maxAnswerLagMs: 80,
      group: 'crix-trades',
      body: (url) => tradesFor(url).body ?? '',
    });
    const client = new UpbitRestClient({
      clock,
      random: createSeededRandom(7),
      fetch: upbit.fetch,
      budgets: createRestBudgets(),
    });
    const markets = Array.from({ length: 60 }, (_, index) => `KRW-L${index}`);
    const pages = successOf(
      await settleWithClock(Promise.all(markets.map((market) => client.getTrades(market))), clock, { stepMs: 5 }),
    );
    client.close();
    expect(clock.pendingTimerCount()).toBe(0);
    expect(pages).toHaveLength(60);
    expect(upbit.sent429()).toBe(0);
    expect(upbit.arrivals).toHaveLength(60);
    expect(maxInWindow(upbit.arrivals, 1000)).toBeLessThanOrEqual(10);
    // The lag is real: some requests reached the server well past the old 50 ms margin after they were sent.
    expect(upbit.arrivalLagsMs.filter((lag) => lag > 100).length).toBeGreaterThan(10);
  });

  it('ten requests still out hold the group: the eleventh goes a window after the first answer', async () => {
    harness = clientHarness((url, index) => ({ ...tradesFor(url), delayMs: index < 10 ? 3000 + index * 100 : 0 }));
    const { client, clock, fetch } = harness;
    const calls = MARKETS.slice(0, 11).map((market) => client.getTrades(market));
    successOf(await settleWithClock(Promise.all(calls), clock, { stepMs: 5 }));
    const times = fetch.calls.map((call) => call.at);
    expect(times.slice(0, 10).every((at) => at === 0)).toBe(true);
    expect(times[10]).toBeGreaterThanOrEqual(3000 + 1050);
  });

  it('groups have separate budgets', async () => {
    harness = clientHarness((url) =>
      url.pathname === '/v1/orderbook' ? { body: BOOK, headers: remainingReq('orderbook', 9) } : tradesFor(url),
    );
    const trades = MARKETS.slice(0, 10).map((market) => harness?.client.getTrades(market) as Promise<unknown>);
    const book = harness.client.getOrderBooks(['KRW-BTC']);
    successOf(await settleWithClock(Promise.all([...trades, book]), harness.clock));
    expect(harness.fetch.calls.every((call) => call.at === 0)).toBe(true);
  });

  it('re-synchronises from Remaining-Req: sec=0 holds the next request for a window', async () => {
    harness = clientHarness((url) => ({ ...tradesFor(url), headers: remainingReq('crix-trades', 0) }));
    const { client, clock, fetch } = harness;
    successOf(await settleWithClock(client.getTrades('KRW-BTC'), clock));
    successOf(await settleWithClock(client.getTrades('KRW-ETH'), clock));
    const [a, b] = fetch.calls.map((call) => call.at);
    expect((b ?? 0) - (a ?? 0)).toBeGreaterThanOrEqual(1050);
  });

  it('a full queue answers QueueFullError at once', async () => {
    harness = clientHarness(tradesFor, { rateLimit: { requestsPerWindow: 1, maxQueue: 2 } });
    const { client, clock } = harness;
    const accepted = MARKETS.slice(0, 3).map((market) => client.getTrades(market));
    const rejected = errorOf(await settleWithClock(client.getTrades('KRW-BTC'), clock, { stepMs: 0, maxSteps: 3 }));
    expect(isQueueFullError(rejected)).toBe(true);
    expect(rejected).toMatchObject({ capacity: 2, retryable: true });
    successOf(await settleWithClock(Promise.all(accepted), clock, { stepMs: 50 }));
    expect(harness.fetch.calls).toHaveLength(3);
  });
});

describe('singleflight and caller limits', () => {
  it('identical in-flight requests share one HTTP call; a caller leaving does not disturb the other', async () => {
    harness = clientHarness(() => ({ body: BOOK, headers: remainingReq('orderbook', 9) }));
    const { client, clock, fetch } = harness;
    const leaving = new AbortController();
    const a = client.getOrderBooks(['KRW-BTC'], {}, { signal: leaving.signal });
    const b = client.getOrderBooks(['KRW-BTC']);
    leaving.abort(new Error('caller left'));
    const [left, stayed] = await Promise.all([settleWithClock(a, clock), settleWithClock(b, clock)]);
    expect(errorOf(left)).toMatchObject({ message: 'caller left' });
    expect(successOf(stayed).data[0]?.market).toBe('KRW-BTC');
    expect(fetch.calls).toHaveLength(1);
  });

  it('getTickers is not shared in the executor: the source batcher is the one singleflight on the ticker path', async () => {
    harness = clientHarness(() => ({
      body: fixtureText('rest-ticker-krw-btc.json'),
      headers: remainingReq('ticker', 9),
    }));
    const { client, clock, fetch } = harness;
    successOf(
      await settleWithClock(Promise.all([client.getTickers(['KRW-BTC']), client.getTickers(['KRW-BTC'])]), clock),
    );
    expect(fetch.calls).toHaveLength(2);
  });

  it("a caller deadline while queued rejects with the deadline's reason and frees the queue slot", async () => {
    harness = clientHarness(tradesFor, { rateLimit: { requestsPerWindow: 1 } });
    const { client, clock } = harness;
    const first = client.getTrades('KRW-BTC');
    const deadline = callerDeadline(clock, 200);
    const late = client.getTrades('KRW-ETH', {}, { signal: deadline.signal });
    const error = errorOf(await settleWithClock(late, clock));
    expect(isTimeoutError(error)).toBe(true);
    expect(error).toBe(deadline.signal.reason);
    expect(error).toMatchObject({ timeoutMs: 200 });
    expect(client.pacer('crix-trades').queueLength()).toBe(0);
    successOf(await settleWithClock(first, clock));
    await clock.advanceAsync(2000);
    expect(harness.fetch.calls).toHaveLength(1);
  });

  it('close() fails queued calls with ClosedError and leaves no timer', async () => {
    harness = clientHarness(tradesFor, { rateLimit: { requestsPerWindow: 1 } });
    const { client, clock } = harness;
    const calls = MARKETS.slice(0, 3).map((market) => client.getTrades(market));
    await settleWithClock(calls[0] as Promise<unknown>, clock, { stepMs: 0, maxSteps: 5 });
    client.close();
    const outcomes = await Promise.all(calls.slice(1).map((call) => settleWithClock(call, clock)));
    expect(outcomes.every((outcome) => !outcome.ok && isClosedError(outcome.error))).toBe(true);
    expect(isClosedError(errorOf(await settleWithClock(client.getTrades('KRW-BTC'), clock)))).toBe(true);
  });
});

describe('requests as Upbit spells them', () => {
  it('builds each endpoint URL with literal commas', async () => {
    harness = clientHarness((url) => ({ body: url.pathname.includes('trades') ? TRADES : '[]' }));
    const { client, clock, fetch } = harness;
    const calls = [
      client.getMarkets({ isDetails: true }),
      client.getTickers(['KRW-BTC', 'KRW-ETH']),
      client.getTickersByQuote(['KRW', 'BTC']),
      client.getOrderBooks(['KRW-BTC'], { level: 10000, count: 15 }),
      client.getTrades('KRW-BTC', { count: 5, cursor: '17732400590950000', daysAgo: 2, to: '14:40:59' }),
      client.getMinuteCandles(240, 'KRW-BTC', { count: 200, to: '2025-07-30T00:00:00Z' }),
      client.getDayCandles('KRW-BTC', { count: 2 }),
      client.getWeekCandles('KRW-BTC'),
      client.getMonthCandles('KRW-BTC'),
    ];
    successOf(await settleWithClock(Promise.all(calls), clock));
    expect(fetch.calls.map((call) => call.url.href).sort()).toEqual(
      [
        'https://api.upbit.com/v1/market/all?isDetails=true',
        'https://api.upbit.com/v1/ticker?markets=KRW-BTC,KRW-ETH',
        'https://api.upbit.com/v1/ticker/all?quote_currencies=KRW,BTC',
        'https://api.upbit.com/v1/orderbook?markets=KRW-BTC&level=10000&count=15',
        'https://api.upbit.com/v1/trades/ticks?market=KRW-BTC&count=5&to=14%3A40%3A59&cursor=17732400590950000&days_ago=2',
        'https://api.upbit.com/v1/candles/minutes/240?market=KRW-BTC&to=2025-07-30T00%3A00%3A00Z&count=200',
        'https://api.upbit.com/v1/candles/days?market=KRW-BTC&count=2',
        'https://api.upbit.com/v1/candles/weeks?market=KRW-BTC',
        'https://api.upbit.com/v1/candles/months?market=KRW-BTC',
      ].sort(),
    );
  });

  it('refuses bad arguments before sending anything', async () => {
    harness = clientHarness(() => ({ body: '[]' }));
    const { client, fetch } = harness;
    await expect(client.getTickers(['krw-btc'])).rejects.toSatisfy(isInvalidMarketCodeError);
    await expect(client.getTickers([])).rejects.toMatchObject({ name: 'DataValidationError', path: 'markets' });
    await expect(client.getDayCandles('KRW-BTC', { count: 201 })).rejects.toMatchObject({ path: 'count' });
    await expect(client.getMinuteCandles(2 as 1, 'KRW-BTC')).rejects.toMatchObject({ path: 'unit' });
    await expect(client.getTrades('KRW-BTC', { cursor: '1e5' })).rejects.toMatchObject({ path: 'cursor' });
    expect(fetch.calls).toHaveLength(0);
  });

  it('reports every bad option in one ConfigError', () => {
    try {
      new UpbitRestClient({
        url: 'ftp://x',
        attemptTimeoutMs: 0,
        maxRetries: 1.5,
        maxBodyBytes: 0,
        rateLimit: { requestsPerWindow: 0, maxRateLimitPauseMs: 2 ** 31 },
      });
      expect.unreachable();
    } catch (error) {
      expect(isConfigError(error)).toBe(true);
      expect((error as { issues: { path: string }[] }).issues.map((issue) => issue.path)).toEqual([
        'url',
        'attemptTimeoutMs',
        'maxRetries',
        'maxBodyBytes',
        'rateLimit.requestsPerWindow',
        'rateLimit.maxRateLimitPauseMs',
      ]);
    }
  });
});
