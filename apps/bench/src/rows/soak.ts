import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { MemorySample } from '../memory.js';
import { type BenchSection, type Cell, na, notApplicable, value } from '../report/model.js';
import { type RemoteSim, withSim } from '../sim/sim-client.js';
import type { SoakReply, SoakRequest } from '../soak/soak-protocol.js';
import { monoNowMs, sleepMs, withDeadline } from '../system-clock.js';
import { ComponentMissing, measureStep, type RowContext, requireBuilt } from './context.js';

const SOAK_CHILD = fileURLToPath(new URL('./soak-child.js', import.meta.url));

/**
 * One fault injected at a point of the soak, applied by this process to the simulator while the soak process
 * streams. Row 6 schedules none: it measures memory under clean load. The reliability suite's fault schedule
 * (drops every 20 s, 5 s stalls, 1% malformed frames, a 429 storm, a 418, a restart) is a mode of its own,
 * `--faults` (src/fault-schedule), because it needs its own consumer (trade accounting, quality sampling, REST
 * probing) and its own report and thresholds.
 */
export interface SoakFault {
  readonly atSeconds: number;
  readonly name: string;
  apply(sim: RemoteSim): Promise<void>;
}

export interface SoakScenario {
  readonly seconds: number;
  readonly markets: number;
  readonly sampleEveryMs: number;
  readonly faults: readonly SoakFault[];
}

export interface SoakResult {
  readonly samples: readonly MemorySample[];
  readonly heapGrowthPercent: number;
  readonly rssGrowthPercent: number;
  readonly ticksConsumed: number;
  readonly faultsApplied: readonly string[];
}

const WARMUP_FRACTION = 0.2;
// Growth compares the mean of the first and of the last few samples, so one GC-timing outlier does not decide it.
const EDGE_SAMPLES = 3;

const mean = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);

function growthPercent(samples: readonly MemorySample[], pick: (s: MemorySample) => number): number {
  const edge = Math.max(1, Math.min(EDGE_SAMPLES, Math.floor(samples.length / 2)));
  const first = mean(samples.slice(0, edge).map(pick));
  const last = mean(samples.slice(-edge).map(pick));
  return ((last - first) / first) * 100;
}

function runSoakProcess(request: SoakRequest): Promise<Extract<SoakReply, { ok: true }>> {
  const child = fork(SOAK_CHILD, [], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
  child.stdout?.pipe(process.stderr);
  const reply = new Promise<SoakReply>((resolve, reject) => {
    child.once('message', (message: SoakReply) => resolve(message));
    child.once('exit', (code) => reject(new Error(`soak process exited (${code}) without a result`)));
  });
  child.send(request);
  return withDeadline(reply, (request.seconds + 60) * 1000, 'soak process').then(
    (message) => {
      if (message.ok) return message;
      if (message.notBuilt) throw new ComponentMissing(message.error);
      throw new Error(message.error);
    },
    (error: unknown) => {
      if (child.exitCode === null) child.kill('SIGKILL');
      throw error;
    },
  );
}

/** Streams `markets` symbols through the facade in a process of its own, injecting the scenario's faults. */
export async function runSoakScenario(ctx: RowContext, scenario: SoakScenario): Promise<SoakResult> {
  requireBuilt(ctx.ours.marketData); // fail fast with "not built" before starting anything
  return withSim(ctx.sims, { rateLimits: false }, async (sim) => {
    const codes = sim.marketCodes.slice(0, scenario.markets);
    if (codes.length < scenario.markets) {
      throw new Error(`simulator has ${codes.length} markets, the soak needs ${scenario.markets}`);
    }
    const result = runSoakProcess({
      restUrl: sim.restUrl,
      wsUrl: sim.wsUrl,
      codes,
      seconds: scenario.seconds,
      sampleEveryMs: scenario.sampleEveryMs,
      warmupSeconds: scenario.seconds * WARMUP_FRACTION,
    });
    const applied: string[] = [];
    const started = monoNowMs();
    let finished = false;
    const markFinished = (): void => {
      finished = true;
    };
    result.then(markFinished, markFinished);
    for (const fault of [...scenario.faults].sort((a, b) => a.atSeconds - b.atSeconds)) {
      const wait = fault.atSeconds * 1000 - (monoNowMs() - started);
      if (wait > 0) await sleepMs(wait);
      if (finished) break;
      await fault.apply(sim);
      applied.push(`${fault.name}@${fault.atSeconds}s`);
    }
    const reply = await result;
    if (reply.samples.length < 2) throw new Error('soak too short to take two memory samples');
    return {
      samples: reply.samples,
      heapGrowthPercent: growthPercent(reply.samples, (s) => s.heapUsedBytes),
      rssGrowthPercent: growthPercent(reply.samples, (s) => s.rssBytes),
      ticksConsumed: reply.ticks,
      faultsApplied: applied,
    };
  });
}

/** Row 6: soak without faults (the fault schedule is `--faults`; see SoakFault). */
export async function runSoak(ctx: RowContext): Promise<BenchSection & { readonly soak: SoakResult | undefined }> {
  const scenario: SoakScenario = {
    seconds: ctx.plan.soakSeconds,
    markets: ctx.plan.soakMarkets,
    sampleEveryMs: ctx.plan.soakSampleEveryMs,
    faults: [],
  };
  const outcome = await measureStep(ctx, `6 soak ${scenario.seconds}s, ${scenario.markets} markets (ours)`, () =>
    runSoakScenario(ctx, scenario),
  );
  const only = notApplicable('the soak runs our stack only');
  const cell = (pick: (r: SoakResult) => number): Cell =>
    outcome.ok ? value(pick(outcome.value), '%') : na(outcome.reason);
  const first = outcome.ok ? outcome.value.samples[0] : undefined;
  const last = outcome.ok ? outcome.value.samples.at(-1) : undefined;
  const mb = (bytes: number | undefined): string => ((bytes ?? 0) / 1_048_576).toFixed(1);
  const title = `soak ${scenario.seconds}s, ${scenario.markets} markets streaming`;
  return {
    rows: [
      {
        id: '6.heap',
        group: '6',
        title,
        metric: 'heap growth (after GC)',
        cells: { raw: only, ours: cell((r) => r.heapGrowthPercent), ccxt: only },
        ratio: 'none',
        notes: outcome.ok
          ? [
              `own process; heap ${mb(first?.heapUsedBytes)} → ${mb(last?.heapUsedBytes)} MB; ${outcome.value.ticksConsumed.toLocaleString('en-US')} ticks via facade watchTickers; first ${WARMUP_FRACTION * 100}% is warm-up`,
            ]
          : [],
      },
      {
        id: '6.rss',
        group: '6',
        title,
        metric: 'RSS growth',
        cells: { raw: only, ours: cell((r) => r.rssGrowthPercent), ccxt: only },
        ratio: 'none',
        notes: outcome.ok ? [`RSS ${mb(first?.rssBytes)} → ${mb(last?.rssBytes)} MB`] : [],
      },
    ],
    distributions: [],
    soak: outcome.ok ? outcome.value : undefined,
  };
}
