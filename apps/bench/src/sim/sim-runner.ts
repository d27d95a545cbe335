/**
 * Child-process entry: hosts simulator instances for the bench so that the simulator's CPU and heap never mix
 * with the measured client's. Driven over Node IPC (see protocol.ts); its stdout is not used for data.
 */
import { epochNowMs } from '../system-clock.js';
import type {
  SimBatchResult,
  SimControlCall,
  SimHandleInfo,
  SimReady,
  SimRequest,
  SimResponse,
  SimStartOptions,
} from './protocol.js';

interface SimLike {
  readonly restUrl: string;
  readonly wsUrl: string;
  readonly control: Record<string, unknown> & { marketCodes(): readonly string[] };
  close(): Promise<void>;
}
type StartFn = (options: Record<string, unknown>) => Promise<SimLike>;

const sims = new Map<number, SimLike>();
let nextSimId = 1;

function send(message: SimResponse | SimReady): void {
  process.send?.(message);
}

async function loadStart(): Promise<{ start?: StartFn; silentLogger?: unknown; reason?: string }> {
  try {
    const sim = (await import('@marketdata/upbit-sim')) as Record<string, unknown>;
    const domain = (await import('@marketdata/domain')) as Record<string, unknown>;
    if (typeof sim.startUpbitSim !== 'function') return { reason: 'startUpbitSim is not exported yet' };
    return { start: sim.startUpbitSim as StartFn, silentLogger: domain.silentLogger };
  } catch (error) {
    return { reason: `cannot import @marketdata/upbit-sim: ${(error as Error).message}` };
  }
}

async function handle(request: SimRequest, start: StartFn, logger: unknown): Promise<unknown> {
  switch (request.op) {
    case 'start': {
      const options: SimStartOptions = request.options;
      const sim = await start({ ...options, logger, adminPort: false });
      const simId = nextSimId++;
      sims.set(simId, sim);
      const info: SimHandleInfo = {
        simId,
        restUrl: sim.restUrl,
        wsUrl: sim.wsUrl,
        marketCodes: sim.control.marketCodes(),
      };
      return info;
    }
    case 'close': {
      const sim = sims.get(request.simId);
      sims.delete(request.simId);
      await sim?.close();
      return null;
    }
    case 'control': {
      const sim = sims.get(request.simId);
      if (sim === undefined) throw new Error(`no simulator ${request.simId}`);
      const method = sim.control[request.method];
      if (typeof method !== 'function') throw new Error(`SimControl has no method ${request.method}`);
      return await (method as (...args: unknown[]) => unknown).apply(sim.control, [...request.args]);
    }
    case 'batch':
      return runBatch(sims.get(request.simId), request.simId, request.calls);
    case 'usage': {
      const cpu = process.cpuUsage();
      return { cpuMicros: cpu.user + cpu.system, rssBytes: process.memoryUsage().rss };
    }
    case 'shutdown': {
      await Promise.allSettled([...sims.values()].map((sim) => sim.close()));
      sims.clear();
      setImmediate(() => process.disconnect?.());
      return null;
    }
  }
}

function controlMethod(sim: SimLike, name: string): (...args: unknown[]) => unknown {
  const method = sim.control[name];
  if (typeof method !== 'function') throw new Error(`SimControl has no method ${name}`);
  return method as (...args: unknown[]) => unknown;
}

/** Runs the calls in order; a synchronous call is never separated from the next by an await. */
async function runBatch(
  sim: SimLike | undefined,
  simId: number,
  calls: readonly SimControlCall[],
): Promise<SimBatchResult> {
  if (sim === undefined) throw new Error(`no simulator ${simId}`);
  const methods = calls.map((call) => controlMethod(sim, call.method));
  const results: unknown[] = [];
  const startedAt = epochNowMs();
  for (const [index, call] of calls.entries()) {
    const result = (methods[index] as (...args: unknown[]) => unknown).apply(sim.control, [...call.args]);
    results.push(result instanceof Promise ? await result : result);
  }
  return { results: results.map((r) => r ?? null), startedAt, finishedAt: epochNowMs() };
}

async function main(): Promise<void> {
  const loaded = await loadStart();
  const { start } = loaded;
  process.on('message', (message: SimRequest) => {
    if (start === undefined) {
      send({ requestId: message.requestId, ok: false, error: loaded.reason ?? 'not built', notBuilt: true });
      return;
    }
    handle(message, start, loaded.silentLogger).then(
      (result) => send({ requestId: message.requestId, ok: true, result: result ?? null }),
      (error: unknown) =>
        send({
          requestId: message.requestId,
          ok: false,
          error: error instanceof Error ? error.message : String(error),
        }),
    );
  });
  // The parent going away (crash, Ctrl-C) must not leave simulators behind.
  process.on('disconnect', () => {
    void Promise.allSettled([...sims.values()].map((sim) => sim.close())).then(() => process.exit(0));
  });
  send(
    start === undefined
      ? { ready: true, available: false, reason: loaded.reason ?? 'not built' }
      : { ready: true, available: true },
  );
}

void main();
