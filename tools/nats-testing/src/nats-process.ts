import { type ChildProcess, spawn } from 'node:child_process';
import { constants } from 'node:fs';
import { access, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { waitUntilHealthy } from './health.js';

/** Where Debian's package `nats-server` installs it (scripts/setup-components.sh installs the package). */
export const NATS_SERVER_BINARY = '/usr/sbin/nats-server';

const STARTUP_TIMEOUT_MS = 15_000;
const STOP_TIMEOUT_MS = 10_000;
// What an error quotes of the server's output: its first lines (a bad option is reported before the usage text) and
// its last ones.
const LOG_HEAD_LINES = 10;
const LOG_TAIL_LINES = 30;

export interface NatsProcessOptions {
  /** JetStream (and so KV) on. Default true. */
  readonly jetstream?: boolean;
  /** Client port on 127.0.0.1. Default: a free one, picked by the server itself (no race). */
  readonly port?: number;
  /** Monitoring port on 127.0.0.1. Default: a free one, picked by the server itself. */
  readonly monitorPort?: number;
  /** JetStream store directory, kept after stop(). Default: a temporary directory, removed by stop(). */
  readonly storeDir?: string;
  /** More nats-server options, appended to the command line. */
  readonly serverArgs?: readonly string[];
  /** Default NATS_SERVER_BINARY. */
  readonly binary?: string;
}

/** nats-server as a child process of this one, listening on 127.0.0.1 only. */
export interface NatsProcess {
  /** `nats://127.0.0.1:PORT` */
  readonly url: string;
  /** `http://127.0.0.1:PORT` (`/healthz`, `/varz`, `/jsz`, `/connz`). */
  readonly monitorUrl: string;
  readonly pid: number;
  /** The JetStream store (undefined without JetStream). */
  readonly storeDir: string | undefined;
  /** SIGTERM (nats-server shuts down cleanly), SIGKILL after 10 s; removes the temporary directories. Safe twice. */
  stop(): Promise<void>;
}

interface PortsFile {
  readonly nats?: readonly string[];
  readonly monitoring?: readonly string[];
}

/**
 * Starts Debian's nats-server as a plain process (no container engine needed) and waits until `/healthz` answers
 * 200. For local runs and for tests that do not need container faults; those use startNatsContainer.
 */
export async function startNatsProcess(options: NatsProcessOptions = {}): Promise<NatsProcess> {
  const binary = options.binary ?? NATS_SERVER_BINARY;
  await access(binary, constants.X_OK).catch(() => {
    throw new Error(`${binary} is not an executable: install Debian's nats-server (scripts/setup-components.sh)`);
  });
  const workDir = await mkdtemp(join(tmpdir(), 'nats-testing-'));
  const jetstream = options.jetstream ?? true;
  const storeDir = jetstream ? (options.storeDir ?? join(workDir, 'store')) : undefined;
  const args = [
    '--addr',
    '127.0.0.1',
    '--port',
    String(options.port ?? -1),
    '--http_port',
    String(options.monitorPort ?? -1),
    // The server writes the ports it actually listens on here (nats-server_<pid>.ports), and removes it on exit.
    '--ports_file_dir',
    workDir,
    '--server_name',
    'nats-process',
    ...(storeDir === undefined ? [] : ['--jetstream', '--store_dir', storeDir]),
    ...(options.serverArgs ?? []),
  ];
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const server = new NatsChild(child, workDir);
  try {
    const ports = await server.waitForPortsFile(STARTUP_TIMEOUT_MS);
    const url = ports.nats?.[0];
    const monitorUrl = ports.monitoring?.[0];
    if (url === undefined || monitorUrl === undefined) {
      throw new Error(`nats-server reported no client or monitoring address: ${JSON.stringify(ports)}`);
    }
    await waitUntilHealthy(monitorUrl, STARTUP_TIMEOUT_MS, () => server.exitReason());
    return {
      url,
      monitorUrl,
      pid: child.pid ?? -1,
      storeDir,
      stop: () => server.stop(),
    };
  } catch (error) {
    await server.stop();
    throw error;
  }
}

class NatsChild {
  private readonly head: string[] = [];
  private readonly tail: string[] = [];
  private exited: string | undefined;
  private readonly exit: Promise<void>;
  private stopping: Promise<void> | undefined;
  private readonly killOnExit = () => this.child.kill('SIGKILL');

  constructor(
    private readonly child: ChildProcess,
    private readonly workDir: string,
  ) {
    for (const stream of [child.stdout, child.stderr]) {
      stream?.setEncoding('utf8');
      stream?.on('data', (text: string) => {
        for (const line of text.split('\n')) {
          if (line === '') continue;
          if (this.head.length < LOG_HEAD_LINES) this.head.push(line);
          else this.tail.push(line);
        }
        this.tail.splice(0, Math.max(0, this.tail.length - LOG_TAIL_LINES));
      });
    }
    this.exit = new Promise((resolve) => {
      child.once('error', (error) => {
        this.exited = `could not run: ${error.message}`;
        resolve();
      });
      child.once('exit', (code, signal) => {
        this.exited = `exited (${signal ?? code})`;
        resolve();
      });
    });
    // A test process that dies must not leave a server behind.
    process.once('exit', this.killOnExit);
  }

  exitReason(): string | undefined {
    return this.exited === undefined ? undefined : `${this.exited}; its output:\n${this.output()}`;
  }

  private output(): string {
    return [...this.head, ...(this.tail.length > 0 ? ['...', ...this.tail] : [])].join('\n');
  }

  async waitForPortsFile(timeoutMs: number): Promise<PortsFile> {
    const deadline = AbortSignal.timeout(timeoutMs);
    const path = join(this.workDir, `nats-server_${this.child.pid}.ports`);
    while (!deadline.aborted) {
      const reason = this.exitReason();
      if (reason !== undefined) throw new Error(`nats-server ${reason}`);
      const text = await readFile(path, 'utf8').catch(() => undefined);
      // Written in one go, but read it only once it parses.
      if (text !== undefined) {
        try {
          return JSON.parse(text) as PortsFile;
        } catch {}
      }
      await sleep(20);
    }
    throw new Error(`nats-server wrote no ports file within ${timeoutMs} ms; its output:\n${this.output()}`);
  }

  stop(): Promise<void> {
    this.stopping ??= this.stopOnce();
    return this.stopping;
  }

  private async stopOnce(): Promise<void> {
    if (this.exited === undefined) {
      this.child.kill('SIGTERM');
      const timer = setTimeout(() => this.child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await this.exit;
      clearTimeout(timer);
    }
    process.off('exit', this.killOnExit);
    await rm(this.workDir, { recursive: true, force: true });
  }
}
