import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { SimCounters, SimMarketState } from '@marketdata/upbit-sim';
import { ComponentMissing, type RowContext, requireBuilt } from '../rows/context.js';
import { withSim } from '../sim/sim-client.js';
import { monoNowMs, sleepMs, withDeadline } from '../system-clock.js';
import { FaultDriver } from './fault-driver.js';
import type { ConsumerReport, FaultChildReady, FaultChildReply, FaultChildRequest } from './protocol.js';
import { buildFaultReport, type FaultScheduleReport, type InjectedFault } from './report.js';
import { planFaultSchedule } from './schedule.js';
import { FAULT_PROFILES, type FaultProfileName } from './websocket-profile.js';

const CHILD_PATH = fileURLToPath(new URL('./fault-child.js', import.meta.url));
const MARKETS = 200;
const SAMPLE_EVERY_MS = 1_000;
const READY_DEADLINE_MS = 30_000;
const RESULT_DEADLINE_MS = 60_000;

interface Deferred<T> {
  readonly promise: Promise<T>;
  resolve(value: T): void;
  reject(error: Error): void;
}

function deferred<T>(): Deferred<T> {
  let resolve: (value: T) => void = () => {};
  let reject: (error: Error) => void = () => {};
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // Awaited later (or never, when the run fails first): not an unhandled rejection meanwhile.
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}

/** The consumer process (fault-child.ts), talking over IPC. */
class ConsumerProcess {
  private readonly child: ChildProcess;
  private readonly ready = deferred<FaultChildReady>();
  private readonly result = deferred<ConsumerReport>();

  constructor() {
    this.child = fork(CHILD_PATH, [], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
    // Nothing the consumer prints may reach the bench's stdout.
    this.child.stdout?.pipe(process.stderr);
    const fail = (error: Error): void => {
      this.ready.reject(error);
      this.result.reject(error);
    };
    this.child.on('message', (message: FaultChildReply) => {
      if (message.type === 'ready') this.ready.resolve(message);
      else if (message.ok) this.result.resolve(message.report);
      else fail(message.notBuilt ? new ComponentMissing(message.error) : new Error(message.error));
    });
    this.child.once('exit', (code, signal) =>
      fail(new Error(`fault-schedule consumer exited (${code ?? signal}) without a result`)),
    );
  }

  send(message: FaultChildRequest): void {
    if (this.child.connected) this.child.send(message);
  }

  whenReady(): Promise<FaultChildReady> {
    return withDeadline(this.ready.promise, READY_DEADLINE_MS, 'fault-schedule consumer start');
  }

  report(): Promise<ConsumerReport> {
    return withDeadline(this.result.promise, RESULT_DEADLINE_MS, 'fault-schedule consumer report');
  }

  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }
}

const market = (code: string) => ({ method: 'market', args: [code] });

/** Each market's trade sequence, from `market(code)` answers in `results` starting at `offset`. */
function sequencesOf(codes: readonly string[], results: readonly unknown[], offset: number): Record<string, number> {
  const states = results.slice(offset) as (SimMarketState | null)[];
  return Object.fromEntries(codes.map((code, i) => [code, states[i]?.lastTradeSeq ?? 0]));
}

/**
 * The fault schedule through our full stack. The simulator runs in the bench's simulator process
 * with Upbit's rate limits; the consumer (facade over our REST and WebSocket adapters) in a process of its own;
 * this process injects the faults and, at the end, freezes every market so that "sent" has a fixed end.
 */
export async function runFaultSchedule(
  ctx: RowContext,
  seconds: number,
  profileName: FaultProfileName = 'default',
): Promise<FaultScheduleReport> {
  requireBuilt(ctx.ours.marketData); // "not built" before starting anything
  const plan = planFaultSchedule(seconds);
  const profile = FAULT_PROFILES[profileName];
  return withSim(ctx.sims, {}, async (sim) => {
    const codes = sim.marketCodes.slice(0, MARKETS);
    const startCounters = (await sim.batch([{ method: 'counters', args: [] }])).results[0] as SimCounters;
    const baseSeqs = sequencesOf(codes, (await sim.batch(codes.map(market))).results, 0);
    const consumer = new ConsumerProcess();
    try {
      consumer.send({
        type: 'start',
        restUrl: sim.restUrl,
        wsUrl: sim.wsUrl,
        codes,
        baseSeqs,
        sampleEveryMs: SAMPLE_EVERY_MS,
        websocket: profile.websocket,
      });
      const ready = await consumer.whenReady();
      if (ready.codesWithTrades < codes.length) {
        throw new Error(`only ${ready.codesWithTrades} of ${codes.length} markets delivered a first trade`);
      }
      const origin = monoNowMs();
      const until = async (atSeconds: number): Promise<void> => {
        const wait = origin + atSeconds * 1000 - monoNowMs();
        if (wait > 0) await sleepMs(wait);
      };
      const driver = new FaultDriver(sim, (message) => consumer.send(message));
      const injected: InjectedFault[] = [];
      await until(plan.warmupSeconds);
      await sim.batch([{ method: 'setMalformedRatio', args: [plan.malformedRatio] }]);
      for (const fault of plan.faults) {
        await until(fault.atSeconds);
        ctx.progress.step(`fault schedule: ${fault.kind} at ${fault.atSeconds} s of ${plan.seconds} s`);
        injected.push(await driver.apply(fault));
      }
      await until(plan.seconds);
      const freeze = codes.map((code) => ({ method: 'freezeMarket', args: [code, true] }));
      const end = await sim.batch([...freeze, ...FaultDriver.endCalls(), ...codes.map(market)]);
      const endCounters = end.results[freeze.length + 1] as SimCounters;
      const endSeqs = sequencesOf(codes, end.results, freeze.length + 2);
      consumer.send({ type: 'finish', endSeqs });
      const report = await consumer.report();
      const delta = (pick: (c: SimCounters) => number): number => pick(endCounters) - pick(startCounters);
      const requestsByGroup: Record<string, number> = {};
      for (const [group, count] of Object.entries(endCounters.requestsByGroup)) {
        requestsByGroup[group] = count - (startCounters.requestsByGroup[group] ?? 0);
      }
      return buildFaultReport({
        plan,
        markets: codes.length,
        profile,
        injected,
        consumer: report,
        server: {
          sent418: delta((c) => c.sent418),
          forced418: driver.forced418Count(endCounters),
          sent429: delta((c) => c.sent429),
          forced429: driver.forced429Count,
          wsConnections: delta((c) => c.wsConnections),
          wsConnectionsRefused: delta((c) => c.wsConnectionsRefused),
          malformedFramesSent: delta((c) => c.malformedFramesSent),
          requestsByGroup,
        },
      });
    } finally {
      consumer.kill();
    }
  });
}
