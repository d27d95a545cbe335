import { parseMarketCode } from '@marketdata/domain';
import { type MemorySample, sampleMemory } from '../memory.js';
import { type BenchSection, type Cell, na, notApplicable, value } from '../report/model.js';
import { type RemoteSim, withSim } from '../sim/sim-client.js';
import { monoNowMs, sleepMs } from '../system-clock.js';
import { measureStep, type RowContext, requireBuilt } from './context.js';

/**
 * One fault injected at a point of the soak. Empty for now: the fault schedule of the reliability suite
 * (issue 9: drops every 20 s, stalls, malformed frames, a 429 storm, a 418, a restart) plugs in here.
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

// Memory settles during the first part (JIT, buffers, snapshots); growth is measured after it.
const WARMUP_FRACTION = 0.2;
const EDGE_SAMPLES = 3;

const mean = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);

function growthPercent(samples: readonly MemorySample[], pick: (s: MemorySample) => number): number {
  const first = mean(samples.slice(0, EDGE_SAMPLES).map(pick));
  const last = mean(samples.slice(-EDGE_SAMPLES).map(pick));
  return ((last - first) / first) * 100;
}

/** Streams `markets` symbols through the facade for `seconds`, sampling this process's heap (after GC) and RSS. */
export async function runSoakScenario(ctx: RowContext, scenario: SoakScenario): Promise<SoakResult> {
  return withSim(ctx.sims, { rateLimits: false }, async (sim) => {
    const facade = requireBuilt(ctx.ours.marketData)(sim.restUrl, sim.wsUrl);
    const symbols = sim.marketCodes.slice(0, scenario.markets).map((c) => parseMarketCode(c));
    if (symbols.length < scenario.markets) {
      throw new Error(`simulator has ${symbols.length} markets, the soak needs ${scenario.markets}`);
    }
    let ticks = 0;
    let running = true;
    const iterator = facade.watchTickers(symbols)[Symbol.asyncIterator]();
    const consumer = (async () => {
      while (running) {
        const next = await iterator.next();
        if (next.done === true) return;
        ticks += 1;
      }
    })();
    const pending = [...scenario.faults].sort((a, b) => a.atSeconds - b.atSeconds);
    const applied: string[] = [];
    const samples: MemorySample[] = [];
    const started = monoNowMs();
    const warmupSeconds = scenario.seconds * WARMUP_FRACTION;
    try {
      for (;;) {
        const elapsed = (monoNowMs() - started) / 1000;
        while (pending.length > 0 && (pending[0]?.atSeconds ?? Number.POSITIVE_INFINITY) <= elapsed) {
          const fault = pending.shift() as SoakFault;
          await fault.apply(sim);
          applied.push(`${fault.name}@${fault.atSeconds}s`);
        }
        if (elapsed >= warmupSeconds) samples.push(sampleMemory(elapsed));
        if (elapsed >= scenario.seconds) break;
        await sleepMs(Math.min(scenario.sampleEveryMs, Math.max(1, (scenario.seconds - elapsed) * 1000)));
      }
    } finally {
      running = false;
      await iterator.return?.();
      await facade.close();
      await consumer.catch(() => undefined);
    }
    if (samples.length < 2) throw new Error('soak too short to take two memory samples');
    return {
      samples,
      heapGrowthPercent: growthPercent(samples, (s) => s.heapUsedBytes),
      rssGrowthPercent: growthPercent(samples, (s) => s.rssBytes),
      ticksConsumed: ticks,
      faultsApplied: applied,
    };
  });
}

/** Row 6: soak, no faults (the fault schedule is the reliability suite's; see SoakFault). */
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
  return {
    rows: [
      {
        id: '6.heap',
        group: '6',
        title: `soak ${scenario.seconds}s, ${scenario.markets} markets streaming`,
        metric: 'heap growth (after GC)',
        cells: { raw: only, ours: cell((r) => r.heapGrowthPercent), ccxt: only },
        ratio: 'none',
        notes: outcome.ok
          ? [
              `heap ${mb(first?.heapUsedBytes)} → ${mb(last?.heapUsedBytes)} MB, ${outcome.value.ticksConsumed.toLocaleString('en-US')} ticks consumed via facade watchTickers; first ${WARMUP_FRACTION * 100}% is warm-up`,
            ]
          : [],
      },
      {
        id: '6.rss',
        group: '6',
        title: `soak ${scenario.seconds}s, ${scenario.markets} markets streaming`,
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
