import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectConsoleProblems, launchChromium } from '../src/index.js';
import { type PageServer, servePages } from './page-server.js';

// Debian's Chromium (scripts/setup-components.sh installs it) driven by playwright-core, against pages served on
// 127.0.0.1. The screenshot is kept in test-results/ as a CI artifact.

const RESULTS_DIR = join(import.meta.dirname, '..', 'test-results');
const SCREENSHOT = join(RESULTS_DIR, 'chromium-smoke.png');

// Each page names an inline (empty) icon: otherwise Chromium asks the server for /favicon.ico, and the 404 is a
// console error like any other.
const NO_FAVICON = '<link rel="icon" href="data:,">';

const CHART_PAGE = `<!doctype html>
<html><head><title>smoke</title>${NO_FAVICON}</head>
<body style="margin:0;background:#fff">
<canvas id="chart" width="200" height="60"></canvas>
<p id="label">KRW-BTC last price</p>
<script>
  const ctx = document.getElementById('chart').getContext('2d');
  ctx.fillStyle = '#ffffff'; ctx.fillRect(0, 0, 200, 60);
  ctx.fillStyle = '#ff0000'; ctx.fillRect(0, 0, 50, 50);
  ctx.fillStyle = '#000000'; ctx.font = '20px sans-serif'; ctx.fillText('KRW-BTC', 60, 30);
</script>
</body></html>`;

const FAULTY_PAGE = (deadUrl: string) => `<!doctype html>
<html><head>${NO_FAVICON}</head><body>
<img src="${deadUrl}/missing.png">
<script>
  console.error('chart: no data for KRW-BTC');
  setTimeout(() => { throw new TypeError('series is undefined'); }, 0);
</script>
</body></html>`;

/** A URL nothing listens on: the page server's own, after it closed. */
async function deadUrl(): Promise<string> {
  const server = await servePages({});
  await server.close();
  return server.url;
}

describe('Chromium through playwright-core', () => {
  let browser: Browser;
  let pages: PageServer;
  let dead: string;

  beforeAll(async () => {
    dead = await deadUrl();
    pages = await servePages({ '/chart': CHART_PAGE, '/faulty': FAULTY_PAGE(dead) });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await pages?.close();
  });

  it('loads a page from 127.0.0.1, draws on a canvas, renders text and takes a screenshot', async () => {
    const page = await browser.newPage({ viewport: { width: 320, height: 200 } });
    const collector = collectConsoleProblems(page);
    await page.goto(`${pages.url}/chart`);

    const pixel = await page.evaluate(() => {
      const canvas = document.getElementById('chart') as HTMLCanvasElement;
      return Array.from(canvas.getContext('2d')?.getImageData(10, 10, 1, 1).data ?? []);
    });
    expect(pixel).toEqual([255, 0, 0, 255]);

    // Text only becomes pixels with a font installed: count the dark ones where the label was drawn.
    const inkedPixels = await page.evaluate(() => {
      const canvas = document.getElementById('chart') as HTMLCanvasElement;
      const data = canvas.getContext('2d')?.getImageData(60, 5, 140, 50).data ?? new Uint8ClampedArray();
      let inked = 0;
      for (let i = 0; i < data.length; i += 4) if ((data[i] ?? 255) < 128) inked++;
      return inked;
    });
    expect(inkedPixels).toBeGreaterThan(50);
    expect(await page.textContent('#label')).toBe('KRW-BTC last price');

    await mkdir(RESULTS_DIR, { recursive: true });
    await rm(SCREENSHOT, { force: true });
    await page.screenshot({ path: SCREENSHOT });
    const png = await readFile(SCREENSHOT);
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    // IHDR: width and height of the image, big-endian, right after the signature and the chunk header.
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([320, 200]);

    expect(collector.problems).toEqual([]);
    await page.close();
  });

  it('collects console errors, uncaught exceptions and failed requests', async () => {
    const page = await browser.newPage();
    const collector = collectConsoleProblems(page);
    await page.goto(`${pages.url}/faulty`);
    await expect
      .poll(() => collector.problems.map((problem) => problem.kind).sort(), { timeout: 10_000 })
      .toEqual(
        // The refused image also shows up as a console error ("Failed to load resource").
        ['console-error', 'console-error', 'page-error', 'request-failed'],
      );
    expect(collector.problems).toContainEqual(
      expect.objectContaining({ kind: 'console-error', text: 'chart: no data for KRW-BTC' }),
    );
    expect(collector.problems).toContainEqual({
      kind: 'page-error',
      text: 'TypeError: series is undefined',
      location: `${pages.url}/faulty`,
    });
    expect(collector.problems).toContainEqual({
      kind: 'request-failed',
      text: 'net::ERR_CONNECTION_REFUSED',
      location: `${dead}/missing.png`,
    });

    collector.dispose();
    await page.evaluate(() => console.error('after dispose'));
    expect(collector.problems.map((problem) => problem.text)).not.toContain('after dispose');
    await page.close();
  });
});

describe('launchChromium', () => {
  it('starts every browser with a fresh profile: nothing stored by the previous one is there', async () => {
    const pages = await servePages({ '/': `<!doctype html><title>profile</title>${NO_FAVICON}` });
    try {
      const first = await launchChromium();
      const firstPage = await first.newPage();
      await firstPage.goto(pages.url);
      await firstPage.evaluate(() => localStorage.setItem('seen', 'yes'));
      expect(await firstPage.evaluate(() => localStorage.getItem('seen'))).toBe('yes');
      await first.close();

      const second = await launchChromium();
      const secondPage = await second.newPage();
      await secondPage.goto(pages.url);
      expect(await secondPage.evaluate(() => localStorage.getItem('seen'))).toBeNull();
      await second.close();
    } finally {
      await pages.close();
    }
  });

  it('names a missing executable and how to install it', async () => {
    await expect(launchChromium({ executablePath: '/nonexistent/chromium' })).rejects.toThrow(
      /nonexistent\/chromium is not an executable: install Debian's chromium/,
    );
  });
});
