import type { BenchOptions } from './cli-options.js';

/** How long / how many of everything, by mode. Quick mode keeps the whole run under a minute. */
export interface BenchPlan {
  readonly restWarmup: number;
  readonly restIterations: number;
  readonly pacingBurstCalls: number;
  readonly pacingBurstSymbols: number;
  readonly pacingSequentialCalls: number;
  /** Row L, the plan's loop: sequential REST getTicker calls through the facade, limits on (about 10 per second). */
  readonly planLoopCalls: number;
  readonly ingestWarmupMs: number;
  readonly ingestWindowMs: number;
  /** Row 2: windows per client per case; raw and ours take turns window by window (ccxt gets one window). */
  readonly ingestRounds: number;
  readonly latencyRates: readonly number[];
  readonly latencyWarmupMs: number;
  readonly latencyWindowMs: number;
  readonly hotIterations: number;
  readonly deviationSamples: number;
  readonly soakSeconds: number;
  readonly soakMarkets: number;
  readonly soakSampleEveryMs: number;
  /** Seconds per measurement of the simulator's own throughput script. */
  readonly simSpeedSeconds: number;
  /** Fleet row (--fleet): offered ticker rates, the warm-up and window of each fan-out, the side-by-side's length. */
  readonly fleetRates: readonly number[];
  readonly fleetWarmupMs: number;
  readonly fleetWindowMs: number;
  /** How long after a window its records may still arrive and count as delivered. */
  readonly fleetDrainMs: number;
  readonly fleetWorkloadSeconds: number;
  /** Seconds the chart row keeps its 20 tabs open. */
  readonly chartSeconds: number;
}

export function planFor(options: BenchOptions): BenchPlan {
  const s = options.scale;
  const count = (n: number): number => Math.max(5, Math.round(n * s));
  const ms = (n: number): number => Math.max(200, Math.round(n * s));
  const quick = options.quick;
  return {
    restWarmup: count(quick ? 30 : 200),
    restIterations: count(quick ? 300 : 3_000),
    pacingBurstCalls: quick ? 20 : 200,
    pacingBurstSymbols: quick ? 10 : 50,
    pacingSequentialCalls: quick ? 12 : 40,
    // The plan's loop is 100 calls; paced at Upbit's 10/s that is ten seconds, too long for a quick run.
    planLoopCalls: count(quick ? 20 : 100),
    ingestWarmupMs: ms(quick ? 150 : 1_000),
    ingestWindowMs: ms(quick ? 100 : 500),
    ingestRounds: quick ? 7 : 15,
    latencyRates: [1_000, 10_000, 20_000],
    latencyWarmupMs: ms(quick ? 250 : 1_000),
    latencyWindowMs: ms(quick ? 600 : 5_000),
    hotIterations: count(quick ? 20_000 : 200_000),
    deviationSamples: count(quick ? 20 : 200),
    soakSeconds: options.soakSeconds, // explicit, never scaled
    soakMarkets: 200,
    // At least ten samples, however short the soak.
    soakSampleEveryMs: Math.min(quick ? 500 : 1_000, (options.soakSeconds * 1000) / 10),
    simSpeedSeconds: Math.max(0.5, (quick ? 0.5 : 5) * s),
    fleetRates: [5_000, 20_000],
    fleetWarmupMs: ms(quick ? 500 : 1_000),
    fleetWindowMs: ms(quick ? 1_500 : 4_000),
    fleetDrainMs: 1_000,
    fleetWorkloadSeconds: Math.max(2, Math.round((quick ? 4 : 8) * s)),
    chartSeconds: Math.max(5, Math.round((quick ? 10 : 60) * s)),
  };
}
