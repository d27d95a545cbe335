import { type ChildProcess, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { parseCliArgs, usageExamples } from '../src/cli/cli-args.js';
import { SIM_VERSION } from '../src/version.js';
import { httpGet, WsProbe } from './helpers.js';

/** The built CLI (`pnpm build` runs before the tests; turbo's test task depends on build). */
const DIST = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist');

interface Running {
  readonly child: ChildProcess;
  readonly rest: string;
  readonly ws: string;
  readonly admin: string;
  readonly exited: Promise<number | null>;
  /** Everything written so far (read after exit for the whole output). */
  readonly output: { stdout: string; stderr: string };
}

const children: ChildProcess[] = [];
const dirs: string[] = [];

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function run(script: string, args: readonly string[], cwd?: string): Promise<Running> {
  const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'pipe'], cwd });
  children.push(child);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const output = { stdout: '', stderr: '' };
  return new Promise((resolve, reject) => {
    child.stderr?.on('data', (chunk: Buffer) => {
      output.stderr += chunk.toString();
    });
    child.once('exit', (code) => reject(new Error(`exited with ${code}: ${output.stderr}`)));
    child.stdout?.on('data', (chunk: Buffer) => {
      output.stdout += chunk.toString();
      const rest = /REST\s+(\S+)/.exec(output.stdout)?.[1];
      const ws = /WS\s+(\S+)/.exec(output.stdout)?.[1];
      const admin = /admin\s+(\S+)\n/.exec(output.stdout)?.[1];
      if (rest !== undefined && ws !== undefined && admin !== undefined) {
        resolve({ child, rest, ws, admin, exited, output });
      }
    });
  });
}

async function post(url: string): Promise<number> {
  const response = await fetch(url, { method: 'POST' });
  await response.arrayBuffer();
  return response.status;
}

describe('CLI', () => {
  it('prints its URLs, serves REST and admin, and exits cleanly on SIGTERM', async () => {
    const sim = await run(join(DIST, 'cli.js'), ['--seed', '3', '--markets', 'KRW-BTC,KRW-ETH', '--log-level', 'warn']);
    expect(sim.rest).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(sim.ws).toBe(`${sim.rest.replace('http', 'ws')}/websocket/v1`);
    const markets = JSON.parse((await httpGet(`${sim.rest}/v1/market/all`)).text) as { market: string }[];
    expect(markets.map((m) => m.market)).toEqual(['KRW-BTC', 'KRW-ETH']);
    expect(JSON.parse((await httpGet(`${sim.admin}/health`)).text)).toEqual({ status: 'ok', listening: true });
    expect(await post(`${sim.admin}/faults/fail?group=ticker&status=503&count=1`)).toBe(200);
    expect((await httpGet(`${sim.rest}/v1/ticker?markets=KRW-BTC`)).status).toBe(503);
    expect((await httpGet(`${sim.rest}/v1/ticker?markets=KRW-BTC`)).status).toBe(200);
    const counters = JSON.parse((await httpGet(`${sim.admin}/counters`)).text) as {
      requestsByGroup: Record<string, number>;
    };
    expect(counters.requestsByGroup).toEqual({ market: 1, ticker: 2 });
    expect(await post(`${sim.admin}/faults/fail?group=nope&status=503`)).toBe(400);
    sim.child.kill('SIGTERM');
    expect(await sim.exited).toBe(0);
  });

  it('admin endpoints stop and restart the server on the same port', async () => {
    const sim = await run(join(DIST, 'cli.js'), ['--markets', 'KRW-BTC', '--log-level', 'warn']);
    expect(await post(`${sim.admin}/server/stop`)).toBe(200);
    await expect(httpGet(`${sim.rest}/v1/market/all`)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    expect(JSON.parse((await httpGet(`${sim.admin}/health`)).text)).toEqual({ status: 'ok', listening: false });
    expect(await post(`${sim.admin}/server/start`)).toBe(200);
    expect((await httpGet(`${sim.rest}/v1/market/all`)).status).toBe(200);
    sim.child.kill('SIGINT');
    expect(await sim.exited).toBe(0);
  });

  it('replays a JSONL recording given with --replay', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'upbit-sim-replay-'));
    dirs.push(dir);
    const file = join(dir, 'capture.jsonl');
    const frame = '{"type":"ticker","code":"KRW-BTC","trade_price":116539000.00000000,"stream_type":"REALTIME"}';
    const lines = Array.from({ length: 200 }, (_, i) => JSON.stringify({ t: 1_000 + i * 10, frame }));
    writeFileSync(file, `${lines.join('\n')}\n`);
    const sim = await run(join(DIST, 'cli.js'), ['--replay', file, '--speed', '1', '--loop', '--log-level', 'warn']);
    const probe = await WsProbe.connect(sim.ws);
    probe.send([{ ticket: 't' }, { type: 'ticker', codes: ['KRW-BTC'] }]);
    await probe.waitForCount(5);
    expect(probe.messages.slice(0, 5).map((m) => m.text)).toEqual(Array(5).fill(frame));
    probe.socket.terminate();
    sim.child.kill('SIGTERM');
    expect(await sim.exited).toBe(0);
  });

  it('fails with a clear message on a bad option', async () => {
    const child = spawn(process.execPath, [join(DIST, 'cli.js'), '--trade-rate-scale', 'fast'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let err = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      err += chunk.toString();
    });
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(2);
    expect(err).toContain('trade-rate-scale');
  });
});

/** Runs the CLI to completion and returns its exit code and output. */
function runToEnd(args: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [join(DIST, 'cli.js'), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
}

const PACKAGE_JSON = join(dirname(fileURLToPath(import.meta.url)), '..', 'package.json');

describe('CLI output', () => {
  it('stdout is the three URLs and nothing else; stderr is pino-shaped JSON lines; SIGINT exits 0', async () => {
    const sim = await run(join(DIST, 'cli.js'), ['--markets', 'KRW-BTC', '--log-level', 'debug']);
    expect((await httpGet(`${sim.rest}/v1/ticker?markets=KRW-BTC`)).status).toBe(200);
    sim.child.kill('SIGINT');
    expect(await sim.exited).toBe(0);
    expect(sim.output.stdout).toBe(`REST   ${sim.rest}\nWS     ${sim.ws}\nadmin  ${sim.admin}\n`);
    const lines = sim.output.stderr.trimEnd().split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(2);
    for (const line of lines) {
      const record = JSON.parse(line) as Record<string, unknown>;
      expect(Object.keys(record).slice(0, 4), line).toEqual(['level', 'time', 'pid', 'hostname']);
      expect(Object.keys(record).at(-1), line).toBe('msg');
      expect([10, 20, 30, 40, 50]).toContain(record.level);
      expect(record.pid).toBe(sim.child.pid);
      expect(typeof record.time).toBe('number');
      expect(typeof record.hostname).toBe('string');
    }
    expect(lines.some((line) => line.includes('"signal":"SIGINT"'))).toBe(true);
  });

  it('--version prints the package version; --help lists every flag and examples that run', async () => {
    const version = (JSON.parse(readFileSync(PACKAGE_JSON, 'utf8')) as { version: string }).version;
    expect(SIM_VERSION).toBe(version);
    expect(await runToEnd(['--version'])).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
    const help = await runToEnd(['--help']);
    expect(help.code).toBe(0);
    expect(help.stderr).toBe('');
    for (const flag of [
      '--seed',
      '--port',
      '--admin-port',
      '--markets',
      '--no-rate-limits',
      '--version',
      '--log-level',
    ]) {
      expect(help.stdout).toContain(flag);
    }
    const examples = usageExamples();
    expect(examples.length).toBeGreaterThanOrEqual(4);
    for (const example of examples) {
      expect(() => parseCliArgs(example), example.join(' ')).not.toThrow();
      if (example.includes('--version')) continue;
      // Run it (fixed ports swapped for free ones, so the test never collides with a running simulator).
      const args = example.map((arg, i) =>
        ['--port', '--admin-port'].includes(example[i - 1] ?? '') && arg !== 'none' ? '0' : arg,
      );
      const sim = await run(
        join(DIST, 'cli.js'),
        args.map((arg) => (arg === '0.0.0.0' ? '127.0.0.1' : arg)),
      );
      expect((await httpGet(`${sim.rest}/v1/market/all`)).status, example.join(' ')).toBe(200);
      sim.child.kill('SIGTERM');
      expect(await sim.exited).toBe(0);
    }
  });

  it('a bad option exits 2 with one JSON error line on stderr and nothing on stdout', async () => {
    const result = await runToEnd(['--seed', 'many']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    const record = JSON.parse(result.stderr.trim()) as { level: number; msg: string };
    expect(record.level).toBe(50);
    expect(record.msg).toContain('seed');
  });
});

describe('single-file bundle (for the container image)', () => {
  it('runs from a directory with no node_modules', async () => {
    const bundle = join(DIST, 'sim-bundle.js');
    expect(existsSync(bundle)).toBe(true);
    const dir = mkdtempSync(join(tmpdir(), 'upbit-sim-bundle-'));
    dirs.push(dir);
    copyFileSync(bundle, join(dir, 'sim.mjs'));
    const sim = await run(join(dir, 'sim.mjs'), ['--markets', 'KRW-BTC', '--log-level', 'warn'], dir);
    const tickers = JSON.parse((await httpGet(`${sim.rest}/v1/ticker?markets=KRW-BTC`)).text) as { market: string }[];
    expect(tickers[0]?.market).toBe('KRW-BTC');
    const probe = await WsProbe.connect(sim.ws);
    probe.send([{ ticket: 't' }, { type: 'trade', codes: ['KRW-BTC'] }]);
    await probe.waitForCount(1);
    probe.socket.terminate();
    sim.child.kill('SIGTERM');
    expect(await sim.exited).toBe(0);
  });
});
