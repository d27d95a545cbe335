import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const MAIN_JS = fileURLToPath(new URL('../../dist/main.js', import.meta.url));

export interface CliResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly elapsedMs: number;
}

export interface CliRun {
  readonly child: ChildProcess;
  /** Resolves on the first stdout text matching the pattern. */
  readonly sawOnStdout: (pattern: RegExp) => Promise<void>;
  /** Everything written to stderr so far. */
  readonly stderr: () => string;
  readonly done: Promise<CliResult>;
}

/** The environment minus anything MARKETDATA_* a developer may have set, plus the test's own variables. */
function childEnv(extra: Readonly<Record<string, string>>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!name.startsWith('MARKETDATA_') && name !== 'NO_COLOR') env[name] = value;
  }
  return { ...env, ...extra };
}

/**
 * Runs the built demo (`dist/main.js`) as a child process. A run that outlives `killAfterMs` is killed and its
 * result says so (signal SIGKILL), so a hanging demo fails the test instead of hanging it.
 */
export function startCli(
  args: readonly string[],
  options: { env?: Record<string, string>; killAfterMs?: number } = {},
): CliRun {
  if (!existsSync(MAIN_JS))
    throw new Error(`${MAIN_JS} is missing: build the demo first (pnpm --filter @marketdata/demo... build)`);
  const startedAt = performance.now();
  const child = spawn(process.execPath, [MAIN_JS, ...args], {
    env: childEnv(options.env ?? {}),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const watchers: { pattern: RegExp; resolve: () => void }[] = [];
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    for (const watcher of watchers.splice(0)) {
      if (watcher.pattern.test(stdout)) watcher.resolve();
      else watchers.push(watcher);
    }
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const killer = setTimeout(() => child.kill('SIGKILL'), options.killAfterMs ?? 20_000);
  const done = new Promise<CliResult>((resolve) => {
    child.on('close', (code, signal) => {
      clearTimeout(killer);
      resolve({ code, signal, stdout, stderr, elapsedMs: performance.now() - startedAt });
    });
  });
  return {
    child,
    done,
    stderr: () => stderr,
    sawOnStdout: (pattern) =>
      new Promise<void>((resolve, reject) => {
        if (pattern.test(stdout)) resolve();
        else watchers.push({ pattern, resolve });
        done.then(() => reject(new Error(`the demo exited before printing ${pattern}\nstderr:\n${stderr}`)));
      }),
  };
}

export function runCli(args: readonly string[], options: { env?: Record<string, string>; killAfterMs?: number } = {}) {
  return startCli(args, options).done;
}
