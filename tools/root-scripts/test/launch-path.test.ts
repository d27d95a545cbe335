import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { killGroup, type Running, run, start, waitFor } from './run-process.js';

// The root scripts (`pnpm demo`, `pnpm sim`, `pnpm bench`) start their program through scripts/run-app.sh. These
// tests go through pnpm exactly as a user does: stdout must carry the program's output and nothing else, and Ctrl-C
// (SIGINT to the whole process group) must end with the program's own exit status.

const ROOT = resolve(import.meta.dirname, '..', '..', '..');
const FAKE_PROGRAM = 'tools/root-scripts/fixtures/fake-program.mjs';
const RUN_MS = 60_000; // a cold turbo build of the simulator on a loaded 2-core machine, with room
const READY_MS = 30_000;
// Above the bounds of the commands (vitest's shared 20 s would cut a cold build short with a less useful message).
const TEST_MS = 2 * RUN_MS + 10_000;

/** The pnpm running this test (turbo starts each task with `pnpm run`, which names itself in npm_execpath), or the
 * `pnpm` on PATH (corepack's) when the test runs some other way. */
function pnpm(args: readonly string[]): [string, string[]] {
  const execPath = process.env.npm_execpath;
  if (execPath !== undefined && /pnpm\.c?js$/.test(execPath)) return [process.execPath, [execPath, ...args]];
  return ['pnpm', [...args]];
}

describe('pnpm -s sim', { timeout: TEST_MS }, () => {
  it('prints the program help on stdout and nothing else (the build log goes to stderr)', async () => {
    const [command, args] = pnpm(['-s', 'sim', '--help']);
    const viaPnpm = await run(command, args, ROOT, RUN_MS);
    // The program itself, started directly after the build above.
    const direct = await run(process.execPath, ['packages/upbit-sim/dist/cli.js', '--help'], ROOT, RUN_MS);
    expect(direct).toMatchObject({ code: 0, signal: null });
    expect(direct.stdout).toMatch(/^Usage: upbit-sim/);
    expect(viaPnpm).toMatchObject({ code: 0, signal: null, stdout: direct.stdout });
  });

  it('takes the arguments the same way after a `--`', async () => {
    const [command, args] = pnpm(['-s', 'sim', '--', '--help']);
    const viaPnpm = await run(command, args, ROOT, RUN_MS);
    expect(viaPnpm).toMatchObject({ code: 0, signal: null });
    expect(viaPnpm.stdout).toMatch(/^Usage: upbit-sim/);
  });
});

describe('a program started through scripts/run-app.sh by pnpm', { timeout: TEST_MS }, () => {
  let project: string;
  const running: Running[] = [];

  beforeAll(async () => {
    // A throw-away project whose script starts the fake program the way the root scripts start theirs, with the
    // repository's pnpm version (pnpm would otherwise try to switch versions).
    const { packageManager } = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as {
      packageManager: string;
    };
    project = await mkdtemp(join(tmpdir(), 'root-scripts-'));
    const launcher = join(ROOT, 'scripts', 'run-app.sh');
    await writeFile(
      join(project, 'package.json'),
      JSON.stringify({
        name: 'launch-path-probe',
        private: true,
        packageManager,
        scripts: {
          fake: `exec ${launcher} - ${FAKE_PROGRAM}`,
          'broken-build': `exec ${launcher} @marketdata/no-such-package ${FAKE_PROGRAM}`,
          'no-entry': `exec ${launcher} -`,
        },
      }),
    );
  });

  afterEach(() => {
    for (const job of running.splice(0)) killGroup(job.child, 'SIGKILL');
  });

  afterAll(async () => {
    await rm(project, { recursive: true, force: true });
  });

  it('exits 0 on Ctrl-C when the program does, with only its own output on stdout', async () => {
    const [command, args] = pnpm(['-s', 'run', 'fake', '--flag', 'value']);
    const job = start(command, args, project);
    running.push(job);
    expect(await waitFor(() => job.stdout().includes('\n'), READY_MS)).toBe(true);

    killGroup(job.child, 'SIGINT');
    const exit = await job.exited;

    expect(exit).toEqual({ code: 0, signal: null });
    expect(job.stdout()).toBe('fake-program ready ["--flag","value"]\nfake-program stopped\n');
    expect(job.stderr()).toMatch(/^fake-program: SIGINT 1$/m);
  });

  it('does not start the program when its build fails, and says so on stderr', async () => {
    const [command, args] = pnpm(['-s', 'run', 'broken-build']);
    const result = await run(command, args, project, RUN_MS);
    expect(result).toMatchObject({ code: 1, signal: null, stdout: '' });
    expect(result.stderr).toContain('run-app: building @marketdata/no-such-package failed');
  });

  it('refuses to run without an entry point', async () => {
    const [command, args] = pnpm(['-s', 'run', 'no-entry']);
    const result = await run(command, args, project, RUN_MS);
    expect(result).toMatchObject({ code: 2, signal: null, stdout: '' });
    expect(result.stderr).toMatch(/usage: .*run-app\.sh <turbo filter \| -> <entry\.js>/);
  });
});
