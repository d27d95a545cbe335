import { parseMarketCode, type TickerSource } from '@marketdata/domain';
import { ccxtSymbol, createCcxtUpbit } from '../clients/ccxt-client.js';
import { rawFetchTicker } from '../clients/raw-rest.js';
import { LatencyHistogram, type LatencySummary } from '../histogram.js';
import type { BenchSection, Column } from '../report/model.js';
import { withSim } from '../sim/sim-client.js';
import { monoNowNs } from '../system-clock.js';
import { attempt, latencyCell, missing, type Outcome, type RowContext, requireBuilt } from './context.js';

const CODE = 'KRW-BTC';

type Call = () => Promise<unknown>;

/**
 * Row 1: REST getTicker latency, one call at a time. The three clients take turns call by call, so machine noise
 * (two cores shared with everything else) hits all three alike.
 */
export async function runRestLatency(ctx: RowContext): Promise<BenchSection> {
  ctx.progress.step('1 REST getTicker: raw fetch vs ours vs ccxt');
  const outcome = await attempt(() =>
    withSim(ctx.sims, { rateLimits: false }, async (sim) => {
      const calls: Partial<Record<Column, Call>> = {};
      const setup: Partial<Record<Column, Outcome<never>>> = {};
      calls.raw = () => rawFetchTicker(sim.restUrl, CODE);

      let ours: TickerSource | undefined;
      const oursSetup = await attempt(async () => requireBuilt(ctx.ours.rest)(sim.restUrl, 'lifted'));
      if (oursSetup.ok) {
        ours = oursSetup.value;
        const symbol = parseMarketCode(CODE);
        calls.ours = () => (ours as TickerSource).getTicker(symbol);
      } else setup.ours = missing(oursSetup.reason);

      const ccxtSetup = await attempt(() =>
        createCcxtUpbit({ restUrl: sim.restUrl, wsUrl: sim.wsUrl, enableRateLimit: false }),
      );
      if (ccxtSetup.ok) calls.ccxt = () => ccxtSetup.value.fetchTicker(ccxtSymbol(CODE));
      else setup.ccxt = missing(ccxtSetup.reason);

      try {
        return { setup, summaries: await interleave(calls, ctx.plan.restWarmup, ctx.plan.restIterations) };
      } finally {
        await ours?.close();
        if (ccxtSetup.ok) await ccxtSetup.value.close();
      }
    }),
  );
  ctx.progress.finishStep();

  const column = (c: Column): Outcome<LatencySummary | undefined> => {
    if (!outcome.ok) return outcome;
    const failed = outcome.value.setup[c] ?? outcome.value.summaries.failures[c];
    if (failed !== undefined) return failed;
    return { ok: true, value: outcome.value.summaries.latency[c] };
  };
  const cells = (pick: (s: LatencySummary) => number) => ({
    raw: latencyCell(column('raw'), pick, 'ms'),
    ours: latencyCell(column('ours'), pick, 'ms'),
    ccxt: latencyCell(column('ccxt'), pick, 'ms'),
  });
  const notes = [
    `${CODE}, sequential calls; simulator limits off, ours with client pacing lifted, ccxt enableRateLimit false`,
    'ours sends at once when no ticker request is out (leading-edge batcher: only calls made while one is out wait, and go together in the next request)',
  ];
  const series: Partial<Record<Column, LatencySummary>> = {};
  for (const c of ['raw', 'ours', 'ccxt'] as const) {
    const col = column(c);
    if (col.ok && col.value !== undefined) series[c] = col.value;
  }
  return {
    rows: [
      {
        id: '1.p50',
        group: '1',
        title: 'REST getTicker',
        metric: 'p50 latency',
        cells: cells((s) => s.p50Ns),
        ratio: 'lower-better',
        notes,
      },
      {
        id: '1.p99',
        group: '1',
        title: 'REST getTicker',
        metric: 'p99 latency',
        cells: cells((s) => s.p99Ns),
        ratio: 'lower-better',
        notes: [],
      },
    ],
    distributions: [{ panel: '1 REST getTicker', unit: 'ms', series }],
  };
}

interface Interleaved {
  readonly latency: Partial<Record<Column, LatencySummary>>;
  readonly failures: Partial<Record<Column, Outcome<never>>>;
}

async function interleave(
  calls: Partial<Record<Column, Call>>,
  warmup: number,
  iterations: number,
): Promise<Interleaved> {
  const active = new Map<Column, Call>(Object.entries(calls) as [Column, Call][]);
  const histograms = new Map<Column, LatencyHistogram>([...active.keys()].map((c) => [c, new LatencyHistogram()]));
  const failures: Partial<Record<Column, Outcome<never>>> = {};
  for (let i = 0; i < warmup + iterations; i++) {
    for (const [column, call] of active) {
      const started = monoNowNs();
      try {
        await call();
      } catch (error) {
        // One failed call ends that column: a latency of failures would be meaningless.
        failures[column] = missing(`failed: ${(error as Error).message.split('\n')[0]}`);
        active.delete(column);
        continue;
      }
      if (i >= warmup) histograms.get(column)?.recordNs(Number(monoNowNs() - started));
    }
  }
  const latency: Partial<Record<Column, LatencySummary>> = {};
  for (const [column, histogram] of histograms) {
    const summary = histogram.summary();
    if (summary !== undefined && failures[column] === undefined) latency[column] = summary;
    histogram.destroy();
  }
  return { latency, failures };
}
