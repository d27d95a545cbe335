import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { type ConsoleProblems, collectConsoleProblems } from '@marketdata/browser-testing';
import type { Browser, Page } from 'playwright-core';
import type { WireCandle } from '../../src/protocol/messages.js';

/** Screenshots of the browser tests: kept by CI as artifacts. */
export const RESULTS_DIR = join(import.meta.dirname, '..', '..', 'test-results');

export interface ChartPage {
  readonly page: Page;
  readonly problems: ConsoleProblems;
}

/** Opens the chart in a new page and waits for its first screen. */
export async function openChart(browser: Browser, url: string, hash = ''): Promise<ChartPage> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 760 } });
  const problems = collectConsoleProblems(page);
  await page.goto(`${url}${hash}`);
  await waitReady(page);
  return { page, problems };
}

/** Waits until the page shows the first screen of its current selection. */
export async function waitReady(page: Page, timeoutMs = 15_000): Promise<void> {
  await page.waitForFunction(() => window.__chart?.state === 'ready', null, { timeout: timeoutMs });
}

export const hook = {
  candles: (page: Page): Promise<WireCandle[]> => page.evaluate(() => [...(window.__chart?.candles() ?? [])]),
  last: (page: Page): Promise<WireCandle | undefined> => page.evaluate(() => window.__chart?.last()),
  length: (page: Page): Promise<number> => page.evaluate(() => window.__chart?.length ?? -1),
  read: (page: Page) =>
    page.evaluate(() => ({
      state: window.__chart?.state,
      symbol: window.__chart?.symbol,
      interval: window.__chart?.interval,
      stale: window.__chart?.stale,
      olderPages: window.__chart?.olderPages,
      firstScreenMs: window.__chart?.firstScreenMs,
    })),
};

/** Pixels of the candle colours (rise red, fall blue) on the chart's canvases: proof the candles were drawn. */
export function candlePixels(page: Page): Promise<number> {
  return page.evaluate(() => {
    let count = 0;
    for (const canvas of document.querySelectorAll<HTMLCanvasElement>('#chart canvas')) {
      const context = canvas.getContext('2d');
      if (context === null || canvas.width === 0 || canvas.height === 0) continue;
      const data = context.getImageData(0, 0, canvas.width, canvas.height).data;
      for (let i = 0; i < data.length; i += 4) {
        const [r, g, b] = [data[i] ?? 0, data[i + 1] ?? 0, data[i + 2] ?? 0];
        const rise = Math.abs(r - 200) < 12 && Math.abs(g - 74) < 12 && Math.abs(b - 49) < 12;
        const fall = Math.abs(r - 18) < 12 && Math.abs(g - 97) < 12 && Math.abs(b - 196) < 12;
        if (rise || fall) count++;
      }
    }
    return count;
  });
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(RESULTS_DIR, { recursive: true });
  await page.screenshot({ path: join(RESULTS_DIR, `${name}.png`) });
}
