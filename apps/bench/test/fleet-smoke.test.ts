import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { Cell, ResultRow } from '../src/report/model.js';
import type { BenchResults } from '../src/report/results-file.js';

const BENCH = fileURLToPath(new URL('../dist/main.js', import.meta.url));

function run(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BENCH, ...args], { maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, stdout, stderr });
    });
  });
}

function measured(row: ResultRow | undefined, column: 'raw' | 'ours'): number {
  const cell: Cell | undefined = row?.cells[column];
  if (cell?.kind !== 'value') throw new Error(`${row?.id} ${column}: ${cell?.kind === 'na' ? cell.reason : 'missing'}`);
  return cell.value;
}

/**
 * `pnpm bench --fleet` end to end in tiny windows (Debian's nats-server as a process): every fleet row carries a
 * measured number, and the side by side shows the point of the gateway (one Upbit connection for eight processes).
 * The figures themselves are the bench's business; here they only have to be real.
 */
describe('pnpm bench --fleet (tiny mode)', () => {
  let outDir: string | undefined;
  afterEach(async () => {
    if (outDir !== undefined) await rm(outDir, { recursive: true, force: true });
  });

  it('measures fan-out, the late joiner and the side by side', async () => {
    outDir = await mkdtemp(join(tmpdir(), 'bench-fleet-'));
    const { code, stderr } = await run(['--fleet', '--quick', '--scale', '0.3', '--out', outDir]);
    expect(code, stderr).toBe(0);
    const file = (await readdir(outDir)).find((name) => name.endsWith('.json'));
    const results = JSON.parse(await readFile(join(outDir, file as string), 'utf8')) as BenchResults;
    const row = (id: string) => results.rows.find((r) => r.id === id);
    for (const consumers of [1, 4, 8]) {
      for (const rate of ['5k', '20k']) {
        const id = `F.${consumers}c.${rate}`;
        const delivered = measured(row(`${id}.delivered`), 'ours');
        expect(delivered, id).toBeGreaterThan(0);
        expect(delivered, id).toBeLessThanOrEqual(100);
        expect(measured(row(`${id}.p50`), 'ours'), id).toBeLessThanOrEqual(measured(row(`${id}.p99`), 'ours'));
      }
    }
    expect(measured(row('F.late250'), 'ours')).toBeGreaterThan(0);
    // Each direct process opens its own connection (how many Upbit accepted in the run depends on its 429s and
    // backoff); through the gateway there is one.
    expect(measured(row('F.8p.connections'), 'raw')).toBeGreaterThan(1);
    expect(measured(row('F.8p.connections'), 'ours')).toBe(1);
    expect(measured(row('F.8p.refusals'), 'ours')).toBe(0);
    expect(results.options.fleet).toBe(true);
  }, 240_000);
});
