import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseReplayLines, startUpbitSim, type UpbitSim } from '@marketdata/upbit-sim';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closedPort, closeLoopbackServers, listen } from './support/loopback-servers.js';
import { runCli, startCli } from './support/run-cli.js';

let dir: string;
const sims: UpbitSim[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'demo-cli-'));
});
afterEach(async () => {
  await Promise.all(sims.splice(0).map((sim) => sim.close()));
  await closeLoopbackServers();
  await rm(dir, { recursive: true, force: true });
});

interface TickLine {
  readonly symbol: unknown;
  readonly price: unknown;
  readonly changeRate: unknown;
  readonly source: unknown;
  readonly quality: unknown;
  readonly confidence: unknown;
  readonly exchangeTimestamp: unknown;
  readonly ageMs: unknown;
}

function ndjson(stdout: string): TickLine[] {
  return stdout
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as TickLine);
}

function summaryCount(stderr: string, label: string): number {
  const match = new RegExp(`^\\s+${label}\\s+(\\d+)`, 'm').exec(stderr);
  if (match?.[1] === undefined) throw new Error(`no "${label}" line in the summary:\n${stderr}`);
  return Number(match[1]);
}

describe('demo CLI: usage', () => {
  it('--help documents every option and exits 0', async () => {
    const result = await runCli(['--help']);
    expect(result.code).toBe(0);
    for (const option of [
      '--sim',
      '--seed',
      '--symbols',
      '--top',
      '--json',
      '--record',
      '--config',
      '--log-level',
      '--duration-ms',
      '--metrics-port',
      '--version',
      '--help',
    ]) {
      expect(result.stdout).toContain(option);
    }
    expect(result.stdout).toContain('Exit codes: 0 ok');
  });

  it('an unknown flag exits 2 with the reason on stderr and nothing on stdout', async () => {
    const result = await runCli(['--bogus']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/demo: Unknown option '--bogus'/);
    expect(result.stderr).toContain('--help');
    expect(result.stdout).toBe('');
  });

  it('a bad value exits 2', async () => {
    const result = await runCli(['--sim', '--top', 'many']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--top expects a whole number');
  });

  it('a bad config file exits 2 listing every bad field, backbone fields included', async () => {
    const file = join(dir, 'demo.json');
    await writeFile(file, JSON.stringify({ backbone: { cacheTtlMs: -1, routr: {} }, demo: { top: 'all' } }));
    const result = await runCli(['--sim', '--config', file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${file}: demo.top`);
    expect(result.stderr).toContain('backbone.cacheTtlMs');
    expect(result.stderr).toContain('backbone.routr: unknown field');
    expect(result.stdout).toBe('');
  });
});

describe('demo CLI: live Upbit unreachable', () => {
  it('fails fast with exit 1 naming api.upbit.com and suggesting --sim, and shows no data (offline)', async () => {
    // This sandbox (and CI) has no route to Upbit: the default, live run must say so instead of showing anything.
    // On a machine that does reach Upbit the same command must stream live ticks instead; both paths are checked.
    const result = await runCli(['--json', '--top', '3', '--duration-ms', '3000']);
    if (result.code === 0) {
      const live = ndjson(result.stdout);
      expect(live.length).toBeGreaterThan(0);
      expect(live.every((tick) => typeof tick.symbol === 'string' && tick.symbol.startsWith('KRW-'))).toBe(true);
      console.info('api.upbit.com was reachable: the live path streamed real ticks');
      return;
    }
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/Cannot reach Upbit at api\.upbit\.com: \S/);
    expect(result.stderr).toContain('pnpm demo --sim');
    expect(result.stdout).toBe('');
    console.info(
      `live failure reported after ${result.elapsedMs.toFixed(0)} ms: ${result.stderr.split('\n').find((line) => line.startsWith('demo:'))}`,
    );
  });

  it('names a refused connection and the host (endpoints from the environment)', async () => {
    const port = await closedPort();
    const result = await runCli(['--json'], {
      env: {
        MARKETDATA_UPBIT_REST_URL: `https://127.0.0.1:${port}`,
        MARKETDATA_UPBIT_WS_URL: `wss://127.0.0.1:${port}/websocket/v1`,
      },
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Cannot reach Upbit at 127.0.0.1: connection refused (ECONNREFUSED)');
    expect(result.stderr).toContain('pnpm demo --sim');
    expect(result.stdout).toBe('');
  });

  it('gives up after the configured preflight timeout when the server never answers', async () => {
    const port = await listen(createServer());
    const file = join(dir, 'silent.json');
    await writeFile(
      file,
      JSON.stringify({
        upbit: { restUrl: `https://127.0.0.1:${port}`, wsUrl: `wss://127.0.0.1:${port}/websocket/v1` },
        demo: { preflightTimeoutMs: 300 },
      }),
    );
    const result = await runCli(['--config', file]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('timed out after 300 ms during the TLS handshake');
    expect(result.stdout).toBe('');
  });
});

describe('demo CLI: --sim', () => {
  it('--json writes real NDJSON ticks from the simulator and exits 0 after --duration-ms', async () => {
    const result = await runCli(['--sim', '--json', '--top', '5', '--duration-ms', '2500']);
    expect(result.code, result.stderr).toBe(0);
    const ticks = ndjson(result.stdout);
    expect(ticks.length).toBeGreaterThan(0);
    const symbols = new Set<unknown>();
    for (const tick of ticks) {
      expect(tick.symbol).toMatch(/^KRW-[A-Z0-9]+$/);
      expect(typeof tick.price === 'number' && Number.isFinite(tick.price) && tick.price > 0).toBe(true);
      expect(typeof tick.changeRate === 'number' && Number.isFinite(tick.changeRate)).toBe(true);
      expect(['websocket', 'rest', 'cache']).toContain(tick.source);
      expect(['high', 'medium', 'low']).toContain(tick.quality);
      expect(typeof tick.confidence === 'number' && tick.confidence >= 0 && tick.confidence <= 1).toBe(true);
      expect(typeof tick.exchangeTimestamp === 'number' && typeof tick.ageMs === 'number').toBe(true);
      symbols.add(tick.symbol);
    }
    expect(symbols.size).toBeGreaterThan(0);
    expect(symbols.size).toBeLessThanOrEqual(5);
    // stdout is pure NDJSON; the summary went to stderr and counts exactly the lines written.
    expect(result.stderr).toContain('SIMULATOR 127.0.0.1:');
    expect(result.stderr).toContain('stopped: --duration-ms 2500 elapsed');
    expect(summaryCount(result.stderr, 'ticks received')).toBe(ticks.length);
    // Routing decisions are reported as they happen (on stderr, as log lines, in --json mode).
    expect(result.stderr).toMatch(/"event":"route".*"msg":"KRW-[A-Z0-9]+ getTicker at 1\/s → (websocket|rest|cache)"/);
    expect(result.stderr).toMatch(/"msg":"router: stream-websocket/);
    expect(result.stderr).toMatch(/routing decisions\s+\S/);
  });

  it('--record captures raw frames in the format the simulator replays', async () => {
    const file = join(dir, 'frames.jsonl');
    const result = await runCli([
      '--sim',
      '--json',
      '--symbols',
      'KRW-BTC,KRW-ETH',
      '--record',
      file,
      '--duration-ms',
      '2000',
    ]);
    expect(result.code, result.stderr).toBe(0);
    const text = await readFile(file, 'utf8');
    const lines = text.split('\n').filter((line) => line !== '');
    const recorded = /recorded\s+(\d+) frames to/.exec(result.stderr)?.[1];
    expect(Number(recorded)).toBe(lines.length);
    const frames = parseReplayLines(text);
    expect(frames.length).toBeGreaterThan(0);
    for (const frame of frames) {
      expect(['KRW-BTC', 'KRW-ETH']).toContain(frame.code);
      expect(frame.type).toBe('ticker');
    }
    expect(new Set(ndjson(result.stdout).map((tick) => tick.symbol))).toEqual(new Set(['KRW-BTC', 'KRW-ETH']));
  });

  it('a --record capture replays through the simulator into the demo, frame for frame', async () => {
    const file = join(dir, 'capture.jsonl');
    const recording = await runCli([
      '--sim',
      '--json',
      '--symbols',
      'KRW-BTC,KRW-ETH',
      '--record',
      file,
      '--duration-ms',
      '1500',
    ]);
    expect(recording.code, recording.stderr).toBe(0);
    const frames = parseReplayLines(await readFile(file, 'utf8'));
    // Upbit's own event time of each recorded frame (SIMPLE `tms` or DEFAULT `timestamp`).
    const recordedTimes = new Set(
      frames.map((frame) => {
        const fields = JSON.parse(frame.frame) as { tms?: number; timestamp?: number };
        return fields.tms ?? fields.timestamp;
      }),
    );
    expect(recordedTimes.size).toBeGreaterThan(0);

    // A second simulator replays the capture; the demo reaches it through the configurable endpoints.
    const sim = await startUpbitSim({ seed: 7, replay: { frames, loop: true } });
    sims.push(sim);
    const replayed = await runCli(['--json', '--symbols', 'KRW-BTC,KRW-ETH', '--duration-ms', '2000'], {
      env: { MARKETDATA_UPBIT_REST_URL: sim.restUrl, MARKETDATA_UPBIT_WS_URL: sim.wsUrl },
    });
    expect(replayed.code, replayed.stderr).toBe(0);
    const streamed = ndjson(replayed.stdout).filter((tick) => tick.source === 'websocket');
    expect(streamed.length).toBeGreaterThan(0);
    // Recorded event times lie before the replaying simulator started: only replayed frames can carry them.
    for (const tick of streamed) expect(recordedTimes).toContain(tick.exchangeTimestamp);
  });

  it('refuses a market the server does not list (exit 2)', async () => {
    const result = await runCli(['--sim', '--symbols', 'KRW-NOPE', '--duration-ms', '2000']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('unknown market KRW-NOPE');
    expect(result.stdout).toBe('');
  });

  it('Ctrl-C (SIGINT) stops the stream and exits 0 with the summary', async () => {
    const run = startCli(['--sim', '--json', '--top', '3']);
    await run.sawOnStdout(/\n/);
    const interruptedAt = performance.now();
    run.child.kill('SIGINT');
    const result = await run.done;
    const shutdownMs = performance.now() - interruptedAt;
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('stopped: Ctrl-C');
    expect(summaryCount(result.stderr, 'ticks received')).toBe(ndjson(result.stdout).length);
    console.info(`Ctrl-C to exit: ${shutdownMs.toFixed(0)} ms`);
  });
});
