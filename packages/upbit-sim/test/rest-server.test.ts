import { afterEach, describe, expect, it } from 'vitest';
import { closeAll, type Harness, httpGet, startFakeSim, subscribe, WsProbe } from './helpers.js';

let harness: Harness;
afterEach(closeAll);

async function get(path: string, headers: Record<string, string> = {}) {
  return httpGet(`${harness.sim.restUrl}${path}`, headers);
}

function rows<T = Record<string, unknown>>(text: string): T[] {
  return JSON.parse(text) as T[];
}

describe('REST endpoints', () => {
  it('sends the real headers: JSON content type, Remaining-Req with the group, limit-by-ip', async () => {
    harness = await startFakeSim();
    const groups: [string, string][] = [
      ['/v1/market/all', 'market'],
      ['/v1/ticker?markets=KRW-BTC', 'ticker'],
      ['/v1/ticker/all?quote_currencies=KRW', 'ticker'],
      ['/v1/orderbook?markets=KRW-BTC', 'orderbook'],
      ['/v1/orderbook/instruments?markets=KRW-BTC', 'orderbook'],
      ['/v1/trades/ticks?market=KRW-BTC', 'crix-trades'],
      ['/v1/candles/minutes/5?market=KRW-BTC', 'candles'],
      ['/v1/candles/days?market=KRW-BTC', 'candles'],
    ];
    for (const [path, group] of groups) {
      const reply = await get(path);
      expect(reply.status, path).toBe(200);
      expect(reply.headers['content-type']).toBe('application/json;charset=UTF-8');
      expect(reply.headers['remaining-req']).toMatch(new RegExp(`^group=${group}; min=600; sec=\\d$`));
      expect(reply.headers['limit-by-ip']).toBe('Yes');
      expect(reply.headers['cache-control']).toBe('no-cache, no-store, max-age=0, must-revalidate');
      expect(new Date(reply.headers.date ?? '').getTime()).toBe(Math.floor(harness.clock.now() / 1000) * 1000);
    }
  });

  it('an unknown route is 404 not_found without Remaining-Req; so is a POST', async () => {
    harness = await startFakeSim();
    for (const reply of [await get('/v1/nope'), await get('/v2/ticker?markets=KRW-BTC')]) {
      expect(reply.status).toBe(404);
      expect(JSON.parse(reply.text)).toEqual({
        error: { name: 'not_found', message: 'no Route matched with those values' },
      });
      expect(reply.headers['remaining-req']).toBeUndefined();
    }
  });

  it('any unknown or lower-case code fails the whole request with 404 Code not found', async () => {
    harness = await startFakeSim();
    for (const path of [
      '/v1/ticker?markets=KRW-NOPE',
      '/v1/ticker?markets=KRW-BTC,KRW-NOPE',
      '/v1/ticker?markets=krw-btc',
      '/v1/orderbook?markets=KRW-BTC,KRW-NOPE',
      '/v1/trades/ticks?market=KRW-NOPE',
      '/v1/candles/days?market=KRW-NOPE',
      '/v1/candles/minutes/1?market=KRW-DOGE',
    ]) {
      const reply = await get(path);
      expect(reply.status, path).toBe(404);
      expect(reply.text).toBe('{"error":{"name":404,"message":"Code not found"}}');
      expect(reply.headers['remaining-req']).toBeDefined();
    }
  });

  it('missing and mistyped parameters answer 400 with the recorded bodies', async () => {
    harness = await startFakeSim();
    const missing =
      '{"error":{"name":400,"message":"Missing request parameter error. Check the required parameters!"}}';
    const mismatch = '{"error":{"name":400,"message":"Type mismatch error. Check the parameters type!"}}';
    const expectations: [string, string][] = [
      ['/v1/ticker', missing],
      ['/v1/ticker?markets=', missing],
      ['/v1/ticker/all', missing],
      ['/v1/orderbook', missing],
      ['/v1/trades/ticks', missing],
      ['/v1/candles/days', missing],
      ['/v1/orderbook?markets=KRW-BTC&count=abc', mismatch],
      ['/v1/trades/ticks?market=KRW-BTC&count=1.5', mismatch],
      ['/v1/candles/minutes/1?market=KRW-BTC&count=x', mismatch],
      ['/v1/trades/ticks?market=KRW-BTC&cursor=abc', mismatch],
    ];
    for (const [path, body] of expectations) {
      const reply = await get(path);
      expect(reply.status, path).toBe(400);
      expect(reply.text, path).toBe(body);
    }
    expect((await get('/v1/candles/minutes/2?market=KRW-BTC')).status).toBe(400);
    expect((await get('/v1/candles/days?market=KRW-BTC&to=yesterday')).status).toBe(400);
  });

  it('ticker answers in request order and carries trade and server timestamps', async () => {
    harness = await startFakeSim();
    await harness.clock.advanceAsync(2_000);
    const tickers = rows<{ market: string; trade_timestamp: number; timestamp: number }>(
      (await get('/v1/ticker?markets=KRW-ETH,KRW-BTC')).text,
    );
    expect(tickers.map((t) => t.market)).toEqual(['KRW-ETH', 'KRW-BTC']);
    for (const t of tickers) {
      expect(t.timestamp).toBeGreaterThanOrEqual(t.trade_timestamp);
      expect(t.timestamp).toBeLessThanOrEqual(harness.clock.now());
    }
  });

  it('orderbook: count narrows the units (up to 30), level groups KRW books and is refused when unsupported', async () => {
    harness = await startFakeSim();
    const five = rows<{ orderbook_units: unknown[] }>((await get('/v1/orderbook?markets=KRW-BTC&count=5')).text);
    expect(five[0]?.orderbook_units).toHaveLength(5);
    const many = rows<{ orderbook_units: unknown[] }>((await get('/v1/orderbook?markets=KRW-BTC&count=50')).text);
    expect(many[0]?.orderbook_units).toHaveLength(30);
    const grouped = rows<{ level: number; orderbook_units: { ask_price: number; bid_price: number }[] }>(
      (await get('/v1/orderbook?markets=KRW-BTC&level=100000')).text,
    );
    expect(grouped[0]?.level).toBe(100000);
    for (const unit of grouped[0]?.orderbook_units ?? []) {
      expect(unit.ask_price % 100000).toBe(0);
      expect(unit.bid_price % 100000).toBe(0);
    }
    expect((await get('/v1/orderbook?markets=KRW-BTC&level=12345')).status).toBe(400);
    // A level on a BTC market: 200 and [] (observed).
    const btc = await get('/v1/orderbook?markets=BTC-ETH&level=100');
    expect(btc.status).toBe(200);
    expect(btc.text).toBe('[]');
  });

  it('orderbook: asks ascend and bids descend from the best quotes, never crossed', async () => {
    harness = await startFakeSim();
    await harness.clock.advanceAsync(1_000);
    const [book] = rows<{
      orderbook_units: { ask_price: number; bid_price: number; ask_size: number; bid_size: number }[];
    }>((await get('/v1/orderbook?markets=KRW-BTC')).text);
    const units = book?.orderbook_units ?? [];
    for (let i = 1; i < units.length; i++) {
      expect(units[i]?.ask_price).toBeGreaterThan(units[i - 1]?.ask_price ?? 0);
      expect(units[i]?.bid_price).toBeLessThan(units[i - 1]?.bid_price ?? 0);
    }
    expect(units[0]?.ask_price).toBeGreaterThan(units[0]?.bid_price ?? Number.POSITIVE_INFINITY);
  });

  it('trades/ticks: newest first, count, cursor pages back by sequential_id', async () => {
    harness = await startFakeSim();
    await harness.clock.advanceAsync(3_000);
    const text = (await get('/v1/trades/ticks?market=KRW-BTC&count=10')).text;
    const ids = [...text.matchAll(/"sequential_id":(\d+)/g)].map((m) => BigInt(m[1] as string));
    expect(ids).toHaveLength(10);
    for (let i = 1; i < ids.length; i++) expect((ids[i] as bigint) < (ids[i - 1] as bigint)).toBe(true);
    const cursor = ids[4] as bigint;
    const page = (await get(`/v1/trades/ticks?market=KRW-BTC&count=3&cursor=${cursor}`)).text;
    const pageIds = [...page.matchAll(/"sequential_id":(\d+)/g)].map((m) => BigInt(m[1] as string));
    expect(pageIds).toEqual(ids.slice(5, 8));
  });

  it('trades/ticks: change_price is signed (as in 2026 traffic), unlike the WebSocket trade and the ticker', async () => {
    harness = await startFakeSim();
    const probe = await WsProbe.connect(harness.sim.wsUrl);
    await subscribe(probe, [{ ticket: 't' }, { type: 'trade', codes: ['KRW-USDE'] }], 1);
    harness.sim.control.jumpPrice('KRW-USDE', 0.8);
    await probe.waitForCount(2);
    const text = (await get('/v1/trades/ticks?market=KRW-USDE&count=1')).text;
    const [trade] = rows<Record<string, number>>(text);
    const diff = (trade?.trade_price ?? 0) - (trade?.prev_closing_price ?? 0);
    expect(diff).toBeLessThan(0);
    expect(trade?.change_price).toBe(diff);
    expect(text).toMatch(/"change_price":-\d+\.\d{8},/);
    const ws = JSON.parse(probe.messages[1]?.text ?? '{}') as Record<string, unknown>;
    expect(ws.change).toBe('FALL');
    expect(ws.change_price).toBe(-diff);
    const [ticker] = rows<Record<string, number>>((await get('/v1/ticker?markets=KRW-USDE')).text);
    expect(ticker?.change_price).toBe(-diff);
    expect(ticker?.signed_change_price).toBe(diff);
    harness.sim.control.jumpPrice('KRW-USDE', 2);
    const [up] = rows<Record<string, number>>((await get('/v1/trades/ticks?market=KRW-USDE&count=1')).text);
    expect(up?.change_price).toBe((up?.trade_price ?? 0) - (up?.prev_closing_price ?? 0));
    expect(up?.change_price).toBeGreaterThan(0);
  });

  it('candles: newest first, `to` is exclusive, count up to 200', async () => {
    harness = await startFakeSim();
    await harness.clock.advanceAsync(120_000);
    const all = rows<{ candle_date_time_utc: string }>(
      (await get('/v1/candles/minutes/1?market=KRW-BTC&count=5')).text,
    );
    expect(all).toHaveLength(5);
    const times = all.map((c) => Date.parse(`${c.candle_date_time_utc}Z`));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    const to = new Date(times[1] as number).toISOString().slice(0, 19);
    const before = rows<{ candle_date_time_utc: string }>(
      (await get(`/v1/candles/minutes/1?market=KRW-BTC&count=2&to=${to}`)).text,
    );
    expect(before.map((c) => c.candle_date_time_utc)).toEqual(all.slice(2, 4).map((c) => c.candle_date_time_utc));
    // A KST `to` (URL-encoded, as in the docs' capture): 2026-03-10T00:00+09:00 is 2026-03-09T15:00Z, so the day
    // starting 2026-03-09T00:00Z is the newest before it (the capture shows the same for 2025-07-30).
    const kst = await get('/v1/candles/days?market=KRW-BTC&to=2026-03-10T00%3A00%3A00%2B09%3A00&count=2');
    expect(rows<{ candle_date_time_utc: string }>(kst.text).map((c) => c.candle_date_time_utc)).toEqual([
      '2026-03-09T00:00:00',
      '2026-03-08T00:00:00',
    ]);
    expect(rows((await get('/v1/candles/minutes/1?market=KRW-BTC&count=500')).text)).toHaveLength(200);
  });

  it('the day candle of today is the ticker of today', async () => {
    harness = await startFakeSim();
    await harness.clock.advanceAsync(5_000);
    const [day] = rows<Record<string, number>>((await get('/v1/candles/days?market=KRW-BTC')).text);
    const [ticker] = rows<Record<string, number>>((await get('/v1/ticker?markets=KRW-BTC')).text);
    expect(day?.opening_price).toBe(ticker?.opening_price);
    expect(day?.high_price).toBe(ticker?.high_price);
    expect(day?.low_price).toBe(ticker?.low_price);
    expect(day?.trade_price).toBe(ticker?.trade_price);
    expect(day?.prev_closing_price).toBe(ticker?.prev_closing_price);
    expect(day?.candle_acc_trade_volume).toBeCloseTo(ticker?.acc_trade_volume ?? 0, 6);
  });

  it('market/all lists the universe; isDetails adds market_event', async () => {
    harness = await startFakeSim();
    const plain = rows<{ market: string }>((await get('/v1/market/all')).text);
    expect(plain.map((m) => m.market).sort()).toEqual(harness.sim.control.marketCodes().slice().sort());
    const details = rows<{ market_event?: unknown }>((await get('/v1/market/all?isDetails=true')).text);
    expect(details.every((m) => m.market_event !== undefined)).toBe(true);
    const snake = rows<{ market_event?: unknown }>((await get('/v1/market/all?is_details=true')).text);
    expect(snake.every((m) => m.market_event !== undefined)).toBe(true);
  });
});
