import { launchChromium } from '@marketdata/browser-testing';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIRST_SCREEN_CANDLES, type WireCandle } from '../../src/protocol/messages.js';
import { startChartServer } from '../../src/server/chart-server.js';
import { loadStaticAssets } from '../../src/server/static-assets.js';
import { type ChartHarness, PUBLIC_DIR, startHarness } from '../support/chart-harness.js';
import { candlePixels, hook, openChart, screenshot, waitReady } from './page-driver.js';

// The page in Debian's Chromium against the chart server on the simulator. Screenshots go to test-results/.

const MARKETS = ['KRW-BTC', 'KRW-ETH', 'KRW-XRP', 'KRW-AERGO'];

/** The simulator's own candles for the times the page holds (all but the newest, which may still move). */
function closedTruth(
  harness: ChartHarness,
  code: string,
  candles: readonly WireCandle[],
  unit: 'minutes',
  size: number,
) {
  const first = candles[0]?.time ?? 0;
  const newest = candles[candles.length - 1]?.time ?? 0;
  return harness.sim.control
    .candles(code, { unit, size }, first, newest)
    .map(({ openTime, open, high, low, close, volume }) => ({ time: openTime, open, high, low, close, volume }));
}

describe('the chart page in Chromium', () => {
  let harness: ChartHarness;
  let browser: Browser;

  beforeAll(async () => {
    harness = await startHarness({ markets: MARKETS });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await harness?.close();
  });

  it('loads without a console problem, draws the candles and holds the first screen the simulator has', async () => {
    const { page, problems } = await openChart(browser, harness.url);
    try {
      expect(await hook.read(page)).toMatchObject({ state: 'ready', symbol: 'KRW-BTC', interval: '1m', stale: false });
      const candles = await hook.candles(page);
      // The first screen, plus at most the period that opened since.
      expect(candles.length).toBeGreaterThanOrEqual(FIRST_SCREEN_CANDLES);
      expect(candles.length).toBeLessThanOrEqual(FIRST_SCREEN_CANDLES + 1);
      expect(await page.getAttribute('#chart', 'data-candles')).toBe(String(candles.length));
      expect(candles.slice(0, -1)).toEqual(closedTruth(harness, 'KRW-BTC', candles, 'minutes', 1));
      await expect.poll(() => candlePixels(page), { timeout: 5_000 }).toBeGreaterThan(500);
      await expect.poll(() => page.textContent('#price'), { timeout: 5_000 }).toMatch(/^\d{1,3}(,\d{3})+$/);
      await expect.poll(() => page.textContent('#provenance'), { timeout: 5_000 }).toMatch(/websocket · high quality/);
      await expect.poll(() => page.locator('#book tbody tr').count(), { timeout: 5_000 }).toBe(30);
      await expect.poll(() => page.locator('#trades tbody tr').count(), { timeout: 10_000 }).toBeGreaterThan(0);
      await screenshot(page, 'chart-loaded');
      expect(problems.problems).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('a trade made in the simulator updates the last candle within 2 s', async () => {
    const { page, problems } = await openChart(browser, harness.url, '#KRW-XRP/1m');
    try {
      harness.sim.control.freezeMarket('KRW-XRP', true);
      harness.sim.control.jumpPrice('KRW-XRP', 1.07);
      const price = harness.sim.control.market('KRW-XRP')?.tradePrice;
      await expect.poll(async () => (await hook.last(page))?.close, { timeout: 2_000, interval: 50 }).toBe(price);
      await screenshot(page, 'chart-trade');
      expect(problems.problems).toEqual([]);
    } finally {
      harness.sim.control.freezeMarket('KRW-XRP', false);
      await page.close();
    }
  });

  it('shows the stale banner within 3 s of a data stall and clears it when data flows again', async () => {
    const { page, problems } = await openChart(browser, harness.url, '#KRW-BTC/1m');
    try {
      // A fresh feed first: the banner is not up.
      await expect.poll(() => page.textContent('#provenance'), { timeout: 5_000 }).toMatch(/websocket/);
      await expect.poll(() => page.isVisible('#banner'), { timeout: 5_000 }).toBe(false);
      harness.sim.control.stallData(true);
      await expect.poll(() => page.evaluate(() => window.__chart?.stale), { timeout: 3_000, interval: 50 }).toBe(true);
      expect(await page.isVisible('#banner')).toBe(true);
      expect(await page.textContent('#banner')).toMatch(/^STALE DATA/);
      expect(await page.getAttribute('#last-price', 'data-stale')).toBe('true');
      await screenshot(page, 'chart-stale');
      harness.sim.control.stallData(false);
      await expect.poll(() => page.isVisible('#banner'), { timeout: 10_000 }).toBe(false);
      expect(await page.getAttribute('#last-price', 'data-stale')).toBe('false');
      expect(problems.problems).toEqual([]);
    } finally {
      harness.sim.control.stallData(false);
      await page.close();
    }
  });

  it('switches interval: the series becomes the 5-minute candles', async () => {
    const { page, problems } = await openChart(browser, harness.url, '#KRW-ETH/1m');
    try {
      await page.click('#intervals button[data-interval="5m"]');
      await expect.poll(() => page.evaluate(() => window.__chart?.interval)).toBe('5m');
      await waitReady(page);
      expect(await page.getAttribute('#intervals button[data-interval="5m"]', 'aria-pressed')).toBe('true');
      expect(await page.getAttribute('#intervals button[data-interval="1m"]', 'aria-pressed')).toBe('false');
      const candles = await hook.candles(page);
      expect(candles.length).toBeGreaterThanOrEqual(FIRST_SCREEN_CANDLES);
      expect(candles.every((candle) => candle.time % 300_000 === 0)).toBe(true);
      expect(candles.slice(0, -1)).toEqual(closedTruth(harness, 'KRW-ETH', candles, 'minutes', 5));
      expect(page.url()).toMatch(/#KRW-ETH\/5m$/);
      expect(problems.problems).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('finds markets by code, Korean and English name, and switches to the one picked', async () => {
    const { page, problems } = await openChart(browser, harness.url);
    try {
      const search = page.locator('#market-search');
      const listed = () =>
        page.locator('#market-list li').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-symbol')));
      await search.fill('xrp');
      expect(await listed()).toEqual(['KRW-XRP']);
      await search.fill('아르고');
      expect(await listed()).toEqual(['KRW-AERGO']);
      await search.fill('bitcoin');
      expect(await listed()).toEqual(['KRW-BTC']);
      await search.fill('KRW-');
      expect((await listed()).sort()).toEqual([...MARKETS].sort());

      await search.fill('aergo');
      await search.press('Enter');
      await expect.poll(() => page.evaluate(() => window.__chart?.symbol)).toBe('KRW-AERGO');
      await waitReady(page);
      expect(await page.textContent('#symbol')).toBe('KRW-AERGO');
      expect(await page.textContent('#market-name')).toBe('아르고 · Aergo');
      // KRW-AERGO carries an investment warning in the market list.
      await expect.poll(() => page.textContent('#flags'), { timeout: 5_000 }).toContain('INVESTMENT WARNING');
      const candles = await hook.candles(page);
      expect(candles.slice(0, -1)).toEqual(closedTruth(harness, 'KRW-AERGO', candles, 'minutes', 1));
      await screenshot(page, 'chart-market-switch');
      expect(problems.problems).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('pages older candles while the view is dragged to the left', async () => {
    const { page, problems } = await openChart(browser, harness.url, '#KRW-BTC/15m');
    try {
      const box = await page.locator('#chart').boundingBox();
      if (box === null) throw new Error('no chart box');
      const y = box.y + box.height / 2;
      for (let drag = 0; drag < 10 && ((await hook.read(page)).olderPages ?? 0) < 1; drag++) {
        await page.mouse.move(box.x + 100, y);
        await page.mouse.down();
        await page.mouse.move(box.x + box.width - 100, y, { steps: 10 });
        await page.mouse.up();
        await page.waitForTimeout(300);
      }
      await expect.poll(async () => (await hook.read(page)).olderPages, { timeout: 10_000 }).toBeGreaterThanOrEqual(1);
      const candles = await hook.candles(page);
      expect(candles.length).toBeGreaterThan(FIRST_SCREEN_CANDLES);
      const times = candles.map((candle) => candle.time);
      expect(times).toEqual([...new Set(times)].sort((a, b) => a - b));
      expect(candles.slice(0, -1)).toEqual(closedTruth(harness, 'KRW-BTC', candles, 'minutes', 15));
      await screenshot(page, 'chart-older');
      expect(problems.problems).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('says on the header when the market is suspended, and when it trades again', async () => {
    const { page, problems } = await openChart(browser, harness.url, '#KRW-XRP/1m');
    try {
      await expect.poll(() => page.textContent('#provenance'), { timeout: 5_000 }).toMatch(/websocket/);
      expect(await page.textContent('#header')).not.toMatch(/suspended/i);
      harness.sim.control.setMarketStatus('KRW-XRP', { tradingSuspended: true });
      // The backbone grades the suspended market's ticker down and says why; the header shows it.
      await expect.poll(() => page.textContent('#header'), { timeout: 5_000 }).toMatch(/trading suspended/i);
      await screenshot(page, 'chart-suspended');
      harness.sim.control.setMarketStatus('KRW-XRP', { tradingSuspended: false });
      await expect.poll(() => page.textContent('#header'), { timeout: 10_000 }).not.toMatch(/suspended/i);
      expect(problems.problems).toEqual([]);
    } finally {
      harness.sim.control.setMarketStatus('KRW-XRP', { tradingSuspended: false });
      await page.close();
    }
  });

  it('shows 1-second candles: history from REST, then the live stream', async () => {
    const { page, problems } = await openChart(browser, harness.url, '#KRW-BTC/1s');
    try {
      const candles = await hook.candles(page);
      expect(candles.length).toBeGreaterThan(0);
      expect(candles.every((candle) => candle.time % 1_000 === 0)).toBe(true);
      const first = candles[0]?.time ?? 0;
      const newest = candles[candles.length - 1]?.time ?? 0;
      const truth = harness.sim.control
        .candles('KRW-BTC', { unit: 'seconds', size: 1 }, first, newest)
        .map(({ openTime, open, high, low, close, volume }) => ({ time: openTime, open, high, low, close, volume }));
      expect(candles.slice(0, -1)).toEqual(truth);
      // New seconds keep coming from the live stream.
      await expect.poll(async () => (await hook.last(page))?.time ?? 0, { timeout: 5_000 }).toBeGreaterThan(newest);
      expect(problems.problems).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('says so when the link to the chart server drops, and starts over when it is back', async () => {
    const { page, problems } = await openChart(browser, harness.url, '#KRW-ETH/1m');
    const port = harness.chart.server.port;
    let replacement: Awaited<ReturnType<typeof startChartServer>> | undefined;
    try {
      const selection = await page.evaluate(() => window.__chart?.selection);
      await harness.chart.server.close();
      await expect
        .poll(() => page.textContent('#banner'), { timeout: 5_000 })
        .toMatch(/Disconnected from the chart server/);
      expect(await page.getAttribute('#last-price', 'data-stale')).toBe('true');
      replacement = await startChartServer({
        hub: harness.chart.hub,
        assets: await loadStaticAssets(PUBLIC_DIR),
        port,
        processUsage: () => ({ cpuUserMicros: 0, cpuSystemMicros: 0, rssBytes: 0, heapUsedBytes: 0 }),
      });
      // The page selects again (a fresh first screen: what it missed is in it) and the banner clears.
      await expect
        .poll(() => page.evaluate(() => window.__chart?.selection), { timeout: 15_000 })
        .toBeGreaterThan(selection ?? 0);
      await waitReady(page);
      await expect.poll(() => page.isVisible('#banner'), { timeout: 10_000 }).toBe(false);
      expect(await page.evaluate(() => window.__chart?.symbol)).toBe('KRW-ETH');
      // The refused reconnects while the server was away are the only requests that failed.
      const stream = `ws://127.0.0.1:${port}/stream`;
      expect(
        problems.problems.filter((problem) => !problem.location.startsWith(stream) && !problem.text.includes(stream)),
      ).toEqual([]);
    } finally {
      await page.close();
      await replacement?.close();
    }
  });
});
