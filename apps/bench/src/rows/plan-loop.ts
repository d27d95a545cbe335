import { LatencyHistogram, type LatencySummary } from '../histogram.js';
import { type BenchSection, type Cell, na, notApplicable, value } from '../report/model.js';
import { withSim } from '../sim/sim-client.js';
import { monoNowNs } from '../system-clock.js';
import { measureStep, type Outcome, type RowContext, requireBuilt } from './context.js';

const CODE = 'KRW-BTC';
/** The original plan's target for a REST getTicker, average. */
const PLAN_TARGET_MS = 100;

interface LoopRun {
  readonly latency: LatencySummary;
  readonly sources: Readonly<Record<string, number>>;
  readonly requests: number;
  readonly limited: number;
}

interface SimCountersView {
  readonly requestsByGroup: Readonly<Record<string, number>>;
  readonly sent429: number;
  readonly sent418: number;
}

/**
 * Row L: the plan's own benchmark loop, as a user coming from the Python plan would write it: sequential
 * `getTicker('KRW-BTC', { source: 'rest' })` through the facade as shipped (default settings, the adapter's pacing
 * at Upbit's 10 requests/s), against the simulator with Upbit's limits ON. Every call is a REST request, so the
 * figures include the wait for the group's budget: that is the price of never drawing a 429, and it is stated so.
 */
export async function runPlanLoop(ctx: RowContext): Promise<BenchSection> {
  const calls = ctx.plan.planLoopCalls;
  const ours = await measureStep(ctx, `L plan loop: ${calls} x getTicker(source rest), limits on`, () =>
    withSim(ctx.sims, {}, async (sim) => {
      const facade = requireBuilt(ctx.ours.marketData)(sim.restUrl, sim.wsUrl);
      try {
        await sim.control('resetCounters');
        const histogram = new LatencyHistogram();
        const sources: Record<string, number> = {};
        try {
          for (let i = 0; i < calls; i++) {
            const started = monoNowNs();
            const ticker = await facade.getTicker(CODE, { source: 'rest' });
            histogram.recordNs(Number(monoNowNs() - started));
            sources[ticker.source] = (sources[ticker.source] ?? 0) + 1;
          }
          const latency = histogram.summary();
          if (latency === undefined) throw new Error('no samples');
          const counters = await sim.control<SimCountersView>('counters');
          return {
            latency,
            sources,
            requests: counters.requestsByGroup.ticker ?? 0,
            limited: counters.sent429 + counters.sent418,
          } satisfies LoopRun;
        } finally {
          histogram.destroy();
        }
      } finally {
        await facade.close();
      }
    }),
  );
  const cell = (pick: (run: LoopRun) => number): Cell => (ours.ok ? value(pick(ours.value), 'ms') : na(ours.reason));
  const raw = notApplicable('the plan loop measures our facade against the plan target; row 1 has the baselines');
  const ccxt = notApplicable('the plan loop measures our facade against the plan target; row 1 has ccxt');
  const verdict = (run: Outcome<LoopRun>): string => {
    if (!run.ok) return '';
    const mean = run.value.latency.meanNs / 1e6;
    return `ours ${mean < PLAN_TARGET_MS ? 'meets' : 'misses'} the plan's < ${PLAN_TARGET_MS} ms average`;
  };
  const detail = ours.ok
    ? `; ${ours.value.requests} ticker requests, ${ours.value.limited} answered 429/418; served by ${Object.entries(
        ours.value.sources,
      )
        .map(([source, n]) => `${source} ${n}`)
        .join(', ')}`
    : '';
  const title = `plan loop: ${calls} sequential getTicker(${CODE}, source rest)`;
  return {
    rows: [
      {
        id: 'L.mean',
        group: 'L',
        title,
        metric: 'average latency (pacing included)',
        cells: { raw, ours: cell((run) => run.latency.meanNs / 1e6), ccxt },
        ratio: 'none',
        notes: [
          `simulator limits ON (Upbit's 10 req/s per group); the facade as shipped, whose REST adapter waits for the ` +
            `group's budget before each request: the wait is part of every figure${detail}`,
          `plan target: average < ${PLAN_TARGET_MS} ms; ${verdict(ours)}`,
        ],
      },
      {
        id: 'L.p50',
        group: 'L',
        title,
        metric: 'p50 latency (pacing included)',
        cells: { raw, ours: cell((run) => run.latency.p50Ns / 1e6), ccxt },
        ratio: 'none',
        notes: [],
      },
    ],
    distributions: [],
  };
}
