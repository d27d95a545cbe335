import { execFile } from 'node:child_process';
import { cp, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startUpbitSim, type UpbitSim } from '@marketdata/upbit-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PackedPackage, packLibraries, ROOT } from './support/library-packages.js';

// A new user's project: `npm init -y` (CommonJS), the packed tarballs installed with npm (third-party dependencies
// from the registry, or npm's cache when it has them), then an ES module script, a CommonJS script and strict
// TypeScript compiles against them. The scripts talk to the simulator on 127.0.0.1.

const run = promisify(execFile);
const FIXTURES = join(ROOT, 'tools', 'packaging', 'fixtures', 'consumer');
const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
const INSTALL_MS = 240_000;
const SCRIPT_MS = 30_000;

let packsDir: string;
let project: string;
let sim: UpbitSim;

async function install(packages: readonly PackedPackage[]): Promise<void> {
  const dependencies: Record<string, string> = { 'prom-client': '^15.1.0' };
  const overrides: Record<string, string> = {};
  for (const pkg of packages) {
    dependencies[pkg.name] = `file:${pkg.tarball}`;
    // The packages name each other with ^0.1.0: the override sends those to the same tarballs, never the registry.
    overrides[pkg.name] = `$${pkg.name}`;
  }
  await writeFile(
    join(project, 'package.json'),
    `${JSON.stringify({ name: 'consumer', version: '1.0.0', private: true, dependencies, overrides }, null, 2)}\n`,
  );
  await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd: project,
    timeout: INSTALL_MS,
  });
}

beforeAll(async () => {
  const packed = await packLibraries();
  packsDir = packed.dir;
  project = await mkdtemp(join(tmpdir(), 'marketdata-consumer-'));
  await cp(FIXTURES, project, { recursive: true });
  await install(packed.packages);
  sim = await startUpbitSim({ seed: 11, markets: ['KRW-BTC', 'KRW-ETH'], adminPort: false });
}, INSTALL_MS + 120_000);

afterAll(async () => {
  await sim?.close();
  await rm(project, { recursive: true, force: true });
  await rm(packsDir, { recursive: true, force: true });
});

async function node(script: string) {
  return run(process.execPath, [script], {
    cwd: project,
    timeout: SCRIPT_MS,
    env: { ...process.env, REST_URL: sim.restUrl, WS_URL: sim.wsUrl },
  });
}

async function tsc(config: string) {
  try {
    await run(process.execPath, [TSC, '-p', config], { cwd: project, timeout: 120_000 });
    return '';
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    return `${stdout ?? ''}${stderr ?? ''}` || String(error);
  }
}

describe('a fresh npm project using the packed packages', { timeout: 150_000 }, () => {
  it('is CommonJS, like `npm init -y`, and holds one copy of each of our packages', async () => {
    const { stdout } = await run('npm', ['pkg', 'get', 'type'], { cwd: project });
    expect(stdout.trim()).toBe('{}');
    const nested = await readdir(join(project, 'node_modules', '@marketdata'));
    expect(nested.sort()).toEqual(['adapters-upbit', 'backbone', 'domain', 'metrics', 'pino', 'upbit']);
    const { stdout: tree } = await run('npm', ['ls', '--all', '--parseable', '@marketdata/domain'], { cwd: project });
    expect(tree.trim().split('\n')).toEqual([join(project, 'node_modules', '@marketdata', 'domain')]);
  });

  it('runs a CommonJS script: require() of every entry point, a ticker from the simulator, guards across copies', async () => {
    const { stdout } = await node('consumer.cjs');
    const result = JSON.parse(stdout.trim()) as { module: string; symbol: string; price: number; logLines: number };
    expect(result).toMatchObject({ module: 'commonjs', symbol: 'KRW-BTC' });
    expect(result.price).toBeGreaterThan(0);
  });

  it('runs an ES module script: a stream ended with break, metrics served over HTTP', async () => {
    const { stdout } = await node('consumer.mjs');
    expect(JSON.parse(stdout.trim())).toEqual({ module: 'esm', ticks: 3 });
  });

  it('compiles with strict TypeScript and skipLibCheck: false (module nodenext, CommonJS and ESM files)', async () => {
    expect(await tsc('tsconfig.nodenext.json')).toBe('');
  });

  it('compiles with strict TypeScript and skipLibCheck: false (moduleResolution bundler)', async () => {
    expect(await tsc('tsconfig.bundler.json')).toBe('');
  });
});
