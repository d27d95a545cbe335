import { fixtureJson } from '@marketdata/fixtures';
import { afterEach, describe, expect, it } from 'vitest';
import { tickSize } from '../src/model/tick-size.js';
import { closeAll, FIXTURE_TIME, httpGet, objectOf, startFakeSim, subscribe, WsProbe } from './helpers.js';

afterEach(closeAll);

type Row = Record<string, number | string>;

async function restTicker(restUrl: string, code: string): Promise<{ row: Row; text: string }> {
  const text = (await httpGet(`${restUrl}/v1/ticker?markets=${code}`)).text;
  return { row: (JSON.parse(text) as Row[])[0] as Row, text };
}

function onGrid(code: string, price: number): boolean {
  const tick = tickSize(code, price);
  const steps = price / tick;
  return Math.abs(steps - Math.round(steps)) < 1e-6;
}

describe('tick sizes', () => {
  it('every current price in the recorded KRW ticker lies on the tick grid', () => {
    const rows = fixtureJson('rest-ticker-all-quote-krw.json') as Row[];
    let checked = 0;
    for (const row of rows) {
      for (const key of ['trade_price', 'opening_price', 'high_price', 'low_price', 'prev_closing_price']) {
        const price = row[key] as number;
        expect(onGrid(row.market as string, price), `${row.market} ${key} ${price}`).toBe(true);
        checked++;
      }
    }
    expect(checked).toBe(rows.length * 5);
  });

  it('follows the documented steps (KRW bands, USDT/KRW 0.5, BTC market, USDT market)', () => {
    expect(tickSize('KRW-BTC', 103_458_000)).toBe(1000);
    expect(tickSize('KRW-ETH', 3_025_000)).toBe(1000);
    expect(tickSize('KRW-X', 750_000)).toBe(500);
    expect(tickSize('KRW-X', 127_000)).toBe(100);
    expect(tickSize('KRW-X', 70_000)).toBe(50);
    expect(tickSize('KRW-X', 22_680)).toBe(10);
    expect(tickSize('KRW-X', 7_000)).toBe(5);
    expect(tickSize('KRW-XRP', 2045)).toBe(1);
    expect(tickSize('KRW-USDT', 1463)).toBe(0.5);
    expect(tickSize('KRW-X', 58.3)).toBe(0.1);
    expect(tickSize('KRW-X', 0.00854)).toBe(0.00001);
    expect(tickSize('BTC-ETH', 0.0292)).toBe(0.00000001);
    expect(tickSize('USDT-BTC', 70_716)).toBe(0.01);
    expect(tickSize('USDT-XRP', 1.39)).toBe(0.001);
  });
});

describe('market model (fake clock)', () => {
  it('every simulated trade price is on its market tick grid', async () => {
    const { sim, clock } = await startFakeSim();
    const probe = await WsProbe.connect(sim.wsUrl);
    const codes = sim.control.marketCodes();
    await subscribe(probe, [{ ticket: 't' }, { type: 'trade', codes }], codes.length);
    await clock.advanceAsync(60_000);
    await probe.waitForCount(500);
    const seen = new Set<string>();
    for (const frame of probe.json().map(objectOf)) {
      seen.add(frame.code as string);
      expect(onGrid(frame.code as string, frame.trade_price as number), `${frame.code} ${frame.trade_price}`).toBe(
        true,
      );
    }
    expect(seen.size).toBe(codes.length);
  });

  it('has hot markets (tens of trades/s) and quiet ones (minutes between trades)', async () => {
    const { sim, clock } = await startFakeSim();
    const xrp = sim.control.market('KRW-XRP');
    const quiet = sim.control.market('KRW-USDE');
    expect(xrp?.tradesPerSecond).toBeGreaterThanOrEqual(10);
    expect(quiet?.tradesPerSecond).toBeLessThan(1 / 60);
    await clock.advanceAsync(60_000);
    const hotTrades = (sim.control.market('KRW-XRP')?.lastTradeSeq ?? 0) - (xrp?.lastTradeSeq ?? 0);
    const quietTrades = (sim.control.market('KRW-USDE')?.lastTradeSeq ?? 0) - (quiet?.lastTradeSeq ?? 0);
    expect(hotTrades).toBeGreaterThan(60 * 20);
    expect(quietTrades).toBeLessThan(5);
    expect(sim.control.counters().tradesSimulated).toBeGreaterThan(hotTrades);
  });

  it('tradeRateScale multiplies the trade rates', async () => {
    const base = await startFakeSim();
    const scaled = await startFakeSim({ tradeRateScale: 3 });
    expect(scaled.sim.control.market('KRW-BTC')?.tradesPerSecond).toBeCloseTo(
      3 * (base.sim.control.market('KRW-BTC')?.tradesPerSecond ?? 0),
      9,
    );
  });

  it('is deterministic: same seed and time give the same market; another seed differs', async () => {
    const a = await startFakeSim({ seed: 7 });
    const b = await startFakeSim({ seed: 7 });
    const c = await startFakeSim({ seed: 8 });
    for (const h of [a, b, c]) await h.clock.advanceAsync(20_000);
    const texts = await Promise.all([a, b, c].map(async (h) => (await restTicker(h.sim.restUrl, 'KRW-BTC')).text));
    expect(texts[0]).toBe(texts[1]);
    expect(texts[2]).not.toBe(texts[0]);
    const books = await Promise.all(
      [a, b].map(async (h) => (await httpGet(`${h.sim.restUrl}/v1/orderbook?markets=KRW-ETH`)).text),
    );
    expect(books[0]).toBe(books[1]);
  });

  it('starts from the recorded prices and keeps the daily figures consistent', async () => {
    const { sim } = await startFakeSim();
    const { row } = await restTicker(sim.restUrl, 'KRW-BTC');
    expect(row.prev_closing_price).toBe(102_417_000);
    expect(row.opening_price).toBe(102_417_000);
    expect(row.trade_price).toBe(103_458_000);
    expect(row.acc_trade_volume as number).toBeLessThanOrEqual(row.acc_trade_volume_24h as number);
    expect(row.signed_change_price).toBe((row.trade_price as number) - (row.prev_closing_price as number));
  });

  it('24h and daily figures grow by exactly the traded volume', async () => {
    // Start on a minute boundary so no 24h bucket expires during the check.
    const start = Math.floor(FIXTURE_TIME / 60_000) * 60_000 + 1_000;
    const { sim, clock } = await startFakeSim({}, start);
    const before = (await restTicker(sim.restUrl, 'KRW-XRP')).row;
    const seqBefore = sim.control.market('KRW-XRP')?.lastTradeSeq ?? 0;
    await clock.advanceAsync(5_000);
    const after = (await restTicker(sim.restUrl, 'KRW-XRP')).row;
    const trades = sim.control.market('KRW-XRP')?.lastTradeSeq ?? 0;
    const count = trades - seqBefore;
    expect(count).toBeGreaterThan(50);
    const recent = JSON.parse((await httpGet(`${sim.restUrl}/v1/trades/ticks?market=KRW-XRP&count=${count}`)).text) as {
      trade_volume: number;
      trade_price: number;
    }[];
    const volume = recent.reduce((sum, t) => sum + t.trade_volume, 0);
    const turnover = recent.reduce((sum, t) => sum + t.trade_volume * t.trade_price, 0);
    expect((after.acc_trade_volume as number) - (before.acc_trade_volume as number)).toBeCloseTo(volume, 5);
    expect((after.acc_trade_volume_24h as number) - (before.acc_trade_volume_24h as number)).toBeCloseTo(volume, 5);
    expect((after.acc_trade_price_24h as number) - (before.acc_trade_price_24h as number)).toBeCloseTo(turnover, 0);
  });

  it('rolls the day over at 00:00 UTC: previous close, opening price and daily totals reset', async () => {
    const start = Date.UTC(2026, 2, 11, 23, 59, 0);
    const { sim, clock } = await startFakeSim({}, start);
    await clock.advanceAsync(55_000);
    sim.control.freezeMarket('KRW-BTC', true);
    const lastOfDay = sim.control.market('KRW-BTC')?.tradePrice;
    await clock.advanceAsync(10_000);
    // After midnight, before the day's first trade.
    const quiet = await restTicker(sim.restUrl, 'KRW-BTC');
    expect(quiet.row.prev_closing_price).toBe(lastOfDay);
    expect(quiet.row.opening_price).toBe(lastOfDay);
    expect(quiet.row.change).toBe('EVEN');
    expect(quiet.text).toContain('"acc_trade_volume":0E-8');
    expect(quiet.text).toContain('"change_price":0,"change_rate":0,"signed_change_price":0,"signed_change_rate":0');
    expect(quiet.row.acc_trade_volume_24h as number).toBeGreaterThan(0);
    // Yesterday's day candle is the finished day.
    const days = JSON.parse((await httpGet(`${sim.restUrl}/v1/candles/days?market=KRW-BTC&count=2`)).text) as Row[];
    expect(days.map((d) => d.candle_date_time_utc)).toEqual(['2026-03-11T00:00:00', '2026-03-10T00:00:00']);
    expect(days[0]?.trade_price).toBe(lastOfDay);
    sim.control.freezeMarket('KRW-BTC', false);
    await clock.advanceAsync(2_000);
    const traded = (await restTicker(sim.restUrl, 'KRW-BTC')).row;
    expect(traded.trade_date).toBe('20260312');
    expect(traded.acc_trade_volume as number).toBeGreaterThan(0);
    const firstTrade = JSON.parse((await httpGet(`${sim.restUrl}/v1/trades/ticks?market=KRW-BTC&count=500`)).text) as {
      trade_date_utc: string;
      trade_price: number;
    }[];
    const todays = firstTrade.filter((t) => t.trade_date_utc === '2026-03-12');
    expect(traded.opening_price).toBe(todays.at(-1)?.trade_price);
    const today = JSON.parse((await httpGet(`${sim.restUrl}/v1/candles/days?market=KRW-BTC&count=1`)).text) as Row[];
    expect(today[0]?.candle_date_time_utc).toBe('2026-03-12T00:00:00');
    expect(today[0]?.prev_closing_price).toBe(lastOfDay);
  });

  it('24h figures expire: a market with no trades for a day has 0E-8 over 24h', async () => {
    const { sim, clock } = await startFakeSim({ markets: ['KRW-USDE'] });
    sim.control.freezeMarket('KRW-USDE', true);
    await clock.advanceAsync(24 * 3_600_000 + 60_000);
    const { row, text } = await restTicker(sim.restUrl, 'KRW-USDE');
    expect(row.acc_trade_volume_24h).toBe(0);
    expect(text).toContain('"acc_trade_volume_24h":0E-8');
  });

  it('live minute candles agree with the ticker', async () => {
    const { sim, clock } = await startFakeSim();
    await clock.advanceAsync(90_000);
    const [candle] = JSON.parse((await httpGet(`${sim.restUrl}/v1/candles/minutes/1?market=KRW-XRP`)).text) as Row[];
    const { row } = await restTicker(sim.restUrl, 'KRW-XRP');
    expect(candle?.trade_price).toBe(row.trade_price);
    expect(candle?.timestamp).toBe(row.trade_timestamp);
    expect(candle?.high_price as number).toBeLessThanOrEqual(row.high_price as number);
    expect(candle?.low_price as number).toBeGreaterThanOrEqual(row.low_price as number);
  });

  it('rejects an unknown market in the options with a ConfigError', async () => {
    await expect(startFakeSim({ markets: ['KRW-NOPE'] })).rejects.toMatchObject({ code: 'CONFIG' });
  });
});
