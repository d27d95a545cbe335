import { type ChildProcess, spawn } from 'node:child_process';

export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** A started command: its output so far, and its exit. */
export interface Running {
  readonly child: ChildProcess;
  stdout(): string;
  stderr(): string;
  readonly exited: Promise<Exit>;
}

/**
 * Starts a command in its own process group (`detached`), as a shell starts a foreground job: a signal sent to the
 * group (what Ctrl-C does) then reaches every process of the job and nothing else. stdin is closed.
 */
export function start(command: string, args: readonly string[], cwd: string): Running {
  const child = spawn(command, args, { cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout?.setEncoding('utf8').on('data', (text: string) => {
    out += text;
  });
  child.stderr?.setEncoding('utf8').on('data', (text: string) => {
    err += text;
  });
  const exited = new Promise<Exit>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal }));
  });
  return { child, stdout: () => out, stderr: () => err, exited };
}

/** Runs to the end, bounded: a command still running after `timeoutMs` has its whole group killed. */
export async function run(command: string, args: readonly string[], cwd: string, timeoutMs: number) {
  const running = start(command, args, cwd);
  const timer = setTimeout(() => killGroup(running.child, 'SIGKILL'), timeoutMs);
  try {
    const exit = await running.exited;
    return { ...exit, stdout: running.stdout(), stderr: running.stderr() };
  } finally {
    clearTimeout(timer);
  }
}

/** Sends `signal` to the child's whole process group (it was started detached: the group is its own). */
export function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

/** Waits until `condition` holds, polling every 20 ms; false after `timeoutMs`. */
export async function waitFor(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = AbortSignal.timeout(timeoutMs);
  while (!condition()) {
    if (deadline.aborted) return false;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return true;
}
