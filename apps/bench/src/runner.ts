import { loadavg } from 'node:os';
import type { BenchOptions, RowKey } from './cli-options.js';
import { loadOurs } from './clients/ours.js';
import type { FaultScheduleReport } from './fault-schedule/report.js';
import { runFaultSchedule } from './fault-schedule/run-fault-schedule.js';
import type { MemorySample } from './memory.js';
import { planFor } from './plan.js';
import { Progress } from './progress.js';
import type { DistributionSet, ResultRow } from './report/model.js';
import { type BenchResults, describeRun } from './report/results-file.js';
import { runChartViewer } from './rows/chart-viewer.js';
import { measureStep, type Outcome, type RowContext } from './rows/context.js';
import { runFleet } from './rows/fleet.js';
import { runHotGetTicker } from './rows/hot-get-ticker.js';
import { runPacing } from './rows/pacing.js';
import { runPlanLoop } from './rows/plan-loop.js';
import { runReplayIngest } from './rows/replay-ingest.js';
import { runRestLatency } from './rows/rest-latency.js';
import { runRouting } from './rows/routing.js';
import { runSimSpeed } from './rows/sim-speed.js';
import { runSoak } from './rows/soak.js';
import { baseTickerRate } from './rows/stream-load.js';
import { targetsSection } from './rows/targets.js';
import { runTickLatency } from './rows/tick-latency.js';
import { SimProcess } from './sim/sim-client.js';
import { wallNowMs } from './system-clock.js';

/** The fleet rows' steps: 3 fan-outs per rate, the late joiner, the two side-by-side runs. */
const FLEET_STEPS = 3 * 2 + 1 + 2;

/** Progress steps per row, so the bar knows its length up front. */
const STEPS: Readonly<Record<RowKey, number>> = {
  rest: 1,
  pacing: 6,
  loop: 1,
  ingest: 3,
  latency: 9,
  hot: 2,
  routing: 3,
  soak: 1,
  targets: 0,
  sim: 1,
};

export async function runBench(options: BenchOptions): Promise<BenchResults> {
  const startedAt = new Date(wallNowMs()).toISOString();
  const loadAtStart = loadavg()[0] ?? 0;
  const selected = (key: RowKey): boolean => options.only.has(key);
  const needsCalibration = selected('latency') || options.fleet;
  const totalSteps =
    [...options.only].reduce((sum, key) => sum + STEPS[key], 0) +
    (needsCalibration ? 1 : 0) +
    (options.faults ? 1 : 0) +
    (options.fleet ? FLEET_STEPS : 0) +
    (options.chart ? 1 : 0);
  const progress = new Progress(totalSteps);
  const ours = await loadOurs();
  const sims = await SimProcess.spawn();
  const ctx: RowContext = { sims, ours, plan: planFor(options), progress };
  const rows: ResultRow[] = [];
  const distributions: DistributionSet[] = [];
  let soakSamples: readonly MemorySample[] = [];
  let faultSchedule: FaultScheduleReport | undefined;
  const add = (section: { rows: readonly ResultRow[]; distributions: readonly DistributionSet[] }): void => {
    rows.push(...section.rows);
    distributions.push(...section.distributions);
  };
  try {
    if (selected('rest')) add(await runRestLatency(ctx));
    if (selected('pacing')) add(await runPacing(ctx));
    if (selected('loop')) add(await runPlanLoop(ctx));
    let baseRate: Outcome<number> = { ok: false, reason: 'not measured' };
    if (needsCalibration) {
      baseRate = await measureStep(ctx, 'reading the simulator trade rates', () => baseTickerRate(sims));
    }
    if (selected('ingest')) add(await runReplayIngest(ctx));
    if (selected('latency')) add(await runTickLatency(ctx, baseRate));
    if (selected('hot')) add(await runHotGetTicker(ctx));
    if (selected('routing')) add(await runRouting(ctx));
    if (selected('soak')) {
      const soak = await runSoak(ctx);
      soakSamples = soak.soak?.samples ?? [];
      add(soak);
    }
    if (selected('targets')) add(targetsSection({ rows, distributions }));
    if (selected('sim')) add(await runSimSpeed(ctx));
    if (options.fleet) add(await runFleet(ctx, baseRate));
    if (options.chart) add(await runChartViewer(ctx, ctx.plan.chartSeconds));
    if (options.faults) {
      // Not a table row: a scenario with a report and thresholds of its own. A failure to run it fails the bench.
      progress.step(`fault schedule ${options.soakSeconds} s (${options.faultsProfile} settings)`);
      faultSchedule = await runFaultSchedule(ctx, options.soakSeconds, options.faultsProfile);
      progress.finishStep();
    }
  } finally {
    await sims.shutdown();
  }
  progress.finish();
  const unavailable: Record<string, string> = {};
  if (!sims.available) unavailable['@marketdata/upbit-sim'] = sims.unavailableReason ?? 'not built';
  for (const [name, component] of Object.entries(ours)) {
    if (component.reason !== undefined) unavailable[name] = component.reason;
  }
  return describeRun(options, startedAt, new Date(wallNowMs()).toISOString(), loadAtStart, {
    rows,
    distributions,
    soakSamples,
    unavailable,
    faultSchedule,
  });
}
