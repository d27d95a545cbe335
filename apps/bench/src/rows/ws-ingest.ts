import { startConsumer } from '../clients/stream-consumers.js';
import { type BenchSection, type Cell, COLUMNS, type Column, na, value } from '../report/model.js';
import { withSim } from '../sim/sim-client.js';
import { sleepMs } from '../system-clock.js';
import { measureStep, type Outcome, prerequisite, type RowContext } from './context.js';
import { countWindow, type WindowCount } from './stream-load.js';

/** Offered load: far above what any client here can take, so each one runs at its own ceiling. */
const OFFERED_MSGS_PER_SECOND = 150_000;
/**
 * The simulator cuts off a client whose unsent backlog passes 64 MiB by default; at saturation the backlog grows by
 * (offered - handled) frames per second, so the window needs more room than that (the backlog lives in the
 * simulator's process, not ours).
 */
const BACKLOG_ALLOWANCE_BYTES = 1024 * 1024 * 1024;

/**
 * Row 2: WS ingest ceiling. Every market subscribed, the simulator's trade rate scaled far past saturation; each
 * client gets a fresh simulator and counts what it handled over the window.
 */
export async function runWsIngest(
  ctx: RowContext,
  baseRate: Outcome<number>,
): Promise<BenchSection & { readonly rawWindow: Outcome<WindowCount> | undefined }> {
  const results: Partial<Record<Column, Outcome<WindowCount>>> = {};
  for (const column of COLUMNS) {
    results[column] = await measureStep(ctx, `2 WS ingest ceiling (${column})`, async () => {
      const base = prerequisite('calibration', baseRate);
      const tradeRateScale = OFFERED_MSGS_PER_SECOND / base;
      return withSim(ctx.sims, { rateLimits: false, tradeRateScale, maxBufferedBytes: BACKLOG_ALLOWANCE_BYTES }, async (sim) => {
        const consumer = await startConsumer(column, ctx.ours, { sim, codes: sim.marketCodes });
        try {
          await sleepMs(ctx.plan.ingestWarmupMs);
          const window = await countWindow(ctx.sims, sim, consumer.handled, ctx.plan.ingestWindowMs);
          const failure = consumer.failure();
          if (failure !== undefined) throw failure;
          return window;
        } finally {
          await consumer.stop();
        }
      });
    });
  }
  const cell = (c: Column): Cell => {
    const o = results[c];
    if (o === undefined) return na('not measured');
    return o.ok ? value(o.value.perSecond, 'msg/s') : na(o.reason);
  };
  const simNote = COLUMNS.map((c) => {
    const o = results[c];
    return o?.ok
      ? `${c}: sim sent ${Math.round(o.value.simFramesPerSecond).toLocaleString('en-US')}/s at ${Math.round(o.value.simCpuPercent)}% CPU`
      : undefined;
  })
    .filter((s) => s !== undefined)
    .join('; ');
  return {
    rows: [
      {
        id: '2.ceiling',
        group: '2',
        title: 'WS ingest ceiling',
        metric: 'messages handled/s',
        cells: { raw: cell('raw'), ours: cell('ours'), ccxt: cell('ccxt') },
        ratio: 'higher-better',
        notes: [
          'every market subscribed, trade rate scaled past saturation; a client at the sim send rate is sim-bound',
          simNote,
        ],
      },
    ],
    distributions: [],
    rawWindow: results.raw,
  };
}
