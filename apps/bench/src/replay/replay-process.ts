import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { withDeadline } from '../system-clock.js';
import type { ReplayRequest, ReplayResponse, ReplayStarted } from './replay-protocol.js';
import type { ReplayCounters, ReplaySpec } from './replay-server.js';

const CHILD_PATH = fileURLToPath(new URL('./replay-child.js', import.meta.url));
const RPC_TIMEOUT_MS = 15_000;

type RequestBody = ReplayRequest extends infer R ? (R extends ReplayRequest ? Omit<R, 'requestId'> : never) : never;

/** One replay server living in the replay process. */
export interface RemoteReplay {
  readonly url: string;
  counters(): Promise<ReplayCounters>;
  stop(): Promise<void>;
}

/** The replay process (`dist/replay-child.js`), forked once per row and shut down after it. */
export class ReplayProcess {
  private readonly pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  private nextRequestId = 1;
  private exited = false;

  private constructor(private readonly child: ChildProcess) {
    child.on('message', (message: ReplayResponse) => {
      const call = this.pending.get(message.requestId);
      if (call === undefined) return;
      this.pending.delete(message.requestId);
      if (message.ok) call.resolve(message.result);
      else call.reject(new Error(message.error));
    });
    child.on('exit', (code, signal) => {
      this.exited = true;
      for (const call of this.pending.values()) call.reject(new Error(`replay process exited (${code ?? signal})`));
      this.pending.clear();
    });
  }

  static async spawn(): Promise<ReplayProcess> {
    // Its stdout goes to our stderr: nothing it prints can reach the table or the JSON on stdout.
    const child = fork(CHILD_PATH, [], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
    child.stdout?.pipe(process.stderr);
    await withDeadline(
      new Promise<void>((resolve, reject) => {
        child.once('message', () => resolve());
        child.once('error', reject);
        child.once('exit', (code) => reject(new Error(`replay process exited early (${code})`)));
      }),
      RPC_TIMEOUT_MS,
      'replay process start',
    );
    return new ReplayProcess(child);
  }

  async start(spec: ReplaySpec): Promise<RemoteReplay> {
    const { serverId, url } = (await this.call({ op: 'start', spec })) as ReplayStarted;
    return {
      url,
      counters: () => this.call({ op: 'counters', serverId }) as Promise<ReplayCounters>,
      stop: () => this.call({ op: 'stop', serverId }).then(() => undefined),
    };
  }

  async shutdown(): Promise<void> {
    if (this.exited) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    try {
      await this.call({ op: 'shutdown' });
      await withDeadline(exited, 5_000, 'replay process exit');
    } catch {
      if (!this.exited) this.child.kill('SIGKILL');
    }
  }

  private call(body: RequestBody): Promise<unknown> {
    if (this.exited) return Promise.reject(new Error('replay process has exited'));
    const requestId = this.nextRequestId++;
    const answer = new Promise<unknown>((resolve, reject) => this.pending.set(requestId, { resolve, reject }));
    this.child.send({ ...body, requestId } as ReplayRequest);
    return withDeadline(answer, RPC_TIMEOUT_MS, `replay ${body.op}`);
  }
}

/** Runs `body` with a replay process, shut down whatever happens. */
export async function withReplayProcess<T>(body: (replay: ReplayProcess) => Promise<T>): Promise<T> {
  const replay = await ReplayProcess.spawn();
  try {
    return await body(replay);
  } finally {
    await replay.shutdown();
  }
}

/** Starts a replay server, runs `body`, and stops the server whatever happens. */
export async function withReplay<T>(
  host: ReplayProcess,
  spec: ReplaySpec,
  body: (replay: RemoteReplay) => Promise<T>,
): Promise<T> {
  const replay = await host.start(spec);
  try {
    return await body(replay);
  } finally {
    await replay.stop().catch(() => undefined);
  }
}
