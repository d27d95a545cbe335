import hdr from 'hdr-histogram-js';
import type { LatencySummary } from '../histogram.js';
import type { RowContext } from '../rows/context.js';
import { type RemoteSim, withSim } from '../sim/sim-client.js';
import { sleepMs, wallNowMs } from '../system-clock.js';
import { type BenchGateway, FleetChild, startBenchGateway } from './fleet-run.js';

/** The fleet row's measurements (rows/fleet.ts turns them into rows). */

export const LATE_JOIN_MARKETS = 250;
export const SIDE_BY_SIDE_PROCESSES = 8;
const CHILD_TIMEOUT_MS = 60_000;

export interface FanOut {
  readonly deliveredPercent: number;
  readonly latency: LatencySummary | undefined;
  readonly published: number;
  readonly negativeSamples: number;
  /** Messages lost on the way (sequence gaps), all consumers together. */
  readonly lost: number;
}

export interface SideBySide {
  readonly connections: number;
  readonly maxConnectsPerSecond: number;
  readonly refusals: number;
  readonly tickersFailed: number;
  readonly firstError: string | undefined;
}

function summarize(histogram: hdr.Histogram): LatencySummary | undefined {
  if (histogram.totalCount === 0) return undefined;
  const at = (p: number): number => histogram.getValueAtPercentile(p);
  return {
    count: histogram.totalCount,
    meanNs: histogram.mean,
    p50Ns: at(50),
    p90Ns: at(90),
    p99Ns: at(99),
    maxNs: histogram.maxValue,
    distribution: [0, 25, 50, 75, 90, 99, 99.9, 100].map((percentile) => ({ percentile, valueNs: at(percentile) })),
  };
}

export async function fanOut(
  ctx: RowContext,
  natsUrl: string,
  sim: RemoteSim,
  gateway: BenchGateway,
  consumers: number,
) {
  const children = Array.from({ length: consumers }, () => FleetChild.spawn());
  const merged = hdr.build({ numberOfSignificantValueDigits: 3, useWebAssembly: false });
  try {
    await Promise.all(
      children.map((child) =>
        child.request({ op: 'stream', natsUrl, codes: sim.marketCodes }, 'ready', CHILD_TIMEOUT_MS),
      ),
    );
    await sleepMs(ctx.plan.fleetWarmupMs);
    // The window is in the gateway's receive time; its records are counted wherever they arrive, until the drain ends.
    const fromMs = wallNowMs();
    const toMs = fromMs + ctx.plan.fleetWindowMs;
    gateway.openWindow(fromMs, toMs);
    for (const child of children) child.send({ op: 'window-start', fromMs, toMs });
    await sleepMs(ctx.plan.fleetWindowMs + ctx.plan.fleetDrainMs);
    const published = gateway.windowCount();
    const windows = await Promise.all(
      children.map((child) => child.request({ op: 'window-stop' }, 'window', CHILD_TIMEOUT_MS)),
    );
    let received = 0;
    let negativeSamples = 0;
    let lost = 0;
    for (const window of windows) {
      received += window.received;
      negativeSamples += window.negativeSamples;
      lost += window.lost;
      const histogram = hdr.decodeFromCompressedBase64(window.histogram, 32, false);
      merged.add(histogram);
      histogram.destroy();
    }
    if (published === 0) throw new Error('the gateway published nothing in the window');
    const result: FanOut = {
      deliveredPercent: (received / (consumers * published)) * 100,
      latency: summarize(merged),
      published,
      negativeSamples,
      lost,
    };
    return result;
  } finally {
    merged.destroy();
    for (const child of children) child.kill();
  }
}

export async function lateJoin(natsUrl: string, sim: RemoteSim): Promise<{ ms: number; replayed: number }> {
  const child = FleetChild.spawn();
  try {
    const codes = sim.marketCodes.slice(0, LATE_JOIN_MARKETS);
    if (codes.length < LATE_JOIN_MARKETS) throw new Error(`the simulator has ${codes.length} markets`);
    return await child.request({ op: 'late-join', natsUrl, codes }, 'late-join', CHILD_TIMEOUT_MS);
  } finally {
    child.kill();
  }
}

interface SimCounters {
  readonly wsConnections: number;
  readonly maxWsConnectsPerSecond: number;
  readonly sent429: number;
  readonly sent418: number;
}

export async function sideBySide(ctx: RowContext, natsUrl: string, via: 'direct' | 'fleet'): Promise<SideBySide> {
  // Upbit's limits on (rateLimits left to the simulator's defaults): a fresh simulator, so its counters are this run's.
  return withSim(ctx.sims, {}, async (sim) => {
    const gateway = via === 'fleet' ? await startBenchGateway(natsUrl, sim.restUrl, sim.wsUrl) : undefined;
    const children = Array.from({ length: SIDE_BY_SIDE_PROCESSES }, () => FleetChild.spawn());
    try {
      const seconds = ctx.plan.fleetWorkloadSeconds;
      const replies = await Promise.all(
        children.map((child, index) => {
          const offset = index * 30;
          return child.request(
            {
              op: 'workload',
              via,
              natsUrl,
              restUrl: sim.restUrl,
              wsUrl: sim.wsUrl,
              watch: sim.marketCodes.slice(offset, offset + 20),
              tickers: sim.marketCodes.slice(offset, offset + 50),
              rate: 5,
              seconds,
            },
            'workload',
            CHILD_TIMEOUT_MS + seconds * 1_000,
          );
        }),
      );
      const counters = await sim.control<SimCounters>('counters');
      return {
        connections: counters.wsConnections,
        maxConnectsPerSecond: counters.maxWsConnectsPerSecond,
        refusals: counters.sent429 + counters.sent418,
        tickersFailed: replies.reduce((sum, reply) => sum + reply.tickersFailed, 0),
        firstError: replies.find((reply) => reply.firstError !== undefined)?.firstError,
      };
    } finally {
      for (const child of children) child.kill();
      await gateway?.close();
    }
  });
}
