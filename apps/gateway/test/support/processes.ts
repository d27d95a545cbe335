import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ConsumerReport } from '../../src/consumer/run-consumer.js';

const DIST = fileURLToPath(new URL('../../dist/', import.meta.url));
export const GATEWAY_ENTRY = `${DIST}main.js`;
export const CONSUMER_ENTRY = `${DIST}consumer.js`;

/** A program of this app as a child process: its stdout lines, its stderr kept for failure messages. */
export class Program {
  readonly lines: string[] = [];
  private stderr = '';
  readonly exited: Promise<number | string>;
  private readonly lineWaiters = new Set<() => void>();

  constructor(
    readonly name: string,
    private readonly child: ChildProcess,
  ) {
    let partial = '';
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (text: string) => {
      partial += text;
      const parts = partial.split('\n');
      partial = parts.pop() ?? '';
      for (const line of parts) this.onLine(line);
    });
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (text: string) => {
      this.stderr = (this.stderr + text).slice(-20_000);
    });
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown'));
    });
  }

  static start(name: string, entry: string, args: readonly string[]): Program {
    return new Program(name, spawn(process.execPath, [entry, ...args], { stdio: ['ignore', 'pipe', 'pipe'] }));
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get isRunning(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** The end of its stderr (for assertion messages). */
  errors(): string {
    return this.stderr.slice(-2_000);
  }

  /** Resolves with the first line matching; rejects after `timeoutMs` or when the program exits first. */
  async waitForLine(pattern: RegExp, timeoutMs: number): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.lines.find((line) => pattern.test(line));
      if (found !== undefined) return found;
      if (!this.isRunning) throw new Error(`${this.name} exited before printing ${pattern}: ${this.errors()}`);
      if (Date.now() > deadline)
        throw new Error(`${this.name} printed no ${pattern} in ${timeoutMs} ms: ${this.errors()}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 50);
        this.lineWaiters.add(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  signal(name: NodeJS.Signals): void {
    if (this.isRunning) this.child.kill(name);
  }

  /** SIGTERM and wait (SIGKILL after `graceMs`). */
  async stop(graceMs = 10_000): Promise<number | string> {
    if (!this.isRunning) return this.exited;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    const code = await this.exited;
    clearTimeout(timer);
    return code;
  }

  private onLine(line: string): void {
    this.lines.push(line);
    if (this.lines.length > 5_000) this.lines.splice(0, 1_000);
    for (const wake of [...this.lineWaiters]) wake();
    this.lineWaiters.clear();
  }
}

/** A fleet consumer child: its NDJSON reports. */
export class ConsumerProgram {
  private constructor(readonly program: Program) {}

  static start(name: string, args: readonly string[]): ConsumerProgram {
    return new ConsumerProgram(Program.start(name, CONSUMER_ENTRY, args));
  }

  reports(): ConsumerReport[] {
    return this.program.lines.filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as ConsumerReport);
  }

  last(): ConsumerReport | undefined {
    return this.reports().at(-1);
  }

  stop(): Promise<number | string> {
    return this.program.stop();
  }
}

/** Polls `condition` every 50 ms until it holds; throws naming `what` (and `detail()`) after `timeoutMs`. */
export async function until(
  what: string,
  condition: () => boolean,
  timeoutMs: number,
  detail: () => string = () => '',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} ${detail()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
