import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

// `pnpm demo` as a user types it: pnpm starts the demo through scripts/run-app.sh, and Ctrl-C (SIGINT to the whole
// process group) reaches the demo twice (from the terminal and forwarded by pnpm). The demo treats the second as the
// same request: the exit status of `pnpm demo` is 0, and stdout (with -s) carries the demo's NDJSON alone.

const ROOT = resolve(import.meta.dirname, '..', '..', '..');
const RUN_MS = 90_000; // a cold turbo build of the demo's dependencies on a loaded 2-core machine, with room

/** The pnpm running this test (turbo starts tasks with it and names it in npm_execpath), else the one on PATH. */
function pnpm(args: readonly string[]): [string, string[]] {
  const execPath = process.env.npm_execpath;
  if (execPath !== undefined && /pnpm\.c?js$/.test(execPath)) return [process.execPath, [execPath, ...args]];
  return ['pnpm', [...args]];
}

let job: ChildProcess | undefined;
afterEach(() => {
  if (job?.pid !== undefined && job.exitCode === null) {
    try {
      process.kill(-job.pid, 'SIGKILL');
    } catch {}
  }
});

describe('pnpm -s demo', { timeout: RUN_MS + 20_000 }, () => {
  it('Ctrl-C to the process group exits 0, with only NDJSON ticks on stdout', async () => {
    const [command, args] = pnpm(['-s', 'demo', '--sim', '--json', '--top', '3']);
    // Its own process group, as a shell starts a foreground job.
    const child = spawn(command, args, { cwd: ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    job = child;
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (text: string) => {
      stdout += text;
    });
    child.stderr?.setEncoding('utf8').on('data', (text: string) => {
      stderr += text;
    });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
      child.once('close', (code, signal) => done({ code, signal })),
    );
    const killer = setTimeout(() => child.pid !== undefined && process.kill(-child.pid, 'SIGKILL'), RUN_MS);
    const deadline = performance.now() + RUN_MS;
    while (!stdout.includes('\n') && child.exitCode === null && performance.now() < deadline) {
      await new Promise((wait) => setTimeout(wait, 50));
    }
    expect(stdout, stderr).toContain('\n');
    if (child.pid !== undefined) process.kill(-child.pid, 'SIGINT');
    const exit = await exited;
    clearTimeout(killer);

    expect(exit, stderr).toEqual({ code: 0, signal: null });
    expect(stderr).toContain('stopped: Ctrl-C');
    const lines = stdout.split('\n').filter((line) => line !== '');
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(JSON.parse(line) as { symbol?: unknown }).toHaveProperty('symbol');
  });
});
