import { type ChildProcess, spawn } from 'node:child_process';
import { access, constants, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { renderConfig, type ScrapeSettings } from './config.js';
import { instantQuery, type QueryResult } from './query.js';

/** Where Debian's package `prometheus` installs it (scripts/setup-components.sh installs the package). */
export const PROMETHEUS_BINARY = '/usr/bin/prometheus';

const LOG_LINES_KEPT = 20;
const STOP_TIMEOUT_MS = 10_000;
// Another process may take the free port between our look and Prometheus' bind: try a new one a few times.
const PORT_ATTEMPTS = 3;

export interface PrometheusOptions extends ScrapeSettings {
  /** Default PROMETHEUS_BINARY. */
  readonly binary?: string;
  /** Bound on start-up (until /-/ready answers 200). Default 30 s. */
  readonly startupTimeoutMs?: number;
  /** Bound on each query. Default 5 s. */
  readonly queryTimeoutMs?: number;
}

export interface RunningPrometheus {
  /** `http://127.0.0.1:PORT` (the UI and the HTTP API). */
  readonly url: string;
  /** An instant query (`/api/v1/query`) at the current time; throws PrometheusQueryError when Prometheus refuses. */
  query(promql: string): Promise<QueryResult>;
  /** SIGTERM, SIGKILL after 10 s; removes the config and the TSDB. Safe to call twice. */
  stop(): Promise<void>;
}

/**
 * Runs Debian's Prometheus (2.42) as a child process on a free 127.0.0.1 port, with a temporary config that scrapes
 * `targets` and a temporary TSDB, and waits until it is ready. Series from the targets carry `job="test"`.
 */
export async function startPrometheus(options: PrometheusOptions): Promise<RunningPrometheus> {
  const config = renderConfig(options);
  const binary = options.binary ?? PROMETHEUS_BINARY;
  await access(binary, constants.X_OK).catch(() => {
    throw new Error(`${binary} is not an executable: install Debian's prometheus (scripts/setup-components.sh)`);
  });
  const workDir = await mkdtemp(join(tmpdir(), 'prometheus-testing-'));
  const configFile = join(workDir, 'prometheus.yml');
  await writeFile(configFile, config);
  let lastFailure: Error | undefined;
  for (let attempt = 1; attempt <= PORT_ATTEMPTS; attempt++) {
    const url = `http://127.0.0.1:${await freeLoopbackPort()}`;
    const child = spawn(
      binary,
      [
        `--config.file=${configFile}`,
        `--storage.tsdb.path=${join(workDir, `tsdb-${attempt}`)}`,
        `--web.listen-address=${new URL(url).host}`,
        '--log.level=warn',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const server = new PrometheusChild(child);
    try {
      await server.waitUntilReady(url, options.startupTimeoutMs ?? 30_000);
    } catch (error) {
      await server.stop();
      lastFailure = error instanceof Error ? error : new Error(String(error));
      if (/address already in use/.test(lastFailure.message)) continue;
      break;
    }
    const queryTimeoutMs = options.queryTimeoutMs ?? 5_000;
    return {
      url,
      query: (promql) => instantQuery(url, promql, queryTimeoutMs),
      stop: async () => {
        await server.stop();
        await rm(workDir, { recursive: true, force: true });
      },
    };
  }
  await rm(workDir, { recursive: true, force: true });
  throw lastFailure ?? new Error('Prometheus did not start');
}

class PrometheusChild {
  private readonly log: string[] = [];
  private exited: string | undefined;
  private readonly exit: Promise<void>;
  private stopping: Promise<void> | undefined;
  private readonly killOnExit = () => this.child.kill('SIGKILL');

  constructor(private readonly child: ChildProcess) {
    for (const stream of [child.stdout, child.stderr]) {
      stream?.setEncoding('utf8');
      stream?.on('data', (text: string) => {
        this.log.push(...text.split('\n').filter((line) => line !== ''));
        this.log.splice(0, Math.max(0, this.log.length - LOG_LINES_KEPT));
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
    // A test process that dies must not leave Prometheus behind.
    process.once('exit', this.killOnExit);
  }

  async waitUntilReady(url: string, timeoutMs: number): Promise<void> {
    const deadline = AbortSignal.timeout(timeoutMs);
    let last = 'no answer yet';
    while (!deadline.aborted) {
      if (this.exited !== undefined) {
        throw new Error(`Prometheus ${this.exited} before it was ready; its last lines:\n${this.log.join('\n')}`);
      }
      try {
        const response = await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(1_000) });
        await response.arrayBuffer();
        if (response.status === 200) return;
        last = `HTTP ${response.status}`;
      } catch (error) {
        last = String(error);
      }
      await sleep(50);
    }
    throw new Error(
      `Prometheus was not ready within ${timeoutMs} ms (last: ${last}); its last lines:\n${this.log.join('\n')}`,
    );
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
  }
}

/** A TCP port that was free on 127.0.0.1 a moment ago. */
async function freeLoopbackPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no TCP address for a loopback listener');
  return address.port;
}
