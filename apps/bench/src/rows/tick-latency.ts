import { startConsumer } from '../clients/stream-consumers.js';
import { LatencyHistogram, type LatencySummary } from '../histogram.js';
import { type BenchSection, COLUMNS, type Column, type DistributionSet, type ResultRow } from '../report/model.js';
import { withSim } from '../sim/sim-client.js';
import { sleepMs } from '../system-clock.js';
import { latencyCell, measureStep, type Outcome, prerequisite, type RowContext } from './context.js';
import { countWindow, settleSimulator } from './stream-load.js';

interface RateRun {
  readonly latency: LatencySummary | undefined;
  readonly handledPerSecond: number;
  readonly negativeSamples: number;
}

const label = (rate: number): string => `${rate / 1000}k`;

/**
 * Row 3: tick → consumer latency at fixed offered rates. The simulator stamps each ticker with its clock
 * (`timestamp` / `tms`, epoch ms); the consumer compares with its own wall clock on receipt. Both processes read
 * the same machine clock, so the figure is real one-way latency at millisecond resolution (Upbit's stamps are whole
 * milliseconds: values carry up to 1 ms of truncation).
 */
export async function runTickLatency(ctx: RowContext, baseRate: Outcome<number>): Promise<BenchSection> {
  const rows: ResultRow[] = [];
  const distributions: DistributionSet[] = [];
  for (const rate of ctx.plan.latencyRates) {
    const runs: Partial<Record<Column, Outcome<RateRun>>> = {};
    for (const column of COLUMNS) {
      runs[column] = await measureStep(ctx, `3 tick→consumer @${label(rate)} msg/s (${column})`, async () => {
        const base = prerequisite('calibration', baseRate);
        await settleSimulator(ctx.sims);
        return withSim(ctx.sims, { rateLimits: false, tradeRateScale: rate / base }, async (sim) => {
          const histogram = new LatencyHistogram();
          let recording = false;
          const consumer = await startConsumer(column, ctx.ours, {
            sim,
            codes: sim.marketCodes,
            onLatency: (stamp, consumedAt) => {
              if (recording) histogram.recordMs(consumedAt - stamp);
            },
          });
          try {
            await sleepMs(ctx.plan.latencyWarmupMs);
            recording = true;
            const window = await countWindow(ctx.sims, sim, consumer.handled, ctx.plan.latencyWindowMs);
            recording = false;
            const failure = consumer.failure();
            if (failure !== undefined) throw failure;
            return {
              latency: histogram.summary(),
              handledPerSecond: window.perSecond,
              negativeSamples: histogram.negativeCount,
            };
          } finally {
            await consumer.stop();
            histogram.destroy();
          }
        });
      });
    }
    const column = (c: Column): Outcome<LatencySummary | undefined> => {
      const run = runs[c];
      if (run === undefined) return { ok: false, reason: 'not measured' };
      return run.ok ? { ok: true, value: run.value.latency } : run;
    };
    const cells = (pick: (s: LatencySummary) => number) => ({
      raw: latencyCell(column('raw'), pick, 'ms'),
      ours: latencyCell(column('ours'), pick, 'ms'),
      ccxt: latencyCell(column('ccxt'), pick, 'ms'),
    });
    const achieved = COLUMNS.map((c) => {
      const run = runs[c];
      return run?.ok ? `${c} handled ${Math.round(run.value.handledPerSecond).toLocaleString('en-US')}/s` : undefined;
    })
      .filter((s) => s !== undefined)
      .join(', ');
    const title = `tick→consumer @${label(rate)} msg/s`;
    rows.push(
      {
        id: `3.${label(rate)}.p50`,
        group: '3',
        title,
        metric: 'p50 latency',
        cells: cells((s) => s.p50Ns),
        ratio: 'lower-better',
        notes: [achieved],
      },
      {
        id: `3.${label(rate)}.p99`,
        group: '3',
        title,
        metric: 'p99 latency',
        cells: cells((s) => s.p99Ns),
        ratio: 'lower-better',
        notes: [],
      },
    );
    const series: Partial<Record<Column, LatencySummary>> = {};
    for (const c of COLUMNS) {
      const col = column(c);
      if (col.ok && col.value !== undefined) series[c] = col.value;
    }
    distributions.push({ panel: `3 tick→consumer @${label(rate)} msg/s`, unit: 'ms', series });
  }
  return { rows, distributions };
}
