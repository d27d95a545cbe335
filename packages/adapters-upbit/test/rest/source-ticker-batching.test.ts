import { createSeededRandom, isTimeoutError, isUnknownSymbolError, type MarketCode } from '@marketdata/domain';
import { FakeClock, MemoryLogger } from '@marketdata/domain/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { createRestBudgets } from '../../src/rest/http/rest-budgets.js';
import { createUpbitRestSource, type UpbitRestSource, type UpbitRestSourceOptions } from '../../src/rest/index.js';
import { callerDeadline, errorOf, ioTurn, settleWithClock, successOf } from './support/drive-clock.js';
import { type FakeHandler, fakeUpbitFetch, remainingReq } from './support/fake-upbit-fetch.js';
import { recordedKrwTickers, recordedMarketListBody, recordedTickerEndpoint } from './support/fixture-market.js';

const SYMBOLS = recordedKrwTickers.slice(0, 50).map((row) => row.market as MarketCode);

let source: UpbitRestSource | undefined;
let clock: FakeClock;
afterEach(async () => {
  await source?.close();
  expect(clock.pendingTimerCount()).toBe(0);
  source = undefined;
});

function setup(handler: FakeHandler, options: UpbitRestSourceOptions = {}) {
  clock = new FakeClock();
  const fetch = fakeUpbitFetch(handler, clock);
  const logger = new MemoryLogger();
  const budgets = createRestBudgets();
  source = createUpbitRestSource({ fetch, clock, logger, random: createSeededRandom(3), budgets, ...options });
  return { source, fetch, logger };
}

/** Lets I/O and promise callbacks run without moving the fake clock. */
async function ioTurns(count = 5): Promise<void> {
  for (let turn = 0; turn < count; turn++) await ioTurn();
}

describe('getTicker batching: one step, leading edge', () => {
  it('merges 200 concurrent calls over 50 symbols into one /v1/ticker request', async () => {
    const { source, fetch } = setup(recordedTickerEndpoint());
    const startedAt = clock.now();
    const calls = Array.from({ length: 200 }, (_, index) => source.getTicker(SYMBOLS[index % 50] as MarketCode));
    const tickers = successOf(await settleWithClock(Promise.all(calls), clock, { stepMs: 1 }));
    expect(fetch.calls).toHaveLength(1);
    expect(fetch.calls[0]?.url.searchParams.get('markets')?.split(',')).toEqual(SYMBOLS);
    tickers.forEach((ticker, index) => {
      const row = recordedKrwTickers[index % 50];
      expect(ticker.symbol).toBe(row?.market);
      expect(ticker.price).toBe(row?.trade_price);
      expect(ticker.exchangeTimestamp).toBe(row?.timestamp);
      expect(ticker.receivedAt).toBeGreaterThanOrEqual(startedAt);
      expect(ticker.receivedAt).toBeLessThanOrEqual(clock.now());
      expect(ticker.receivedAtMonotonic).toBe(clock.monotonic());
      expect(ticker.latencyMs).toBeGreaterThanOrEqual(0);
    });
  });

  it("a sequential caller's request is sent and answered without any timer having to fire", async () => {
    const { source, fetch } = setup(recordedTickerEndpoint());
    for (const symbol of SYMBOLS.slice(0, 3)) {
      let answer: unknown;
      void source.getTicker(symbol).then((ticker) => {
        answer = ticker;
      });
      await ioTurns();
      expect(answer).toMatchObject({ symbol, source: 'rest' });
    }
    expect(fetch.calls.map((call) => call.at)).toEqual([0, 0, 0]);
    expect(clock.monotonic()).toBe(0);
  });

  it('symbols asked while a request is out go together in the next request, sent when that one settles', async () => {
    const endpoint = recordedTickerEndpoint();
    const { source, fetch } = setup((url, index) => ({ ...endpoint(url, index), delayMs: 50 }));
    const first = source.getTicker(SYMBOLS[0] as MarketCode);
    await ioTurns();
    expect(fetch.calls).toHaveLength(1);
    await clock.advanceAsync(10);
    const later = [SYMBOLS[1], SYMBOLS[2], SYMBOLS[1]].map((symbol) => source.getTicker(symbol as MarketCode));
    await ioTurns();
    expect(fetch.calls).toHaveLength(1); // they wait for the request that is out
    successOf(await settleWithClock(Promise.all([first, ...later]), clock, { stepMs: 1 }));
    expect(fetch.calls).toHaveLength(2);
    expect(fetch.calls[1]?.at).toBe(50);
    expect(fetch.calls[1]?.url.searchParams.get('markets')).toBe(`${SYMBOLS[1]},${SYMBOLS[2]}`);
  });

  it('nothing is sent for waiting symbols whose callers all left before the request out settled', async () => {
    const endpoint = recordedTickerEndpoint();
    const { source, fetch } = setup((url, index) => ({ ...endpoint(url, index), delayMs: 50 }));
    const first = source.getTicker(SYMBOLS[0] as MarketCode);
    await ioTurns();
    const controller = new AbortController();
    const leaving = source.getTicker(SYMBOLS[1] as MarketCode, { signal: controller.signal });
    const reason = new Error('left');
    controller.abort(reason);
    await expect(leaving).rejects.toBe(reason);
    successOf(await settleWithClock(first, clock, { stepMs: 1 }));
    await settleWithClock(new Promise((resolve) => clock.setTimeout(() => resolve(undefined), 3000)), clock);
    expect(fetch.calls).toHaveLength(1);
  });

  it('splits a batch whose URL would be too long', async () => {
    const { source, fetch } = setup(recordedTickerEndpoint(), { maxUrlLength: 200 });
    const calls = SYMBOLS.map((symbol) => source.getTicker(symbol));
    successOf(await settleWithClock(Promise.all(calls), clock, { stepMs: 1 }));
    expect(fetch.calls.length).toBeGreaterThan(1);
    for (const call of fetch.calls) expect(call.url.href.length).toBeLessThanOrEqual(200);
    const asked = fetch.calls.flatMap((call) => call.url.searchParams.get('markets')?.split(',') ?? []);
    expect(asked.sort()).toEqual([...SYMBOLS].sort());
  });

  it('without a market list, bisects a batch Upbit 404s: known symbols answered, only the unknown one fails', async () => {
    // This fake answers /v1/market/all with Upbit's unrouted 404, so the list cannot be had: bisection is the fallback.
    const { source, fetch, logger } = setup(recordedTickerEndpoint());
    const unknown = 'KRW-NOPE' as MarketCode;
    const symbols = [...SYMBOLS.slice(0, 20), unknown, ...SYMBOLS.slice(20, 31)];
    const results = successOf(await settleWithClock(source.getTickers(symbols), clock, { stepMs: 1 }));
    for (const result of results) {
      if (result.symbol === unknown) {
        expect(result.ok).toBe(false);
        if (!result.ok) {
          expect(isUnknownSymbolError(result.error)).toBe(true);
          expect(result.error).toMatchObject({ symbol: unknown, upstreamName: 404, upstreamMessage: 'Code not found' });
        }
      } else {
        expect(result.ok).toBe(true);
      }
    }
    const tickerCalls = fetch.calls.filter((call) => call.url.pathname === '/v1/ticker');
    expect(fetch.calls.filter((call) => call.url.pathname === '/v1/market/all')).toHaveLength(1);
    expect(logger.find('warn', 'market list')).toHaveLength(1);
    // Bisection: at most 2 requests per level of a 32-symbol batch, plus the first.
    expect(tickerCalls.length).toBeLessThanOrEqual(1 + 2 * Math.ceil(Math.log2(symbols.length)));
    // The unknown market is remembered: asking again fails without a request.
    const before = fetch.calls.length;
    const again = errorOf(await settleWithClock(source.getTicker(unknown), clock, { stepMs: 1 }));
    expect(isUnknownSymbolError(again)).toBe(true);
    expect(fetch.calls).toHaveLength(before);
  });

  it('with the market list, unlisted codes fail at once and the batch is asked again for the listed ones', async () => {
    const tickers = recordedTickerEndpoint();
    const { source, fetch } = setup((url, index) =>
      url.pathname === '/v1/market/all'
        ? { body: recordedMarketListBody(), headers: remainingReq('market', 9) }
        : tickers(url, index),
    );
    const unknown = ['KRW-NOPE1', 'KRW-NOPE2', 'KRW-NOPE3'] as MarketCode[];
    const symbols = [...SYMBOLS.slice(0, 10), ...unknown, ...SYMBOLS.slice(10, 20)];
    const results = successOf(await settleWithClock(source.getTickers(symbols), clock, { stepMs: 1 }));
    expect(results.filter((result) => result.ok).map((result) => result.symbol)).toEqual(SYMBOLS.slice(0, 20));
    for (const result of results.filter((candidate) => !candidate.ok)) {
      expect(result.ok ? undefined : result.error).toMatchObject({
        name: 'UnknownSymbolError',
        symbol: result.symbol,
        status: 404,
        upstreamName: 404,
        upstreamMessage: 'Code not found',
      });
    }
    expect(fetch.calls.map((call) => call.url.pathname)).toEqual(['/v1/ticker', '/v1/market/all', '/v1/ticker']);
    expect(fetch.calls[2]?.url.searchParams.get('markets')?.split(',')).toEqual(SYMBOLS.slice(0, 20));
  });

  it('a code the list has but Upbit still 404s (the list is behind) is isolated by bisection', async () => {
    const tickers = recordedTickerEndpoint();
    const { source, fetch } = setup((url, index) =>
      url.pathname === '/v1/market/all'
        ? { body: recordedMarketListBody(['KRW-GONE']), headers: remainingReq('market', 9) }
        : tickers(url, index),
    );
    const symbols = [...SYMBOLS.slice(0, 7), 'KRW-GONE', 'KRW-NOPE', ...SYMBOLS.slice(7, 14)] as MarketCode[];
    const results = successOf(await settleWithClock(source.getTickers(symbols), clock, { stepMs: 1 }));
    expect(
      results.filter((result) => !result.ok).map((result) => [result.symbol, result.ok || result.error.name]),
    ).toEqual([
      ['KRW-GONE', 'UnknownSymbolError'],
      ['KRW-NOPE', 'UnknownSymbolError'],
    ]);
    expect(fetch.calls.filter((call) => call.url.pathname === '/v1/market/all')).toHaveLength(1);
    const tickerCalls = fetch.calls.filter((call) => call.url.pathname === '/v1/ticker').length;
    // The first 404, the re-ask with listed codes, then bisection of the 15 listed ones.
    expect(tickerCalls).toBeLessThanOrEqual(2 + 2 * Math.ceil(Math.log2(15)));
  });

  it('a market list that failed to load is not asked for again on every 404 for a while', async () => {
    const { source, fetch } = setup(recordedTickerEndpoint()); // /v1/market/all answers the unrouted 404
    const listRequests = () => fetch.calls.filter((call) => call.url.pathname === '/v1/market/all').length;
    successOf(await settleWithClock(source.getTickers([SYMBOLS[0], 'KRW-NOPE1'] as MarketCode[]), clock));
    successOf(await settleWithClock(source.getTickers([SYMBOLS[1], 'KRW-NOPE2'] as MarketCode[]), clock));
    expect(listRequests()).toBe(1);
    await settleWithClock(new Promise((resolve) => clock.setTimeout(() => resolve(undefined), 10_000)), clock);
    successOf(await settleWithClock(source.getTickers([SYMBOLS[2], 'KRW-NOPE3'] as MarketCode[]), clock));
    expect(listRequests()).toBe(2);
  });

  it('a 200 that leaves a requested market out gives UnknownSymbolError for it', async () => {
    const known = recordedTickerEndpoint();
    const { source } = setup((url, index) => {
      const markets = (url.searchParams.get('markets') ?? '').split(',').filter((market) => market !== 'KRW-GONE');
      const reply = known(new URL(`${url.origin}${url.pathname}?markets=${markets.join(',')}`), index);
      return { ...reply, headers: remainingReq('ticker', 9) };
    });
    const results = successOf(
      await settleWithClock(source.getTickers([SYMBOLS[0] as MarketCode, 'KRW-GONE' as MarketCode]), clock),
    );
    expect(results.map((result) => result.ok)).toEqual([true, false]);
  });

  it('a symbol already in flight joins that request', async () => {
    const { source, fetch } = setup((url) => ({ ...recordedTickerEndpoint()(url, 0), delayMs: 50 }));
    const first = source.getTicker(SYMBOLS[0] as MarketCode);
    await clock.advanceAsync(1); // the batch is sent and Upbit takes 50 ms to answer
    expect(fetch.calls).toHaveLength(1);
    const second = source.getTicker(SYMBOLS[0] as MarketCode);
    successOf(await settleWithClock(Promise.all([first, second]), clock, { stepMs: 1 }));
    expect(fetch.calls).toHaveLength(1);
  });

  it('a caller deadline ends only that caller', async () => {
    const { source } = setup(() => ({ hang: true }), { attemptTimeoutMs: 5000 });
    const deadline = callerDeadline(clock, 100);
    const short = source.getTicker(SYMBOLS[0] as MarketCode, { signal: deadline.signal });
    const long = source.getTicker(SYMBOLS[0] as MarketCode);
    const error = errorOf(await settleWithClock(short, clock));
    expect(error).toBe(deadline.signal.reason);
    expect(error).toMatchObject({ name: 'TimeoutError', timeoutMs: 100 });
    await source.close();
    expect(errorOf(await settleWithClock(long, clock))).toMatchObject({ name: 'ClosedError' });
  });

  it('a caller that leaves takes its queued batch with it: the request never goes out', async () => {
    const { source, fetch } = setup(recordedTickerEndpoint(), { rateLimit: { requestsPerWindow: 1 } });
    successOf(await settleWithClock(source.getTicker(SYMBOLS[0] as MarketCode), clock, { stepMs: 1 }));
    // The group's one slot is spent for a window: this batch waits in the pacer's queue, then its caller leaves.
    const deadline = callerDeadline(clock, 200);
    const late = source.getTicker(SYMBOLS[1] as MarketCode, { signal: deadline.signal });
    expect(errorOf(await settleWithClock(late, clock, { stepMs: 5 }))).toMatchObject({ name: 'TimeoutError' });
    expect(source.client.pacer('ticker').queueLength()).toBe(0);
    await settleWithClock(new Promise((resolve) => clock.setTimeout(() => resolve(undefined), 3000)), clock);
    expect(fetch.calls).toHaveLength(1);
  });

  it('a caller that times out mid-bisection stops it: no request is made for it after it has its error', async () => {
    const { source, fetch } = setup(recordedTickerEndpoint());
    // 16 unknown codes spread over 64 make bisection need far more requests than 10/s allows in 1.5 s.
    const symbols = SYMBOLS.slice(0, 48).flatMap((symbol, index) =>
      index % 3 === 0 ? [symbol, `KRW-NOPE${index}` as MarketCode] : [symbol],
    );
    const deadline = callerDeadline(clock, 1500);
    const error = errorOf(
      await settleWithClock(source.getTickers(symbols, { signal: deadline.signal }), clock, { stepMs: 5 }),
    );
    expect(isTimeoutError(error)).toBe(true);
    expect(error).toBe(deadline.signal.reason); // the caller's deadline, the moment it hit
    const sentBeforeAnswer = fetch.calls.length;
    expect(sentBeforeAnswer).toBeGreaterThan(10); // it was paced: the deadline hit mid-bisection
    await settleWithClock(new Promise((resolve) => clock.setTimeout(() => resolve(undefined), 10_000)), clock);
    expect(fetch.calls).toHaveLength(sentBeforeAnswer);
    expect(source.client.pacer('ticker').queueLength()).toBe(0);
  });

  it('refuses a lower-case code at once', async () => {
    const { source, fetch } = setup(recordedTickerEndpoint());
    await expect(source.getTicker('krw-btc' as MarketCode)).rejects.toMatchObject({ name: 'InvalidMarketCodeError' });
    expect(fetch.calls).toHaveLength(0);
  });
});
