import { copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import { launchChromium } from '@marketdata/browser-testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChartHarness, startHarness } from '../support/chart-harness.js';
import { openChart, RESULTS_DIR, screenshot } from './page-driver.js';

// The picture for the READMEs: the whole page on the simulator once the book and the tape have filled. Always
// taken into test-results/; `pnpm --filter @marketdata/chart screenshot` also copies it to docs/screenshot.png.

const DOCS_SCREENSHOT = join(import.meta.dirname, '..', '..', 'docs', 'screenshot.png');

describe('documentation screenshot', () => {
  let harness: ChartHarness;

  beforeAll(async () => {
    harness = await startHarness({ markets: ['KRW-BTC', 'KRW-ETH', 'KRW-XRP', 'KRW-SOL', 'KRW-DOGE'] });
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('shows candles, volume, price header, book and trades together', async () => {
    const browser = await launchChromium();
    try {
      const { page, problems } = await openChart(browser, harness.url, '#KRW-BTC/1m');
      await expect.poll(() => page.locator('#book tbody tr').count(), { timeout: 10_000 }).toBe(30);
      await expect.poll(() => page.locator('#trades tbody tr').count(), { timeout: 10_000 }).toBeGreaterThan(15);
      await expect.poll(() => page.textContent('#provenance'), { timeout: 5_000 }).toMatch(/websocket/);
      await screenshot(page, 'screenshot');
      if (process.env.MARKETDATA_CHART_DOCS_SCREENSHOT === '1') {
        await copyFile(join(RESULTS_DIR, 'screenshot.png'), DOCS_SCREENSHOT);
      }
      expect(problems.problems).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
