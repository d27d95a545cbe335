import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIRST_SCREEN_CANDLES, PROTOCOL_VERSION, type WireCandle } from '../../src/protocol/messages.js';
import { type ChartHarness, startHarness } from '../support/chart-harness.js';
import { TabClient } from '../support/tab-client.js';

// The chart server on the simulator (Upbit's limits on), talked to by plain WebSocket tabs.

/** The simulator's own candles (its truth) in the page's shape, for the times of `candles`. */
function truth(harness: ChartHarness, code: string, candles: readonly WireCandle[], minutes = 1): WireCandle[] {
  const first = candles[0]?.time ?? 0;
  const last = candles[candles.length - 1]?.time ?? 0;
  return harness.sim.control
    .candles(code, { unit: 'minutes', size: minutes }, first, last + 1)
    .map(({ openTime, open, high, low, close, volume }) => ({ time: openTime, open, high, low, close, volume }));
}

function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers }, (response) => {
      let body = '';
      response.on('data', (chunk) => {
        body += chunk;
      });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('chart server on the simulator', () => {
  let harness: ChartHarness;

  beforeAll(async () => {
    harness = await startHarness({ markets: ['KRW-BTC', 'KRW-ETH', 'KRW-XRP'] });
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('greets a tab with the market list and answers a selection with the first screen, equal to the REST truth', async () => {
    const tab = await TabClient.open(harness.url);
    try {
      const hello = await tab.waitFor('hello');
      expect(hello.version).toBe(PROTOCOL_VERSION);
      expect(hello.mode).toBe('sim');
      expect(hello.defaultSymbol).toBe('KRW-BTC');
      expect(hello.markets.map((market) => market.symbol).sort()).toEqual(['KRW-BTC', 'KRW-ETH', 'KRW-XRP']);
      expect(hello.markets.find((market) => market.symbol === 'KRW-BTC')).toMatchObject({
        koreanName: '비트코인',
        englishName: 'Bitcoin',
      });

      tab.send({ t: 'select', selection: 1, symbol: 'KRW-BTC', interval: '1m' });
      const history = await tab.waitFor('history');
      expect(history).toMatchObject({ selection: 1, symbol: 'KRW-BTC', interval: '1m' });
      expect(history.candles).toHaveLength(FIRST_SCREEN_CANDLES);
      const times = history.candles.map((candle) => candle.time);
      expect(times).toEqual([...new Set(times)].sort((a, b) => a - b));
      // Every closed candle equals the simulator's own; the newest may have moved on since.
      expect(history.candles.slice(0, -1)).toEqual(truth(harness, 'KRW-BTC', history.candles).slice(0, -1));

      await tab.waitFor('ticker', (m) => m.selection === 1 && m.ticker.symbol === 'KRW-BTC');
      await tab.waitFor('book', (m) => m.levels.length > 0);
      await tab.waitFor('status', (m) => m.selection === 1);
      await tab.waitFor('flags', (m) => m.selection === 1);
    } finally {
      await tab.close();
    }
  });

  it('a trade in the simulator reaches the live candle', async () => {
    const tab = await TabClient.open(harness.url);
    try {
      await tab.waitFor('hello');
      tab.send({ t: 'select', selection: 1, symbol: 'KRW-XRP', interval: '1m' });
      await tab.waitFor('history');
      await tab.waitFor('candles');
      harness.sim.control.freezeMarket('KRW-XRP', true);
      harness.sim.control.jumpPrice('KRW-XRP', 1.05);
      const jumped = harness.sim.control.market('KRW-XRP')?.tradePrice;
      expect(jumped).toBeGreaterThan(0);
      const update = await tab.waitFor('candles', (m) => m.candles.some((candle) => candle.close === jumped));
      expect(update.selection).toBe(1);
    } finally {
      harness.sim.control.freezeMarket('KRW-XRP', false);
      await tab.close();
    }
  });

  it('re-reads the candles from REST after the stream reconnects, and the tab gets them as last-wins updates', async () => {
    const tab = await TabClient.open(harness.url);
    try {
      await tab.waitFor('hello');
      tab.send({ t: 'select', selection: 1, symbol: 'KRW-BTC', interval: '1m' });
      await tab.waitFor('history');
      await tab.waitFor('candles');
      harness.sim.control.dropConnections();
      const reconciled = await tab.waitFor('candles', (m) => m.candles.length >= 100, 15_000);
      expect(reconciled.candles.slice(0, -1)).toEqual(truth(harness, 'KRW-BTC', reconciled.candles).slice(0, -1));
    } finally {
      await tab.close();
    }
  });

  it('pages older candles strictly before the first one held', async () => {
    const tab = await TabClient.open(harness.url);
    try {
      await tab.waitFor('hello');
      tab.send({ t: 'select', selection: 7, symbol: 'KRW-ETH', interval: '5m' });
      const history = await tab.waitFor('history');
      const first = history.candles[0]?.time ?? 0;
      tab.send({ t: 'older', selection: 7, before: first, count: 450 });
      const older = await tab.waitFor('older');
      expect(older.exhausted).toBe(false);
      expect(older.candles).toHaveLength(450);
      expect(older.candles.every((candle) => candle.time < first)).toBe(true);
      expect(older.candles).toEqual(truth(harness, 'KRW-ETH', older.candles, 5));
      // An older request of a selection the tab has left is not answered.
      tab.send({ t: 'select', selection: 8, symbol: 'KRW-ETH', interval: '1h' });
      tab.send({ t: 'older', selection: 7, before: first, count: 10 });
      await tab.waitFor('history', (m) => m.selection === 8);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(tab.of('older')).toHaveLength(1);
    } finally {
      await tab.close();
    }
  });

  it('shares one upstream stream per market and interval among tabs, and stops it when the last tab leaves', async () => {
    const { upstream } = harness.chart.hub;
    const before = upstream.candles.openedCount;
    const tickersBefore = upstream.tickers.openedCount;
    const tabs = await Promise.all(Array.from({ length: 5 }, () => TabClient.open(harness.url)));
    try {
      for (const tab of tabs) {
        await tab.waitFor('hello');
        tab.send({ t: 'select', selection: 1, symbol: 'KRW-ETH', interval: '15m' });
      }
      await Promise.all(tabs.map((tab) => tab.waitFor('history')));
      expect(upstream.candles.openedCount - before).toBe(1);
      expect(upstream.tickers.openedCount - tickersBefore).toBe(1);
      expect(upstream.candles.subscriberCount('KRW-ETH|15m')).toBe(5);
      const stats = JSON.parse((await get(`${harness.url}api/stats`)).body) as {
        tabs: number;
        upstream: { open: { candles: string[] } };
      };
      expect(stats.tabs).toBe(5);
      expect(stats.upstream.open.candles).toEqual(['KRW-ETH|15m']);
    } finally {
      await Promise.all(tabs.map((tab) => tab.close()));
    }
    await expect
      .poll(() => upstream.openStreams(), { timeout: 5_000 })
      .toEqual({
        tickers: [],
        books: [],
        trades: [],
        candles: [],
      });
  });

  it('answers bad messages with an error and keeps the tab connected', async () => {
    const tab = await TabClient.open(harness.url);
    try {
      await tab.waitFor('hello');
      tab.send('not json');
      tab.send(JSON.stringify({ t: 'select', selection: 1, symbol: 'krw-btc', interval: '1m' }));
      tab.send(JSON.stringify({ t: 'select', selection: 1, symbol: 'KRW-BTC', interval: '3d' }));
      await expect.poll(() => tab.of('error').length, { timeout: 5_000 }).toBe(3);
      expect(tab.of('error').map((error) => error.message)).toEqual([
        'page message: not JSON',
        expect.stringMatching(/^page message: .*upper case/),
        'page message: unknown interval',
      ]);
      expect(tab.open).toBe(true);
      tab.send({ t: 'select', selection: 2, symbol: 'KRW-BTC', interval: '1m' });
      await tab.waitFor('history', (m) => m.selection === 2);
    } finally {
      await tab.close();
    }
  });

  it('says so when the market is not listed', async () => {
    const tab = await TabClient.open(harness.url);
    try {
      await tab.waitFor('hello');
      tab.send({ t: 'select', selection: 1, symbol: 'KRW-NOPE', interval: '1m' });
      const error = await tab.waitFor('error', (m) => m.selection === 1);
      expect(error.message).toMatch(/KRW-NOPE/);
    } finally {
      await tab.close();
    }
  });

  it("refuses other sites' pages, other hosts and other paths", async () => {
    await expect(TabClient.open(harness.url, { origin: 'https://evil.example' })).rejects.toThrow(/403/);
    await expect(TabClient.open(harness.url, { host: 'evil.example' })).rejects.toThrow(/403/);
    const own = await TabClient.open(harness.url, { origin: harness.url.replace(/\/$/, '') });
    await own.close();
    expect((await get(harness.url, { host: 'rebound.example' })).status).toBe(403);
    expect((await get(`${harness.url}nothing`)).status).toBe(404);
    const page = await get(harness.url);
    expect(page.status).toBe(200);
    expect(page.body).toContain('<script src="/app.js"></script>');
  });
});
