import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { startUpbitSim, type UpbitSim } from '@marketdata/upbit-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Every example, built, run as a user runs it (`node examples/dist/<name>.js`) against the simulator on 127.0.0.1.

const run = promisify(execFile);
const DIST = resolve(import.meta.dirname, '..', 'dist');
let sim: UpbitSim;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  sim = await startUpbitSim({ seed: 5, markets: ['KRW-BTC', 'KRW-ETH'], adminPort: false });
  env = { ...process.env, MARKETDATA_UPBIT_REST_URL: sim.restUrl, MARKETDATA_UPBIT_WS_URL: sim.wsUrl };
});
afterAll(async () => {
  await sim.close();
});

function example(name: string, extra: Record<string, string> = {}) {
  return run(process.execPath, [resolve(DIST, `${name}.js`)], { env: { ...env, ...extra }, timeout: 20_000 });
}

describe('examples', () => {
  it('first-price prints one graded ticker', async () => {
    const { stdout } = await example('first-price');
    const ticker = JSON.parse(stdout) as Record<string, unknown>;
    expect(ticker).toMatchObject({ symbol: 'KRW-BTC' });
    expect(ticker.price).toBeGreaterThan(0);
    expect(['rest', 'websocket', 'cache']).toContain(ticker.source);
    expect(['high', 'medium', 'low']).toContain(ticker.quality);
  });

  it('first-price exits 1 with the typed error when Upbit cannot be reached', async () => {
    const refused = { MARKETDATA_UPBIT_REST_URL: 'http://127.0.0.1:9', MARKETDATA_UPBIT_WS_URL: 'ws://127.0.0.1:9/v1' };
    const failure = await example('first-price', refused).catch((error: { code?: number; stderr?: string }) => error);
    expect(failure).toMatchObject({ code: 1 });
    expect((failure as { stderr: string }).stderr).toMatch(
      /^(NETWORK|TIMEOUT|CHANNEL_UNAVAILABLE) on (rest|websocket): /m,
    );
  });

  it('streaming-with-cancel ends with break after MAX_TICKS', async () => {
    const { stdout, stderr } = await example('streaming-with-cancel', { MAX_TICKS: '5' });
    const ticks = stdout.trim().split('\n');
    expect(ticks).toHaveLength(5);
    for (const line of ticks) expect(['KRW-BTC', 'KRW-ETH']).toContain((JSON.parse(line) as { symbol: string }).symbol);
    expect(stderr).toContain('5 ticks, then break');
  });

  it('streaming-with-cancel ends on its AbortSignal (time limit) without an error', async () => {
    const { stderr } = await example('streaming-with-cancel', { MAX_TICKS: '1000000', MAX_MS: '1500' });
    expect(stderr).toMatch(/^\d+ ticks, then abort \(TimeoutError: /m);
  });

  it('candles prints 300 one-minute candles, paged past the 200 Upbit answers per request', async () => {
    const { stdout } = await example('candles');
    const summary = JSON.parse(stdout) as Record<string, unknown>;
    expect(summary).toMatchObject({ count: 300, source: 'rest' });
    expect(summary.lastClose).toBeGreaterThan(0);
    expect(['high', 'medium', 'low']).toContain(summary.quality);
  });

  it('metrics serves marketdata_* series at /metrics until Ctrl-C, then exits 0', async () => {
    const child: ChildProcess = spawn(process.execPath, [resolve(DIST, 'metrics.js')], {
      env: { ...env, METRICS_PORT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (text: string) => {
      stdout += text;
    });
    child.stderr?.setEncoding('utf8').on('data', (text: string) => {
      stderr += text;
    });
    const exited = new Promise<number | null>((done) => child.once('close', (code) => done(code)));
    await expect.poll(() => stdout, { timeout: 10_000 }).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics\n/);
    const url = stdout.trim();
    await expect
      .poll(async () => (await (await fetch(url)).text()).match(/^marketdata_served_total\{source="\w+"\} [1-9]/m), {
        timeout: 10_000,
      })
      .not.toBeNull();
    child.kill('SIGINT');
    expect(await exited, stderr).toBe(0);
    clearTimeout(killer);
  });
});
