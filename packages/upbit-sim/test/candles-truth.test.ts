import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SimCandle } from '../src/index.js';
import { closeAll, type Harness, httpGet, startFakeSim, subscribe, WsProbe } from './helpers.js';

/**
 * The simulator's candles are the aggregate of its own trades: a client that collects every trade over the
 * WebSocket and aggregates it gets the candles REST serves and `control.candles` reports.
 */
let harness: Harness;
afterEach(closeAll);

interface Trade {
  readonly price: number;
  readonly volume: number;
  readonly ts: number;
}

interface Aggregate {
  readonly start: number;
  readonly open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  turnover: number;
  last: number;
}

function aggregate(trades: readonly Trade[], startOf: (ms: number) => number): Map<number, Aggregate> {
  const out = new Map<number, Aggregate>();
  for (const t of trades) {
    const start = startOf(t.ts);
    const a = out.get(start);
    if (a === undefined) {
      out.set(start, {
        start,
        open: t.price,
        high: t.price,
        low: t.price,
        close: t.price,
        volume: t.volume,
        turnover: t.price * t.volume,
        last: t.ts,
      });
      continue;
    }
    a.high = Math.max(a.high, t.price);
    a.low = Math.min(a.low, t.price);
    a.close = t.price;
    a.volume += t.volume;
    a.turnover += t.price * t.volume;
    a.last = t.ts;
  }
  return out;
}

function expectClose(actual: number, expected: number, what: string): void {
  expect(Math.abs(actual - expected), `${what}: ${actual} vs ${expected}`).toBeLessThanOrEqual(
    1e-8 + 1e-12 * Math.abs(expected),
  );
}

function expectMatches(candle: SimCandle, a: Aggregate | undefined, what: string): void {
  expect(a, `${what}: no trades aggregated`).toBeDefined();
  if (a === undefined) return;
  expect(
    [candle.openTime, candle.open, candle.high, candle.low, candle.close, candle.lastTradeTimestamp],
    what,
  ).toEqual([a.start, a.open, a.high, a.low, a.close, a.last]);
  expectClose(candle.volume, a.volume, `${what} volume`);
  expectClose(candle.turnover, a.turnover, `${what} turnover`);
}

/** Streams every trade of `code` while the clock runs `ms`, and returns them once the last one arrived. */
async function collectTrades(code: string, ms: number): Promise<Trade[]> {
  const probe = await WsProbe.connect(harness.sim.wsUrl);
  await subscribe(probe, [{ ticket: 't' }, { type: 'trade', codes: [code] }], 1);
  await harness.clock.advanceAsync(ms);
  const last = harness.sim.control.market(code)?.lastSequentialId;
  await vi.waitFor(
    () => {
      if (!probe.messages.at(-1)?.text.includes(`"sequential_id":${last}`)) throw new Error('last trade not in');
    },
    { timeout: 10_000, interval: 10 },
  );
  // Without the SNAPSHOT (a trade from before subscribing, repeated).
  return probe
    .json()
    .slice(1)
    .map((frame) => {
      const f = frame as { trade_price: number; trade_volume: number; trade_timestamp: number };
      return { price: f.trade_price, volume: f.trade_volume, ts: f.trade_timestamp };
    });
}

const floorTo = (size: number) => (ms: number) => Math.floor(ms / size) * size;

describe('candles = aggregate of the simulator trades', () => {
  it('seconds and minutes: REST candles and control.candles equal the streamed trades, field by field', async () => {
    harness = await startFakeSim({ markets: ['KRW-XRP'], rateLimits: false });
    const subscribedAt = harness.clock.now();
    const trades = await collectTrades('KRW-XRP', 180_000);
    expect(trades.length).toBeGreaterThan(1_000);
    const now = harness.clock.now();
    for (const [unit, size, length] of [
      ['seconds', 1, 1_000],
      ['minutes', 1, 60_000],
      ['minutes', 3, 180_000],
    ] as const) {
      // Periods fully covered by the stream: from the first whole period after subscribing.
      const from = floorTo(length)(subscribedAt) + length;
      const truth = harness.sim.control.candles('KRW-XRP', { unit, size }, from, now + 1);
      const expected = aggregate(
        trades.filter((t) => t.ts >= from),
        floorTo(length),
      );
      expect(
        truth.map((c) => c.openTime),
        `${unit}/${size}`,
      ).toEqual([...expected.keys()]);
      for (const candle of truth) expectMatches(candle, expected.get(candle.openTime), `${unit}/${size}`);
      // REST serves the same candles, newest first.
      const path = unit === 'seconds' ? 'seconds' : `minutes/${size}`;
      const rest = JSON.parse(
        (await httpGet(`${harness.sim.restUrl}/v1/candles/${path}?market=KRW-XRP&count=200`)).text,
      ) as Record<string, number | string>[];
      const byStart = new Map(truth.map((c) => [c.openTime, c]));
      let compared = 0;
      for (const row of rest) {
        const candle = byStart.get(Date.parse(`${String(row.candle_date_time_utc)}Z`));
        if (candle === undefined) continue;
        compared++;
        expect(row.opening_price).toBe(candle.open);
        expect(row.high_price).toBe(candle.high);
        expect(row.low_price).toBe(candle.low);
        expect(row.trade_price).toBe(candle.close);
        expect(row.timestamp).toBe(candle.lastTradeTimestamp);
        expect(row.candle_acc_trade_volume).toBe(candle.volume);
        expect(row.candle_acc_trade_price).toBe(candle.turnover);
        expect(row.candle_date_time_kst).toBe(candle.candleDateTimeKst);
      }
      expect(compared, `${unit}/${size}`).toBeGreaterThan(0);
    }
  });

  it('days, months and years across New Year: the 2026-01-01 candles are the trades since midnight', async () => {
    harness = await startFakeSim({ markets: ['KRW-XRP'], rateLimits: false }, Date.UTC(2025, 11, 31, 23, 58, 0));
    const trades = await collectTrades('KRW-XRP', 240_000);
    const midnight = Date.UTC(2026, 0, 1);
    const since = aggregate(
      trades.filter((t) => t.ts >= midnight),
      () => midnight,
    ).get(midnight);
    const now = harness.clock.now();
    for (const unit of ['days', 'months', 'years'] as const) {
      const [candle, ...more] = harness.sim.control.candles('KRW-XRP', { unit }, midnight, now + 1);
      expect(more).toEqual([]);
      expectMatches(candle as SimCandle, since, unit);
    }
    const [year] = harness.sim.control.candles('KRW-XRP', { unit: 'years' }, midnight, now + 1);
    expect(year?.firstDayOfPeriod).toBe('2026-01-01');
    const [day] = harness.sim.control.candles('KRW-XRP', { unit: 'days' }, midnight, now + 1);
    // The new day's previous close is the last trade of 2025.
    expect(day?.prevClose).toBe(trades.filter((t) => t.ts < midnight).at(-1)?.price);
    expect(day?.changePrice).toBeCloseTo((day?.close ?? 0) - (day?.prevClose ?? 0), 8);
    const rest = JSON.parse(
      (await httpGet(`${harness.sim.restUrl}/v1/candles/days?market=KRW-XRP&count=1`)).text,
    ) as Record<string, unknown>[];
    expect(rest[0]).toMatchObject({
      candle_date_time_utc: '2026-01-01T00:00:00',
      opening_price: day?.open,
      trade_price: day?.close,
      prev_closing_price: day?.prevClose,
      change_price: day?.changePrice,
      change_rate: day?.changeRate,
      candle_acc_trade_volume: day?.volume,
    });
  });

  it('weeks start on Monday: the week candle from Monday 00:00 UTC is the trades since', async () => {
    // 2026-03-08 is a Sunday.
    harness = await startFakeSim({ markets: ['KRW-XRP'], rateLimits: false }, Date.UTC(2026, 2, 8, 23, 59, 0));
    const trades = await collectTrades('KRW-XRP', 120_000);
    const monday = Date.UTC(2026, 2, 9);
    const expected = aggregate(
      trades.filter((t) => t.ts >= monday),
      () => monday,
    ).get(monday);
    const [week] = harness.sim.control.candles('KRW-XRP', { unit: 'weeks' }, monday, harness.clock.now() + 1);
    expectMatches(week as SimCandle, expected, 'week');
    expect(week?.firstDayOfPeriod).toBe('2026-03-09');
    const [previous] = harness.sim.control.candles('KRW-XRP', { unit: 'weeks' }, monday - 7 * 86_400_000, monday);
    expect(previous?.firstDayOfPeriod).toBe('2026-03-02');
  });

  it('control.candles refuses what it cannot answer with a ConfigError', async () => {
    harness = await startFakeSim();
    const { control } = harness.sim;
    expect(() => control.candles('KRW-NOPE', { unit: 'days' }, 0, 1)).toThrow(/Unknown simulator market/);
    expect(() => control.candles('KRW-BTC', { unit: 'minutes', size: 7 }, 0, 1)).toThrow(/minute candles/);
    expect(() => control.candles('KRW-BTC', { unit: 'days' }, Number.NaN, 1)).toThrow(/finite/);
    expect(() => control.candles('KRW-BTC', { unit: 'minutes', size: 1 }, 0, Date.UTC(2026, 0, 1))).toThrow(
      /over 1000000/,
    );
    expect(control.candles('KRW-BTC', { unit: 'days' }, 10, 5)).toEqual([]);
  });
});
