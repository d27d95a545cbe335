import type { Candle, CandleInterval, Trade } from '@marketdata/domain';
import type { SimCandle } from '@marketdata/upbit-sim';
import { afterEach, describe, expect, it } from 'vitest';
import { settleWithClock, successOf } from './support/drive-clock.js';
import { type SimHarness, type SimHarnessOptions, startSimHarness } from './support/sim-harness.js';

// Candles and trades against the simulator, whose `control.candles(...)` is the truth its REST answers are cut
// from. The market is frozen before each fetch, so no trade moves a candle between the request and the truth.

let harness: SimHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

async function start(options: SimHarnessOptions = {}): Promise<SimHarness> {
  harness = await startSimHarness(options);
  return harness;
}

const settle = <T>(h: SimHarness, promise: Promise<T>) =>
  settleWithClock(promise, h.clock, { stepMs: 20, ioTurns: 3, maxSteps: 50_000 });
const requests = (h: SimHarness, group: string): number => h.sim.control.counters().requestsByGroup[group] ?? 0;

/** The fields a REST candle and a simulator candle share, in the domain's names. */
function fromRest(candle: Candle) {
  return {
    symbol: candle.symbol,
    unit: candle.interval.unit,
    size: candle.interval.size,
    openTime: candle.openTime,
    open: candle.open,
    high: candle.high,
    low: candle.low,
    close: candle.close,
    volume: candle.volume,
    turnover: candle.turnover,
    lastTradeTimestamp: candle.lastTradeTimestamp,
    exchangeTimestamp: candle.exchangeTimestamp,
    prevClose: candle.prevClose,
    changePrice: candle.changePrice,
    changeRate: candle.changeRate,
    firstDayOfPeriod: candle.firstDayOfPeriod,
  };
}

function fromSim(candle: SimCandle) {
  return {
    symbol: candle.code,
    unit: candle.unit,
    size: candle.size,
    openTime: candle.openTime,
    open: candle.open,
    high: candle.high,
    low: candle.low,
    close: candle.close,
    volume: candle.volume,
    turnover: candle.turnover,
    lastTradeTimestamp: candle.lastTradeTimestamp,
    exchangeTimestamp: candle.lastTradeTimestamp,
    prevClose: candle.prevClose,
    changePrice: candle.changePrice,
    changeRate: candle.changeRate,
    firstDayOfPeriod: candle.firstDayOfPeriod,
  };
}

/**
 * Where to start asking the simulator for its truth (it refuses ranges of over a million periods): seconds are kept
 * 6 hours, 2,000 minute periods cover every test here, the longer units go back to the start.
 */
function fromFor(interval: CandleInterval, to: number): number {
  if (interval.unit === 'seconds') return to - 6 * 3_600_000;
  if (interval.unit === 'minutes') return to - 2_000 * interval.size * 60_000;
  return 0;
}

function simCandles(h: SimHarness, code: string, interval: CandleInterval, to: number): readonly SimCandle[] {
  return h.sim.control.candles(code, interval, fromFor(interval, to), to);
}

/** The simulator's newest `count` candles before `to`, newest first. */
function truth(h: SimHarness, code: string, interval: CandleInterval, to: number, count: number) {
  return simCandles(h, code, interval, to)
    .slice(-count)
    .reverse()
    .map((candle) => fromSim(candle));
}

const EVERY_INTERVAL: readonly CandleInterval[] = [
  { unit: 'seconds', size: 1 },
  ...[1, 3, 5, 10, 15, 30, 60, 240].map((size) => ({ unit: 'minutes' as const, size })),
  { unit: 'days', size: 1 },
  { unit: 'weeks', size: 1 },
  { unit: 'months', size: 1 },
  { unit: 'years', size: 1 },
];

describe('REST candles against the simulator', () => {
  it('every unit and size equals the simulator candles field by field, with the per-unit fields', async () => {
    const h = await start();
    await h.clock.advanceAsync(120_000); // two minutes of the simulator's own trades (seconds candles)
    h.sim.control.freezeMarket('KRW-BTC', true);
    const to = h.clock.now();
    for (const interval of EVERY_INTERVAL) {
      const candles = successOf(await settle(h, h.source.getCandles('KRW-BTC', { interval, count: 3, to })));
      const expected = truth(h, 'KRW-BTC', interval, to, 3);
      expect(expected).toHaveLength(3);
      expect(candles.map(fromRest), `${interval.unit} ${interval.size}`).toEqual(expected);
      for (const candle of candles) expect(candle).toMatchObject({ source: 'rest', interval });
    }
    const [day] = successOf(await settle(h, h.source.getCandles('KRW-BTC', { interval: { unit: 'days', size: 1 } })));
    expect(day?.prevClose).toBeGreaterThan(0);
    expect(day?.changePrice).toBeCloseTo((day?.close ?? 0) - (day?.prevClose ?? 0), 6);
    expect(requests(h, 'candles')).toBe(EVERY_INTERVAL.length + 1);
    expect(h.sim.control.counters().sent429).toBe(0);
  });

  it('450 one-minute candles: three paced requests (200, 200, 50), equal to the simulator, no duplicate', async () => {
    const h = await start();
    h.sim.control.freezeMarket('KRW-BTC', true);
    const to = h.clock.now();
    const interval = { unit: 'minutes', size: 1 } as const;
    const candles = successOf(await settle(h, h.source.getCandles('KRW-BTC', { interval, count: 450, to })));
    expect(candles).toHaveLength(450);
    expect(candles.map(fromRest)).toEqual(truth(h, 'KRW-BTC', interval, to, 450));
    const openTimes = candles.map((candle) => candle.openTime);
    expect(new Set(openTimes).size).toBe(450);
    expect(openTimes.every((time, index) => index === 0 || time < (openTimes[index - 1] ?? 0))).toBe(true);
    expect(requests(h, 'candles')).toBe(3);
    expect(h.sim.control.counters().sent429).toBe(0);
  });

  it('stops when the simulator has no more: every seconds candle it has, in as many requests as it took', async () => {
    const h = await start();
    await h.clock.advanceAsync(300_000);
    h.sim.control.freezeMarket('KRW-XRP', true);
    const to = h.clock.now();
    const interval = { unit: 'seconds', size: 1 } as const;
    const all = simCandles(h, 'KRW-XRP', interval, to);
    expect(all.length).toBeGreaterThan(200); // more than one page
    expect(all.length).toBeLessThan(5_000);
    const candles = successOf(await settle(h, h.source.getCandles('KRW-XRP', { interval, count: 5_000, to })));
    expect(candles.map(fromRest)).toEqual(truth(h, 'KRW-XRP', interval, to, all.length));
    // Full pages of 200 until a short one: no request after Upbit said it has no more.
    expect(requests(h, 'candles')).toBe(Math.floor(all.length / 200) + 1);
  });

  it('years: fewer than asked, one request', async () => {
    const h = await start();
    h.sim.control.freezeMarket('KRW-BTC', true);
    const to = h.clock.now();
    const interval = { unit: 'years', size: 1 } as const;
    const candles = successOf(await settle(h, h.source.getCandles('KRW-BTC', { interval, count: 50, to })));
    const all = simCandles(h, 'KRW-BTC', interval, to);
    expect(all.length).toBeLessThan(50);
    expect(candles.map(fromRest)).toEqual(truth(h, 'KRW-BTC', interval, to, all.length));
    expect(candles[0]?.firstDayOfPeriod).toMatch(/^\d{4}-01-01$/);
    expect(requests(h, 'candles')).toBe(1);
  });
});

describe('REST trades against the simulator', () => {
  it('pages past Upbit’s 500 by cursor: every trade the simulator keeps, once, newest first', async () => {
    const urls: string[] = [];
    const h = await start({
      tamper: (body, url) => {
        urls.push(url);
        return body;
      },
    });
    await h.clock.advanceAsync(600_000); // well over 500 trades
    h.sim.control.freezeMarket('KRW-XRP', true);
    const trades = successOf(await settle(h, h.source.getTrades('KRW-XRP', { count: 1_200 })));
    // The simulator keeps the last 500 trades (what it can page through): a cursor page past them is empty.
    expect(trades).toHaveLength(500);
    expect(new Set(trades.map((trade) => trade.sequentialId)).size).toBe(500);
    expect(trades[0]?.sequentialId).toBe(h.sim.control.market('KRW-XRP')?.lastSequentialId);
    for (let i = 1; i < trades.length; i++) {
      expect(trades[i]?.tradeTimestamp).toBeLessThanOrEqual(trades[i - 1]?.tradeTimestamp ?? 0);
    }
    const tradeUrls = urls.map((url) => new URL(url)).filter((url) => url.pathname === '/v1/trades/ticks');
    expect(tradeUrls.map((url) => url.searchParams.get('count'))).toEqual(['500', '500']);
    expect(tradeUrls[1]?.searchParams.get('cursor')).toBe(trades.at(-1)?.sequentialId);
    expect(requests(h, 'crix-trades')).toBe(2);
  });

  it('cursor continues before a given trade; 499 more after the first 1 make the same 500', async () => {
    const h = await start();
    await h.clock.advanceAsync(600_000);
    h.sim.control.freezeMarket('KRW-XRP', true);
    const whole = successOf(await settle(h, h.source.getTrades('KRW-XRP', { count: 500 })));
    const [first] = successOf(await settle(h, h.source.getTrades('KRW-XRP', { count: 1 })));
    const rest = successOf(
      await settle(h, h.source.getTrades('KRW-XRP', { count: 499, cursor: first?.sequentialId ?? '' })),
    );
    expect([first, ...rest].map((trade) => trade?.sequentialId)).toEqual(whole.map((trade) => trade.sequentialId));
  });

  it('a trade below the previous close has a negative change_price, kept signed', async () => {
    const h = await start();
    h.sim.control.jumpPrice('KRW-BTC', 0.8);
    h.sim.control.freezeMarket('KRW-BTC', true);
    const [trade] = successOf(await settle(h, h.source.getTrades('KRW-BTC', { count: 1 })));
    const below = trade as Trade;
    expect(below.price).toBeLessThan(below.prevClose);
    expect(below.changePrice).toBeLessThan(0);
    expect(below.changePrice).toBeCloseTo(below.price - below.prevClose, 6);
    expect(below.change).toBeUndefined();
  });
});
