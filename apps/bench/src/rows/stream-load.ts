import type { ProcessUsage } from '../sim/protocol.js';
import { type RemoteSim, type SimProcess, withSim } from '../sim/sim-client.js';
import { monoNowMs, sleepMs } from '../system-clock.js';

/**
 * Ticker frames per second the simulator emits for all its markets at `tradeRateScale` 1: the sum of every
 * market's configured average trade rate (each trade updates that market's ticker). Rows report the rate they
 * actually saw next to it.
 */
export async function baseTickerRate(sims: SimProcess): Promise<number> {
  return withSim(sims, { rateLimits: false, tradeRateScale: 1 }, async (sim) => {
    const states = await Promise.all(
      sim.marketCodes.map((code) => sim.control<{ readonly tradesPerSecond: number } | undefined>('market', code)),
    );
    const total = states.reduce((sum, state) => sum + (state?.tradesPerSecond ?? 0), 0);
    if (!(total > 0)) throw new Error('the simulator reports no trade rate');
    return total;
  });
}

export interface WindowCount {
  readonly handled: number;
  readonly perSecond: number;
  /** Frames the simulator sent in the window (all connections). */
  readonly simFramesPerSecond: number;
  /** Simulator process CPU in the window, % of one core. */
  readonly simCpuPercent: number;
}

interface Counters {
  readonly framesSent: number;
}

/** Counts `handled()` over a window, with the simulator's own send rate and CPU over the same window. */
export async function countWindow(
  sims: SimProcess,
  sim: RemoteSim,
  handled: () => number,
  windowMs: number,
): Promise<WindowCount> {
  const usageBefore: ProcessUsage = await sims.usage();
  const framesBefore = (await sim.control<Counters>('counters')).framesSent;
  const handledBefore = handled();
  const started = monoNowMs();
  await sleepMs(windowMs);
  const handledAfter = handled();
  const elapsedMs = monoNowMs() - started;
  const framesAfter = (await sim.control<Counters>('counters')).framesSent;
  const usageAfter = await sims.usage();
  const perMs = 1 / elapsedMs;
  return {
    handled: handledAfter - handledBefore,
    perSecond: (handledAfter - handledBefore) * perMs * 1000,
    simFramesPerSecond: (framesAfter - framesBefore) * perMs * 1000,
    simCpuPercent: ((usageAfter.cpuMicros - usageBefore.cpuMicros) / 1000) * perMs * 100,
  };
}

const SETTLE_STEP_MS = 100;
const SETTLE_IDLE_PERCENT = 25;
const SETTLE_LIMIT_MS = 3_000;

/**
 * Waits until the simulator process is nearly idle (a previous saturated run may still be freeing its backlog), so
 * that one row's leftovers do not show up in the next row's tail latency. Gives up after a few seconds.
 */
export async function settleSimulator(sims: SimProcess): Promise<void> {
  const started = monoNowMs();
  let before = await sims.usage();
  while (monoNowMs() - started < SETTLE_LIMIT_MS) {
    const stepStarted = monoNowMs();
    await sleepMs(SETTLE_STEP_MS);
    const after = await sims.usage();
    const cpuPercent = ((after.cpuMicros - before.cpuMicros) / 1000 / (monoNowMs() - stepStarted)) * 100;
    if (cpuPercent < SETTLE_IDLE_PERCENT) return;
    before = after;
  }
}
