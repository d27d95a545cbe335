import { type StreamConsumer, startConsumer } from '../clients/stream-consumers.js';
import { type BenchSection, type Cell, COLUMNS, type Column, na, value } from '../report/model.js';
import { sleepMs } from '../system-clock.js';
import { measureStep, type Outcome, prerequisite, type RowContext } from './context.js';
import { countWindow, settleSimulator, type WindowCount } from './stream-load.js';

/** Offered load: far above what any client here can take, so each one runs at its own ceiling. */
const OFFERED_MSGS_PER_SECOND = 150_000;
/**
 * The simulator cuts off a client whose unsent backlog passes 64 MiB by default; at saturation the backlog grows by
 * (offered - handled) frames per second, so the window needs more room than that (the backlog lives in the
 * simulator's process, not ours).
 */
const SIM_BOUND_SHARE = 0.97;
const BACKLOG_ALLOWANCE_BYTES = 1024 * 1024 * 1024;

/**
 * Row 2: WS ingest ceiling. Every market subscribed, the simulator's trade rate scaled far past saturation; each
 * client gets a fresh simulator and counts what it handled over the window.
 */
export async function runWsIngest(ctx: RowContext, baseRate: Outcome<number>): Promise<BenchSection> {
  const results: Partial<Record<Column, Outcome<WindowCount>>> = {};
  for (const column of COLUMNS) {
    results[column] = await measureStep(ctx, `2 WS ingest ceiling (${column})`, async () => {
      const base = prerequisite('calibration', baseRate);
      const tradeRateScale = OFFERED_MSGS_PER_SECOND / base;
      await settleSimulator(ctx.sims);
      const sim = await ctx.sims.start({
        rateLimits: false,
        tradeRateScale,
        maxBufferedBytes: BACKLOG_ALLOWANCE_BYTES,
      });
      let consumer: StreamConsumer | undefined;
      try {
        consumer = await startConsumer(column, ctx.ours, { sim, codes: sim.marketCodes });
        await sleepMs(ctx.plan.ingestWarmupMs);
        const window = await countWindow(ctx.sims, sim, consumer.handled, ctx.plan.ingestWindowMs);
        const failure = consumer.failure();
        if (failure !== undefined) throw failure;
        return window;
      } finally {
        // The simulator goes first: a graceful client close would wait behind the whole unsent backlog.
        await sim.close().catch(() => undefined);
        await consumer?.stop();
      }
    });
  }
  const cell = (c: Column): Cell => {
    const o = results[c];
    if (o === undefined) return na('not measured');
    return o.ok ? value(o.value.perSecond, 'msg/s') : na(o.reason);
  };
  // A client that handled (nearly) everything the simulator managed to send was limited by the simulator.
  const simNote = COLUMNS.map((c) => {
    const o = results[c];
    if (!o?.ok) return undefined;
    const { perSecond, simFramesPerSecond, simCpuPercent } = o.value;
    const bound = perSecond >= simFramesPerSecond * SIM_BOUND_SHARE ? ' (took all of it)' : '';
    return `${c}: sim sent ${Math.round(simFramesPerSecond).toLocaleString('en-US')}/s at ${Math.round(simCpuPercent)}% CPU${bound}`;
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
          'every market subscribed, offered load far past saturation; a client that took all the sim sent was not at its own ceiling (figure is a floor)',
          'raw: ws + JSON.parse of SIMPLE frames (our adapter’s default format); ours: adapter watchTickers, conflated updates counted as handled; ccxt: watchTickers on DEFAULT frames, handleTicker calls counted',
          simNote,
        ],
      },
    ],
    distributions: [],
  };
}
