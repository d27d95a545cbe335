import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { BenchResults } from '../src/report/results-file.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
/** The root's `pnpm bench` entry (scripts/run-app.sh); `-` skips the build step, the package is built already. */
const RUN_APP = join(ROOT, 'scripts', 'run-app.sh');

function runApp(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('sh', [RUN_APP, '-', 'apps/bench/dist/main.js', ...args], { cwd: ROOT }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, stdout, stderr });
    });
  });
}

describe('pnpm bench --json', () => {
  let outDir: string | undefined;
  afterEach(async () => {
    if (outDir !== undefined) await rm(outDir, { recursive: true, force: true });
  });

  it('prints only the results JSON on stdout (progress and file paths go to stderr), so it pipes into jq', async () => {
    outDir = await mkdtemp(join(tmpdir(), 'bench-json-'));
    const { code, stdout, stderr } = await runApp(['--', '--only', 'targets', '--json', '--out', outDir]);
    expect(code, stderr).toBe(0);
    const results = JSON.parse(stdout) as BenchResults;
    expect(results.rows.map((row) => row.group)).toContain('7');
    expect(stderr).toContain('bench: results');
  }, 60_000);
});
