import { type Candle, isDataValidationError, isInvalidMarketCodeError, TimeoutError } from '@marketdata/domain';
import { FakeClock } from '@marketdata/domain/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { createRestBudgets } from '../../src/rest/http/rest-budgets.js';
import { createUpbitRestSource, type UpbitRestSource, type UpbitRestSourceOptions } from '../../src/rest/index.js';
import { errorOf, settleWithClock, successOf } from './support/drive-clock.js';
import { type FakeHandler, fakeUpbitFetch } from './support/fake-upbit-fetch.js';

// Paging rules against a scripted Upbit: what is asked of each page, seams, stop conditions, the caller's signal.

let source: UpbitRestSource | undefined;
afterEach(async () => {
  await source?.close();
  source = undefined;
});

function setup(handler: FakeHandler, options: UpbitRestSourceOptions = {}) {
  const clock = new FakeClock({ now: Date.UTC(2026, 2, 11, 15) });
  const fetch = fakeUpbitFetch(handler, clock);
  source = createUpbitRestSource({ fetch, clock, maxRetries: 0, budgets: createRestBudgets(), ...options });
  return { source, fetch, clock };
}

const BASE_ID = 17_732_400_590_950_000n;

/** `n` trades of KRW-BTC, newest first, ids counting down (as Upbit's `sequential_id` beyond 2^53). */
function tradeTape(n: number): string[] {
  return Array.from({ length: n }, (_, index) => {
    const id = (BASE_ID - BigInt(index) * 10n).toString();
    const at = 1_773_240_059_095 - index * 100;
    return `{"market":"KRW-BTC","trade_date_utc":"2026-03-11","trade_time_utc":"14:40:59","timestamp":${at},"trade_price":103460000.0,"trade_volume":0.004,"prev_closing_price":102417000.0,"change_price":-1043000.0,"ask_bid":"ASK","sequential_id":${id}}`;
  });
}

/** Upbit's `/v1/trades/ticks` over a tape: `count`, `cursor` (strictly before that trade, or from it if `inclusive`). */
function tradesHandler(tape: readonly string[], inclusive = false): FakeHandler {
  const ids = tape.map((text) => /"sequential_id":(\d+)/.exec(text)?.[1] ?? '');
  return (url) => {
    const count = Number(url.searchParams.get('count') ?? '1');
    const cursor = url.searchParams.get('cursor');
    let start = 0;
    if (cursor !== null) start = ids.indexOf(cursor) + (inclusive ? 0 : 1);
    return { body: `[${tape.slice(start, start + count).join(',')}]` };
  };
}

const MINUTE = 60_000;
const NEWEST = Date.UTC(2026, 3, 11, 14, 40);

function candleText(openTime: number): string {
  const utc = new Date(openTime).toISOString().slice(0, 19);
  return `{"market":"KRW-BTC","candle_date_time_utc":"${utc}","candle_date_time_kst":"${utc}","opening_price":1.0,"high_price":2.0,"low_price":0.5,"trade_price":1.5,"timestamp":${openTime + 59_000},"candle_acc_trade_price":3.0,"candle_acc_trade_volume":2.0,"unit":1}`;
}

/** Minute candles, newest first, one every minute except the ones `skip` says had no trade. */
function minuteCandles(n: number, skip: (index: number) => boolean = () => false): number[] {
  const times: number[] = [];
  for (let index = 0; times.length < n; index++) if (!skip(index)) times.push(NEWEST - index * MINUTE);
  return times;
}

/** Upbit's `/v1/candles/minutes/1`: newest first before `to` (exclusive, or inclusive to test the seam). */
function candlesHandler(times: readonly number[], inclusive = false): FakeHandler {
  return (url) => {
    const count = Number(url.searchParams.get('count') ?? '1');
    const toText = url.searchParams.get('to');
    const to = toText === null ? Number.POSITIVE_INFINITY : Date.parse(toText);
    const page = times.filter((time) => (inclusive ? time <= to : time < to)).slice(0, count);
    return { body: `[${page.map(candleText).join(',')}]` };
  };
}

const ONE_MINUTE = { unit: 'minutes', size: 1 } as const;
const openTimes = (candles: readonly Candle[]) => candles.map((candle) => candle.openTime);

describe('getCandles paging', () => {
  it('asks 200, 200, 50 walking `to` back to the oldest open time; the result is the newest 450 once each', async () => {
    const times = minuteCandles(1_000, (index) => index % 7 === 3); // periods without trades have no candle
    const { source, fetch, clock } = setup(candlesHandler(times));
    const candles = successOf(
      await settleWithClock(source.getCandles('KRW-BTC', { interval: ONE_MINUTE, count: 450 }), clock),
    );
    expect(openTimes(candles)).toEqual(times.slice(0, 450));
    expect(fetch.calls.map((call) => call.url.searchParams.get('count'))).toEqual(['200', '200', '50']);
    expect(fetch.calls[0]?.url.searchParams.get('to')).toBeNull();
    expect(fetch.calls[1]?.url.searchParams.get('to')).toBe(`${new Date(times[199] ?? 0).toISOString().slice(0, 19)}Z`);
    expect(fetch.calls[2]?.url.searchParams.get('to')).toBe(`${new Date(times[399] ?? 0).toISOString().slice(0, 19)}Z`);
  });

  it('an Upbit that treated `to` as inclusive would repeat the seam candle: it is not repeated', async () => {
    const times = minuteCandles(600);
    const { source, fetch, clock } = setup(candlesHandler(times, true));
    const candles = successOf(
      await settleWithClock(source.getCandles('KRW-BTC', { interval: ONE_MINUTE, count: 450 }), clock),
    );
    expect(openTimes(candles)).toEqual(times.slice(0, 450));
    // The second page repeats the seam candle (dropped); from then on each page asks one more: still 3 requests.
    expect(fetch.calls.map((call) => call.url.searchParams.get('count'))).toEqual(['200', '200', '52']);
  });

  it('stops at a short page (no more history) and at a page that brings nothing new', async () => {
    const short = setup(candlesHandler(minuteCandles(230)));
    const all = successOf(
      await settleWithClock(short.source.getCandles('KRW-BTC', { interval: ONE_MINUTE, count: 1_000 }), short.clock),
    );
    expect(all).toHaveLength(230);
    expect(short.fetch.calls.map((call) => call.url.searchParams.get('count'))).toEqual(['200', '200']);
    await source?.close();

    // An answer that ignores `to` and sends the same page again must not loop.
    const stuck = setup(() => ({ body: `[${minuteCandles(200).map(candleText).join(',')}]` }));
    const once = successOf(
      await settleWithClock(stuck.source.getCandles('KRW-BTC', { interval: ONE_MINUTE, count: 1_000 }), stuck.clock),
    );
    expect(once).toHaveLength(200);
    expect(stuck.fetch.calls).toHaveLength(2);
  });

  it('without count: one request with Upbit’s default, the answer as given', async () => {
    const { source, fetch, clock } = setup(candlesHandler(minuteCandles(5)));
    const candles = successOf(await settleWithClock(source.getCandles('KRW-BTC', { interval: ONE_MINUTE }), clock));
    expect(candles).toHaveLength(1);
    expect(fetch.calls).toHaveLength(1);
    expect(fetch.calls[0]?.url.searchParams.has('count')).toBe(false);
  });

  it('drops candles at or after a `to` inside a second (Upbit is asked with the second rounded up)', async () => {
    const secondTimes = Array.from({ length: 10 }, (_, index) => NEWEST - index * 1_000);
    const handler: FakeHandler = (url) => {
      const to = Date.parse(url.searchParams.get('to') ?? '');
      const page = secondTimes.filter((time) => time < to).slice(0, Number(url.searchParams.get('count')));
      return { body: `[${page.map((time) => candleText(time).replace(',"unit":1', '')).join(',')}]` };
    };
    const { source, clock } = setup(handler);
    const to = (secondTimes[2] ?? 0) - 1; // just before the third candle: the third is not wanted, nor the two after
    const candles = successOf(
      await settleWithClock(
        source.getCandles('KRW-BTC', { interval: { unit: 'seconds', size: 1 }, count: 3, to }),
        clock,
      ),
    );
    expect(openTimes(candles)).toEqual(secondTimes.slice(3, 6));
  });

  it('the caller’s signal ends the paging: the call rejects with its reason, no page after it', async () => {
    const times = minuteCandles(1_000);
    const { source, fetch, clock } = setup((url, index) => ({ ...candlesHandler(times)(url, index), delayMs: 100 }));
    const caller = new AbortController();
    const call = source.getCandles('KRW-BTC', { interval: ONE_MINUTE, count: 1_000, signal: caller.signal });
    clock.setTimeout(() => caller.abort(new TimeoutError('caller deadline', { timeoutMs: 250 })), 250);
    const error = errorOf(await settleWithClock(call, clock));
    expect(error).toBeInstanceOf(TimeoutError);
    const sent = fetch.calls.length;
    expect(sent).toBeLessThanOrEqual(3);
    await clock.advanceAsync(5_000);
    expect(fetch.calls).toHaveLength(sent);
  });

  it('refuses bad arguments before any request, with typed errors naming the argument', async () => {
    const { source, fetch } = setup(candlesHandler(minuteCandles(5)), { maxCandlesPerCall: 1_000 });
    const cases: [Promise<unknown>, string][] = [
      [source.getCandles('KRW-BTC', { interval: ONE_MINUTE, count: 1_001 }), 'count'],
      [source.getCandles('KRW-BTC', { interval: ONE_MINUTE, count: 0 }), 'count'],
      [source.getCandles('KRW-BTC', { interval: ONE_MINUTE, count: 2.5 }), 'count'],
      [source.getCandles('KRW-BTC', { interval: ONE_MINUTE, count: 5, to: Number.NaN }), 'to'],
      [source.getCandles('KRW-BTC', { interval: { unit: 'seconds', size: 5 } }), 'interval.size'],
      [source.getCandles('KRW-BTC', { interval: { unit: 'hours' as 'days', size: 1 } }), 'interval.unit'],
    ];
    for (const [call, path] of cases) {
      const error = await call.then(
        () => undefined,
        (reason: unknown) => reason,
      );
      expect(isDataValidationError(error), path).toBe(true);
      expect(error).toMatchObject({ path });
    }
    const bad = await source.getCandles('krw-btc', { interval: ONE_MINUTE }).catch((reason: unknown) => reason);
    expect(isInvalidMarketCodeError(bad)).toBe(true);
    expect(fetch.calls).toHaveLength(0);
  });

  it('an answer for another market or another minute size is refused', async () => {
    const other = setup(() => ({ body: `[${candleText(NEWEST).replace('KRW-BTC', 'KRW-ETH')}]` }));
    const wrongMarket = errorOf(
      await settleWithClock(other.source.getCandles('KRW-BTC', { interval: ONE_MINUTE }), other.clock),
    );
    expect(wrongMarket).toMatchObject({ name: 'DataValidationError', path: '$.market' });
    await source?.close();
    const size = setup(() => ({ body: `[${candleText(NEWEST)}]` }));
    const wrongSize = errorOf(
      await settleWithClock(size.source.getCandles('KRW-BTC', { interval: { unit: 'minutes', size: 5 } }), size.clock),
    );
    expect(wrongSize).toMatchObject({ name: 'DataValidationError', path: '$.unit' });
  });
});

describe('getTrades paging', () => {
  it('asks 500, 500, 200 continuing by the cursor of each page’s last trade: 1,200 distinct trades, newest first', async () => {
    const tape = tradeTape(1_234);
    const { source, fetch, clock } = setup(tradesHandler(tape));
    const trades = successOf(await settleWithClock(source.getTrades('KRW-BTC', { count: 1_200 }), clock));
    expect(trades).toHaveLength(1_200);
    expect(trades.map((trade) => trade.sequentialId)).toEqual(
      Array.from({ length: 1_200 }, (_, index) => (BASE_ID - BigInt(index) * 10n).toString()),
    );
    expect(fetch.calls.map((call) => call.url.searchParams.get('count'))).toEqual(['500', '500', '200']);
    expect(fetch.calls.map((call) => call.url.searchParams.get('cursor'))).toEqual([
      null,
      trades[499]?.sequentialId,
      trades[999]?.sequentialId,
    ]);
    expect(trades[0]?.changePrice).toBe(-1043000);
  });

  it('a page repeating the cursor trade does not repeat it; a short page ends the paging', async () => {
    const tape = tradeTape(700);
    const { source, fetch, clock } = setup(tradesHandler(tape, true));
    const trades = successOf(await settleWithClock(source.getTrades('KRW-BTC', { count: 2_000 }), clock));
    expect(trades).toHaveLength(700);
    expect(new Set(trades.map((trade) => trade.sequentialId)).size).toBe(700);
    expect(fetch.calls).toHaveLength(2);
  });

  it('cursor, to and daysAgo go to Upbit on every page; bad ones are refused before any request', async () => {
    const { source, fetch, clock } = setup(tradesHandler(tradeTape(900)));
    const cursor = (BASE_ID - 10n).toString();
    successOf(
      await settleWithClock(source.getTrades('KRW-BTC', { count: 600, cursor, to: '14:40:59', daysAgo: 2 }), clock),
    );
    expect(fetch.calls).toHaveLength(2);
    for (const call of fetch.calls) {
      expect(call.url.searchParams.get('to')).toBe('14:40:59');
      expect(call.url.searchParams.get('days_ago')).toBe('2');
    }
    expect(fetch.calls[0]?.url.searchParams.get('cursor')).toBe(cursor);
    const before = fetch.calls.length;
    for (const [query, path] of [
      [{ to: '25:00:00' }, 'to'],
      [{ to: '1440' }, 'to'],
      [{ daysAgo: 8 }, 'daysAgo'],
      [{ daysAgo: 0 }, 'daysAgo'],
      [{ cursor: '12a' }, 'cursor'],
      [{ count: 10_001 }, 'count'],
    ] as const) {
      const error = await source.getTrades('KRW-BTC', query).catch((reason: unknown) => reason);
      expect(error, path).toMatchObject({ name: 'DataValidationError', path });
    }
    expect(fetch.calls).toHaveLength(before);
  });
});
