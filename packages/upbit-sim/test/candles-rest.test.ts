import { fixtureText } from '@marketdata/fixtures';
import { afterEach, describe, expect, it } from 'vitest';
import { closeAll, FIXTURE_TIME, type Harness, httpGet, startFakeSim } from './helpers.js';
import { compareSpelling, shapeOf } from './json-shape.js';

let harness: Harness;
afterEach(closeAll);

type Row = Record<string, unknown>;

async function get(path: string): Promise<{ status: number; rows: Row[]; text: string; group: unknown }> {
  const reply = await httpGet(`${harness.sim.restUrl}${path}`);
  const rows = reply.status === 200 ? (JSON.parse(reply.text) as Row[]) : [];
  return { status: reply.status, rows, text: reply.text, group: reply.headers['remaining-req'] };
}

const BASE_KEYS = [
  'market',
  'candle_date_time_utc',
  'candle_date_time_kst',
  'opening_price',
  'high_price',
  'low_price',
  'trade_price',
  'timestamp',
  'candle_acc_trade_price',
  'candle_acc_trade_volume',
];

const ENDPOINTS: readonly [path: string, extra: readonly string[]][] = [
  ['/v1/candles/seconds', []],
  ...[1, 3, 5, 10, 15, 30, 60, 240].map((unit): [string, string[]] => [`/v1/candles/minutes/${unit}`, ['unit']]),
  ['/v1/candles/days', ['prev_closing_price', 'change_price', 'change_rate']],
  ['/v1/candles/weeks', ['first_day_of_period']],
  ['/v1/candles/months', ['first_day_of_period']],
  ['/v1/candles/years', ['first_day_of_period']],
];

const utcOf = (row: Row): number => Date.parse(`${String(row.candle_date_time_utc)}Z`);

describe('REST candles of every unit', () => {
  it('each endpoint: the unit fields in order, newest first, the candles rate group', async () => {
    harness = await startFakeSim({ rateLimits: false });
    await harness.clock.advanceAsync(30_000);
    for (const [path, extra] of ENDPOINTS) {
      const reply = await get(`${path}?market=KRW-BTC&count=3`);
      expect(reply.status, path).toBe(200);
      expect(reply.rows.length, path).toBeGreaterThanOrEqual(1);
      for (const row of reply.rows) expect(Object.keys(row), path).toEqual([...BASE_KEYS, ...extra]);
      const starts = reply.rows.map(utcOf);
      expect(starts, path).toEqual([...starts].sort((a, b) => b - a));
      // Every candle's KST time is its UTC time plus nine hours.
      for (const row of reply.rows) {
        expect(Date.parse(`${String(row.candle_date_time_kst)}Z`) - utcOf(row), path).toBe(9 * 3_600_000);
      }
    }
    const minutes = await get('/v1/candles/minutes/60?market=KRW-BTC');
    expect(minutes.rows[0]?.unit).toBe(60);
    const weeks = await get('/v1/candles/weeks?market=KRW-BTC&count=3');
    expect(weeks.rows.map((row) => row.first_day_of_period)).toEqual(['2026-03-09', '2026-03-02', '2026-02-23']);
    expect(weeks.rows.map((row) => row.candle_date_time_utc)).toEqual([
      '2026-03-09T00:00:00',
      '2026-03-02T00:00:00',
      '2026-02-23T00:00:00',
    ]);
    const months = await get('/v1/candles/months?market=KRW-BTC&count=2');
    expect(months.rows.map((row) => row.first_day_of_period)).toEqual(['2026-03-01', '2026-02-01']);
    const years = await get('/v1/candles/years?market=KRW-BTC&count=5');
    expect(years.rows.map((row) => row.candle_date_time_kst)).toEqual([
      '2026-01-01T09:00:00',
      '2025-01-01T09:00:00',
      '2024-01-01T09:00:00',
    ]);
  });

  it('every candle endpoint counts against the one candles group', async () => {
    harness = await startFakeSim();
    const seen: unknown[] = [];
    for (const [path] of ENDPOINTS.slice(0, 10)) seen.push((await get(`${path}?market=KRW-BTC`)).group);
    expect(seen).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1, 0].map((sec) => `group=candles; min=600; sec=${sec}`));
    const refused = await httpGet(`${harness.sim.restUrl}/v1/candles/years?market=KRW-BTC`);
    expect(refused.status).toBe(429);
  });

  it('week, month and year candles aggregate their day candles', async () => {
    harness = await startFakeSim({ rateLimits: false });
    await harness.clock.advanceAsync(5_000);
    const days = (await get('/v1/candles/days?market=KRW-ETH&count=200')).rows;
    for (const [unit, startOf] of [
      ['weeks', (ms: number) => ms - ((new Date(ms).getUTCDay() + 6) % 7) * 86_400_000],
      ['months', (ms: number) => Date.UTC(new Date(ms).getUTCFullYear(), new Date(ms).getUTCMonth(), 1)],
    ] as const) {
      const periods = (await get(`/v1/candles/${unit}?market=KRW-ETH&count=4`)).rows;
      // The oldest period may reach past the 200 days fetched; the three newest are covered.
      for (const period of periods.slice(0, 3)) {
        const members = days.filter((day) => startOf(utcOf(day)) === utcOf(period)).reverse();
        expect(members.length, `${unit} ${String(period.candle_date_time_utc)}`).toBeGreaterThan(0);
        expect(period.opening_price).toBe(members[0]?.opening_price);
        expect(period.trade_price).toBe(members.at(-1)?.trade_price);
        expect(period.timestamp).toBe(members.at(-1)?.timestamp);
        expect(period.high_price).toBe(Math.max(...members.map((d) => d.high_price as number)));
        expect(period.low_price).toBe(Math.min(...members.map((d) => d.low_price as number)));
        const volume = members.reduce((sum, d) => sum + (d.candle_acc_trade_volume as number), 0);
        expect(period.candle_acc_trade_volume as number).toBeCloseTo(volume, 6);
      }
    }
  });

  it('`to` is exclusive for every unit, with a UTC or a KST time', async () => {
    harness = await startFakeSim({ rateLimits: false });
    await harness.clock.advanceAsync(90_000);
    for (const [path] of ENDPOINTS) {
      const all = (await get(`${path}?market=KRW-BTC&count=4`)).rows;
      if (all.length < 3) continue;
      const second = all[1] as Row;
      const to = String(second.candle_date_time_utc);
      const before = (await get(`${path}?market=KRW-BTC&count=2&to=${to}Z`)).rows;
      expect(before.map(utcOf), path).toEqual(all.slice(2, 4).map(utcOf));
      const kst = encodeURIComponent(`${String(second.candle_date_time_kst)}+09:00`);
      expect((await get(`${path}?market=KRW-BTC&count=2&to=${kst}`)).rows.map(utcOf), path).toEqual(before.map(utcOf));
    }
  });

  it('count: default 1, at most 200 (a larger count answers 200, as users report), below 1 gives 1', async () => {
    harness = await startFakeSim({ rateLimits: false });
    await harness.clock.advanceAsync(400_000);
    expect((await get('/v1/candles/seconds?market=KRW-XRP')).rows).toHaveLength(1);
    expect((await get('/v1/candles/seconds?market=KRW-XRP&count=200')).rows).toHaveLength(200);
    expect((await get('/v1/candles/seconds?market=KRW-XRP&count=201')).rows).toHaveLength(200);
    expect((await get('/v1/candles/minutes/1?market=KRW-XRP&count=100000')).rows).toHaveLength(200);
    expect((await get('/v1/candles/days?market=KRW-XRP&count=0')).rows).toHaveLength(1);
    expect((await get('/v1/candles/days?market=KRW-XRP&count=abc')).status).toBe(400);
  });

  it('seconds: only the last three months; an older `to` gives an empty list', async () => {
    harness = await startFakeSim({ rateLimits: false });
    await harness.clock.advanceAsync(10_000);
    const recent = (await get('/v1/candles/seconds?market=KRW-BTC&count=5')).rows;
    expect(recent).toHaveLength(5);
    // Seconds candles exist from the simulator's first recorded trade: none from a day ago.
    expect((await get('/v1/candles/seconds?market=KRW-BTC&to=2026-03-10T00:00:00Z')).text).toBe('[]');
    expect((await get('/v1/candles/seconds?market=KRW-BTC&to=2025-12-01T00:00:00Z')).text).toBe('[]');
    // Three months on, the same second candles are out of the window.
    const first = String(recent.at(-1)?.candle_date_time_utc);
    await harness.clock.advanceAsync(1_000);
    harness.clock.jumpWall(92 * 86_400_000);
    const later = `/v1/candles/seconds?market=KRW-BTC&count=5&to=${first}Z`;
    expect((await get(later)).text).toBe('[]');
  });

  it('a candle only for a period with a trade: a frozen market has no new minute candles', async () => {
    harness = await startFakeSim({ rateLimits: false });
    harness.sim.control.freezeMarket('KRW-BTC', true);
    const before = (await get('/v1/candles/minutes/1?market=KRW-BTC&count=200')).rows.map(utcOf);
    await harness.clock.advanceAsync(5 * 60_000);
    const after = (await get('/v1/candles/minutes/1?market=KRW-BTC&count=200')).rows.map(utcOf);
    expect(after).toEqual(before);
    expect(Math.max(...after)).toBeLessThan(Math.floor(FIXTURE_TIME / 60_000) * 60_000 + 60_000);
  });

  it('day candles convert the close to KRW with converting_price_unit=KRW (other units are refused)', async () => {
    harness = await startFakeSim({ rateLimits: false });
    await harness.clock.advanceAsync(2_000);
    const krw = (await get('/v1/candles/days?market=KRW-ETH&count=2&converting_price_unit=KRW')).rows;
    for (const row of krw) {
      expect(Object.keys(row).at(-1)).toBe('converted_trade_price');
      expect(row.converted_trade_price).toBe(row.trade_price);
    }
    const btcEth = (await get('/v1/candles/days?market=BTC-ETH&count=1&convertingPriceUnit=KRW')).rows[0] as Row;
    const btcKrw = (await get('/v1/candles/days?market=KRW-BTC&count=1')).rows[0] as Row;
    expect(btcEth.converted_trade_price as number).toBeCloseTo(
      (btcEth.trade_price as number) * (btcKrw.trade_price as number),
      4,
    );
    expect((await get('/v1/candles/days?market=KRW-ETH')).rows[0]).not.toHaveProperty('converted_trade_price');
    expect((await get('/v1/candles/days?market=KRW-ETH&converting_price_unit=USD')).status).toBe(400);
  });

  it('bad requests: unknown unit 400, unknown market 404, bad `to` 400, missing market 400', async () => {
    harness = await startFakeSim({ rateLimits: false });
    const invalid = fixtureText('rest-error-400-invalid-parameter-level.json').trim();
    expect((await get('/v1/candles/minutes/2?market=KRW-BTC')).text).toBe(invalid);
    expect((await get('/v1/candles/minutes/7?market=KRW-BTC')).status).toBe(400);
    expect((await get('/v1/candles/seconds?market=KRW-NOPE')).status).toBe(404);
    for (const to of ['last-week', '2026-02-30T00:00:00Z', '2026-03-10T24:00:00Z', '2026-03-10T10:61:00', '0']) {
      expect((await get(`/v1/candles/weeks?market=KRW-BTC&to=${to}`)).status, to).toBe(400);
    }
    expect((await get('/v1/candles/days?market=krw-btc')).status).toBe(404);
    expect((await get('/v1/candles/days?market=KRW-BTC&count=-5')).rows).toHaveLength(1);
    expect((await get('/v1/candles/days?market=KRW-BTC&count=1e3')).status).toBe(400);
    expect((await get('/v1/candles/years')).status).toBe(400);
    expect((await get('/v1/candles/hours?market=KRW-BTC')).status).toBe(404);
  });
});

describe('REST candle conformance (fixtures)', () => {
  it('seconds, weeks, months, years: the recorded common fields spelled as the byte-exact day capture', async () => {
    harness = await startFakeSim({ rateLimits: false });
    await harness.clock.advanceAsync(5_000);
    const exact = { shape: shapeOf(fixtureText('rest-candles-days-krw-btc-count2.json')), spelling: 'exact' as const };
    for (const unit of ['seconds', 'weeks', 'months', 'years']) {
      const text = (await get(`/v1/candles/${unit}?market=KRW-BTC&count=3`)).text;
      expect(compareSpelling(shapeOf(text), [exact]), unit).toEqual([]);
    }
  });
});
