import { parseMarketCode, type TickerSource } from '@marketdata/domain';
import { ccxtSymbol, createCcxtUpbit } from '../clients/ccxt-client.js';
import { rawFetchStatus } from '../clients/raw-rest.js';
import { type BenchSection, type Cell, type Column, na, value } from '../report/model.js';
import { type RemoteSim, withSim } from '../sim/sim-client.js';
import { monoNowMs } from '../system-clock.js';
import { measureStep, type Outcome, type RowContext, requireBuilt } from './context.js';

interface SimCountersView {
  readonly requestsByGroup: Readonly<Record<string, number>>;
  readonly sent429: number;
  readonly sent418: number;
}

interface PacingResult {
  /** 429 + 418 answers the simulator sent. */
  readonly limited: number;
  readonly httpRequests: number;
  /** Calls that failed at the caller (any error). */
  readonly callerErrors: number;
  readonly elapsedMs: number;
}

type Client = (sim: RemoteSim) => Promise<{ call(code: string): Promise<unknown>; close(): Promise<void> }>;

const clients: Readonly<Record<Column, (ctx: RowContext) => Client>> = {
  raw: () => async (sim) => ({
    call: async (code) => {
      const status = await rawFetchStatus(sim.restUrl, code);
      if (status !== 200) throw new Error(`HTTP ${status}`);
    },
    close: async () => undefined,
  }),
  ours: (ctx) => async (sim) => {
    const source: TickerSource = requireBuilt(ctx.ours.rest)(sim.restUrl, 'upbit');
    return { call: (code) => source.getTicker(parseMarketCode(code)), close: () => source.close() };
  },
  // ccxt with its own default limiter on, as a user would run it against the real Upbit.
  ccxt: () => async (sim) => {
    const exchange = await createCcxtUpbit({ restUrl: sim.restUrl, wsUrl: sim.wsUrl, enableRateLimit: true });
    return { call: (code) => exchange.fetchTicker(ccxtSymbol(code)), close: () => exchange.close() };
  },
};

async function runScenario(
  ctx: RowContext,
  column: Column,
  schedule: (
    call: (code: string) => Promise<unknown>,
    codes: readonly string[],
  ) => Promise<PromiseSettledResult<unknown>[]>,
  symbolCount: number,
): Promise<PacingResult> {
  // Upbit's default limits (10 req/s per group): a fresh simulator per client so no one inherits another's block.
  return withSim(ctx.sims, {}, async (sim) => {
    const client = await clients[column](ctx)(sim);
    try {
      const codes = sim.marketCodes.filter((c) => c.startsWith('KRW-')).slice(0, symbolCount);
      // ccxt's loadMarkets and similar set-up requests are not part of the scenario.
      await sim.control('resetCounters');
      const started = monoNowMs();
      const settled = await schedule(client.call, codes);
      const elapsedMs = monoNowMs() - started;
      const counters = await sim.control<SimCountersView>('counters');
      return {
        limited: counters.sent429 + counters.sent418,
        httpRequests: counters.requestsByGroup.ticker ?? 0,
        callerErrors: settled.filter((s) => s.status === 'rejected').length,
        elapsedMs,
      };
    } finally {
      await client.close();
    }
  });
}

const burst =
  (calls: number) =>
  (call: (code: string) => Promise<unknown>, codes: readonly string[]): Promise<PromiseSettledResult<unknown>[]> =>
    Promise.allSettled(Array.from({ length: calls }, (_, i) => call(codes[i % codes.length] as string)));

const sequential =
  (calls: number) =>
  async (
    call: (code: string) => Promise<unknown>,
    codes: readonly string[],
  ): Promise<PromiseSettledResult<unknown>[]> => {
    const results: PromiseSettledResult<unknown>[] = [];
    for (let i = 0; i < calls; i++) {
      results.push(...(await Promise.allSettled([call(codes[i % codes.length] as string)])));
    }
    return results;
  };

/** Row P: who respects Upbit's limits. Rate limits ON at the simulator (Upbit defaults). */
export async function runPacing(ctx: RowContext): Promise<BenchSection> {
  const { pacingBurstCalls: burstCalls, pacingBurstSymbols: burstSymbols, pacingSequentialCalls: seqCalls } = ctx.plan;
  const burstOut: Partial<Record<Column, Outcome<PacingResult>>> = {};
  const seqOut: Partial<Record<Column, Outcome<PacingResult>>> = {};
  for (const column of ['raw', 'ours', 'ccxt'] as const) {
    burstOut[column] = await measureStep(ctx, `P pacing burst (${column})`, () =>
      runScenario(ctx, column, burst(burstCalls), burstSymbols),
    );
    seqOut[column] = await measureStep(ctx, `P pacing back-to-back (${column})`, () =>
      runScenario(ctx, column, sequential(seqCalls), seqCalls),
    );
  }
  const cells = (
    outcomes: Partial<Record<Column, Outcome<PacingResult>>>,
    pick: (r: PacingResult) => Cell,
  ): Record<Column, Cell> => {
    const one = (c: Column): Cell => {
      const o = outcomes[c];
      if (o === undefined) return na('not measured');
      return o.ok ? pick(o.value) : na(o.reason);
    };
    return { raw: one('raw'), ours: one('ours'), ccxt: one('ccxt') };
  };
  const errorsNote = (outcomes: Partial<Record<Column, Outcome<PacingResult>>>): string =>
    (['raw', 'ours', 'ccxt'] as const)
      .map((c) => {
        const o = outcomes[c];
        return o?.ok
          ? `${c} ${o.value.callerErrors} failed calls, ${(o.value.elapsedMs / 1000).toFixed(1)} s`
          : undefined;
      })
      .filter((s) => s !== undefined)
      .join('; ');
  const burstTitle = `REST pacing, ${burstCalls} concurrent calls / ${burstSymbols} symbols`;
  const seqTitle = `REST pacing, ${seqCalls} back-to-back calls`;
  return {
    rows: [
      {
        id: 'P.burst.limited',
        group: 'P',
        title: burstTitle,
        metric: '429+418 answers',
        cells: cells(burstOut, (r) => value(r.limited, 'count')),
        ratio: 'none',
        notes: ['simulator rate limits ON (Upbit defaults); ccxt with its default limiter', errorsNote(burstOut)],
      },
      {
        id: 'P.burst.requests',
        group: 'P',
        title: burstTitle,
        metric: 'HTTP requests sent',
        cells: cells(burstOut, (r) => value(r.httpRequests, 'count')),
        ratio: 'none',
        notes: [],
      },
      {
        id: 'P.seq.limited',
        group: 'P',
        title: seqTitle,
        metric: '429+418 answers',
        cells: cells(seqOut, (r) => value(r.limited, 'count')),
        ratio: 'none',
        notes: [errorsNote(seqOut)],
      },
    ],
    distributions: [],
  };
}
