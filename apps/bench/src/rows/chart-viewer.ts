/**
 * Row C (`pnpm bench --chart`, needs Debian's Chromium): the chart viewer (apps/chart) as a person meets it.
 *   - time to first candle: page load to the first screen drawn (≥ 200 candles), median of a few fresh pages;
 *   - the chart server's own CPU and memory with 20 tabs open (4 markets x 5 tabs) for `chartSeconds`.
 * The chart server runs as its own process (`apps/chart/dist/main.js --rest-url … --ws-url …`) on a simulator of
 * the bench's simulator process with Upbit's limits on; its CPU and memory are read from its `/api/stats`, so
 * neither the browser nor the simulator is counted in them.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { launchChromium } from '@marketdata/browser-testing';
import { type BenchSection, type Cell, na, notApplicable, value } from '../report/model.js';
import { withSim } from '../sim/sim-client.js';
import { monoNowMs, sleepMs, withDeadline } from '../system-clock.js';
import { attempt, ComponentMissing, measureStep, type Outcome, type RowContext } from './context.js';

/** The chart app's server, built next to this bench (apps/bench/dist/main.js → apps/chart/dist/main.js). */
const CHART_MAIN = fileURLToPath(new URL('../../chart/dist/main.js', import.meta.url));
const MARKETS = ['KRW-BTC', 'KRW-ETH', 'KRW-XRP', 'KRW-SOL'] as const;
const TABS = 20;
const FIRST_SCREEN_RUNS = 5;
/** The first screen counts once this many candles are drawn (the page asks for 300). */
const FIRST_SCREEN_CANDLES = 200;

/** Evaluated in the page (the chart's test hook, `window.__chart`): the first screen is drawn. */
const FIRST_SCREEN_DRAWN = `window.__chart?.state === 'ready' && window.__chart.length >= ${FIRST_SCREEN_CANDLES}`;

type Browser = Awaited<ReturnType<typeof launchChromium>>;

interface ChartStats {
  readonly tabs: number;
  readonly upstream: { readonly open: Readonly<Record<string, readonly string[]>> };
  readonly process: {
    readonly cpuUserMicros: number;
    readonly cpuSystemMicros: number;
    readonly rssBytes: number;
    readonly heapUsedBytes: number;
  };
}

interface ChartServerProcess {
  readonly url: string;
  stats(): Promise<ChartStats>;
  stop(): Promise<void>;
}

async function startChartServer(restUrl: string, wsUrl: string): Promise<ChartServerProcess> {
  if (!existsSync(CHART_MAIN)) throw new ComponentMissing(`${CHART_MAIN} missing`);
  const child: ChildProcess = spawn(
    process.execPath,
    [CHART_MAIN, '--rest-url', restUrl, '--ws-url', wsUrl, '--port', '0', '--log-level', 'error'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk) => {
    stderr = `${stderr}${chunk}`.slice(-2_000);
  });
  const url = await withDeadline(
    new Promise<string>((resolve, reject) => {
      let stdout = '';
      child.stdout?.on('data', (chunk) => {
        stdout += chunk;
        const line = stdout.split('\n')[0];
        if (stdout.includes('\n') && line !== undefined) resolve(line.trim());
      });
      child.once('exit', (code) => reject(new Error(`chart server exited (${code}): ${stderr.trim()}`)));
    }),
    30_000,
    'chart server start',
  );
  return {
    url,
    stats: async () => (await (await fetch(`${url}api/stats`)).json()) as ChartStats,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      await withDeadline(exited, 10_000, 'chart server exit').catch(() => child.kill('SIGKILL'));
    },
  };
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
};

async function openTab(browser: Browser, url: string, market: string): Promise<{ close(): Promise<void> }> {
  const page = await browser.newPage({ viewport: { width: 960, height: 540 } });
  await page.goto(`${url}#${market}/1m`);
  // Polled on a timer: a page that is not the one in front gets no animation frames to poll on.
  await page.waitForFunction(FIRST_SCREEN_DRAWN, undefined, { timeout: 120_000, polling: 100 });
  return { close: () => page.close() };
}

interface FirstScreen {
  readonly loadMs: number;
  readonly selectMs: number;
}

/** Fresh pages one after the other: page load (navigation start) to the first screen drawn. */
async function measureFirstScreen(browser: Browser, url: string): Promise<FirstScreen> {
  const loads: number[] = [];
  const selects: number[] = [];
  for (let run = 0; run < FIRST_SCREEN_RUNS; run++) {
    const page = await browser.newPage({ viewport: { width: 1280, height: 760 } });
    try {
      const started = monoNowMs();
      await page.goto(`${url}#${MARKETS[run % MARKETS.length]}/1m`);
      await page.waitForFunction(FIRST_SCREEN_DRAWN, undefined, { timeout: 30_000, polling: 'raf' });
      loads.push(monoNowMs() - started);
      selects.push(Number(await page.evaluate('window.__chart.firstScreenMs')));
    } finally {
      await page.close();
    }
  }
  return { loadMs: median(loads), selectMs: median(selects) };
}

interface TabLoad {
  readonly cpuPercent: number;
  readonly peakRssMb: number;
  readonly upstreamStreams: number;
  readonly tabs: number;
}

/** TABS tabs over MARKETS for `seconds`: the server's CPU share of one core and its peak RSS. */
async function measureTabs(browser: Browser, server: ChartServerProcess, seconds: number): Promise<TabLoad> {
  const tabs = await Promise.all(
    Array.from({ length: TABS }, (_, index) =>
      openTab(browser, server.url, MARKETS[index % MARKETS.length] ?? 'KRW-BTC'),
    ),
  );
  try {
    const first = await server.stats();
    const started = monoNowMs();
    let peakRss = first.process.rssBytes;
    let last = first;
    while (monoNowMs() - started < seconds * 1_000) {
      await sleepMs(1_000);
      last = await server.stats();
      peakRss = Math.max(peakRss, last.process.rssBytes);
    }
    const elapsedMs = monoNowMs() - started;
    const cpuMicros =
      last.process.cpuUserMicros -
      first.process.cpuUserMicros +
      (last.process.cpuSystemMicros - first.process.cpuSystemMicros);
    const upstreamStreams = Object.values(last.upstream.open).reduce((sum, keys) => sum + keys.length, 0);
    return {
      cpuPercent: (cpuMicros / 1_000 / elapsedMs) * 100,
      peakRssMb: peakRss / 2 ** 20,
      upstreamStreams,
      tabs: last.tabs,
    };
  } finally {
    await Promise.all(tabs.map((tab) => tab.close()));
  }
}

const cell = <T>(outcome: Outcome<T>, pick: (v: T) => Cell): Cell =>
  outcome.ok ? pick(outcome.value) : na(outcome.reason);

export async function runChartViewer(ctx: RowContext, seconds: number): Promise<BenchSection> {
  const run = await measureStep(ctx, `C chart viewer: first candle, ${TABS} tabs for ${seconds} s`, () =>
    withSim(ctx.sims, { seed: 5, markets: [...MARKETS] }, async (sim) => {
      const server = await startChartServer(sim.restUrl, sim.wsUrl);
      let browser: Browser | undefined;
      try {
        browser = await launchChromium();
        const opened = browser;
        const firstScreen = await attempt(() => measureFirstScreen(opened, server.url));
        const load = await attempt(() => measureTabs(opened, server, seconds));
        return { firstScreen, load };
      } finally {
        await browser?.close();
        await server.stop();
      }
    }),
  );
  const firstScreen: Outcome<FirstScreen> = run.ok ? run.value.firstScreen : run;
  const load: Outcome<TabLoad> = run.ok ? run.value.load : run;
  const only = notApplicable('the chart viewer is ours');
  const loadNote = load.ok
    ? `${load.value.tabs} tabs on ${MARKETS.length} markets, ${load.value.upstreamStreams} upstream streams (tickers, books, trades, candles: one per market however many tabs)`
    : '';
  return {
    rows: [
      {
        id: 'C.first',
        group: 'C',
        title: 'chart: time to first candle',
        metric: `page load → ${FIRST_SCREEN_CANDLES}+ candles drawn, median of ${FIRST_SCREEN_RUNS}`,
        cells: { raw: only, ours: cell(firstScreen, (v) => value(v.loadMs, 'ms')), ccxt: only },
        ratio: 'none',
        notes: [
          firstScreen.ok ? `select → drawn inside the page: ${firstScreen.value.selectMs.toFixed(0)} ms` : '',
          'loopback, simulator with Upbit limits, Debian Chromium headless',
        ].filter((note) => note !== ''),
      },
      {
        id: 'C.cpu',
        group: 'C',
        title: `chart server CPU, ${TABS} tabs`,
        metric: `% of one core over ${seconds} s`,
        cells: { raw: only, ours: cell(load, (v) => value(v.cpuPercent, '%')), ccxt: only },
        ratio: 'none',
        notes: [loadNote].filter((note) => note !== ''),
      },
      {
        id: 'C.rss',
        group: 'C',
        title: `chart server memory, ${TABS} tabs`,
        metric: 'peak RSS',
        cells: { raw: only, ours: cell(load, (v) => value(v.peakRssMb, 'MB')), ccxt: only },
        ratio: 'none',
        notes: [],
      },
    ],
    distributions: [],
  };
}
