import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { withDeadline } from '../system-clock.js';
import type {
  ProcessUsage,
  SimBatchResult,
  SimControlCall,
  SimHandleInfo,
  SimReady,
  SimRequest,
  SimResponse,
  SimStartOptions,
} from './protocol.js';

const RUNNER_PATH = fileURLToPath(new URL('./sim-runner.js', import.meta.url));
const RPC_TIMEOUT_MS = 15_000;

type PendingCall = { resolve(value: unknown): void; reject(error: Error): void };
type RequestBody = SimRequest extends infer R ? (R extends SimRequest ? Omit<R, 'requestId'> : never) : never;

/** Thrown when the simulator package is not built: rows depending on it print "n/a (not built)". */
export class SimNotBuiltError extends Error {}

/** One simulator instance living in the child process. */
export class RemoteSim implements SimHandleInfo {
  constructor(
    private readonly host: SimProcess,
    readonly simId: number,
    readonly restUrl: string,
    readonly wsUrl: string,
    readonly marketCodes: readonly string[],
  ) {}

  control<T = unknown>(method: string, ...args: readonly unknown[]): Promise<T> {
    return this.host.call({ op: 'control', simId: this.simId, method, args }) as Promise<T>;
  }

  /** SimControl calls run back to back in the simulator process, with its own timestamps (see SimBatchResult). */
  batch(calls: readonly SimControlCall[]): Promise<SimBatchResult> {
    return this.host.call({ op: 'batch', simId: this.simId, calls }) as Promise<SimBatchResult>;
  }

  close(): Promise<void> {
    return this.host.call({ op: 'close', simId: this.simId }).then(() => undefined);
  }
}

/** The simulator child process: `node dist/sim-runner.js`, talking over IPC. */
export class SimProcess {
  private readonly pending = new Map<number, PendingCall>();
  private nextRequestId = 1;
  private exited = false;

  private constructor(
    private readonly child: ChildProcess,
    readonly available: boolean,
    readonly unavailableReason: string | undefined,
  ) {
    child.on('message', (message: SimResponse) => {
      const call = this.pending.get(message.requestId);
      if (call === undefined) return;
      this.pending.delete(message.requestId);
      if (message.ok) call.resolve(message.result);
      else call.reject(message.notBuilt === true ? new SimNotBuiltError(message.error) : new Error(message.error));
    });
    child.on('exit', (code, signal) => {
      this.exited = true;
      for (const call of this.pending.values()) call.reject(new Error(`simulator process exited (${code ?? signal})`));
      this.pending.clear();
    });
  }

  static async spawn(): Promise<SimProcess> {
    // The child's stdout is forwarded to our stderr so that nothing it prints can reach the table on stdout.
    const child = fork(RUNNER_PATH, [], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
    child.stdout?.pipe(process.stderr);
    const ready = await withDeadline(
      new Promise<SimReady>((resolve, reject) => {
        child.once('message', (message: SimReady) => resolve(message));
        child.once('error', reject);
        child.once('exit', (code) => reject(new Error(`simulator process exited early (${code})`)));
      }),
      RPC_TIMEOUT_MS,
      'simulator process start',
    );
    return new SimProcess(child, ready.available, ready.reason);
  }

  call(body: RequestBody): Promise<unknown> {
    if (this.exited) return Promise.reject(new Error('simulator process has exited'));
    const requestId = this.nextRequestId++;
    const answer = new Promise<unknown>((resolve, reject) => {
      this.pending.set(requestId, { resolve, reject });
    });
    this.child.send({ ...body, requestId } as SimRequest);
    return withDeadline(answer, RPC_TIMEOUT_MS, `simulator ${body.op}`);
  }

  async start(options: SimStartOptions): Promise<RemoteSim> {
    if (!this.available) throw new SimNotBuiltError(this.unavailableReason ?? 'simulator not built');
    const info = (await this.call({ op: 'start', options })) as SimHandleInfo;
    return new RemoteSim(this, info.simId, info.restUrl, info.wsUrl, info.marketCodes);
  }

  usage(): Promise<ProcessUsage> {
    return this.call({ op: 'usage' }) as Promise<ProcessUsage>;
  }

  async shutdown(): Promise<void> {
    if (this.exited) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    try {
      await this.call({ op: 'shutdown' });
      await withDeadline(exited, 5_000, 'simulator process exit');
    } catch {
      if (!this.exited) this.child.kill('SIGKILL');
    }
  }
}

/** Starts a simulator, runs `body`, and closes the simulator whatever happens. */
export async function withSim<T>(
  host: SimProcess,
  options: SimStartOptions,
  body: (sim: RemoteSim) => Promise<T>,
): Promise<T> {
  const sim = await host.start(options);
  try {
    return await body(sim);
  } finally {
    await sim.close().catch(() => undefined);
  }
}
