import type { MemorySample } from '../memory.js';
import type { DelayFigures } from './delivery-delay.js';
import { STALE_LABEL_LIMIT_MS } from './fault-observer.js';
import type { ConsumerReport, FaultObservation, QualitySummary, RecordedGap, TickAccount } from './protocol.js';
import { type FaultKind, type FaultPlan, FEED_FAULTS } from './schedule.js';
import type { FaultProfile } from './websocket-profile.js';

/** The reliability report, printed by the bench and written into the results JSON. */

export const LIMITS = {
  accountedPercent: 99.9,
  deliveredPercent: 99.9,
  recoveryMs: 1_000,
  staleLabelMs: STALE_LABEL_LIMIT_MS,
  heapGrowthPercent: 5,
} as const;

/** What the simulator counted over the run, with the forced answers told apart from those our traffic earned. */
export interface ServerCounts {
  readonly sent418: number;
  /** 418s the schedule forced and that were served (the forced one is answered to the next order book request). */
  readonly forced418: number;
  readonly sent429: number;
  /** 429s of the storm: every ticker request between its start and end, counted atomically by the simulator. */
  readonly forced429: number;
  readonly wsConnections: number;
  readonly wsConnectionsRefused: number;
  readonly malformedFramesSent: number;
  readonly requestsByGroup: Readonly<Record<string, number>>;
}

export interface InjectedFault {
  readonly id: number;
  readonly kind: FaultKind;
  /** Seconds since the consumer was ready. */
  readonly atSeconds: number;
  readonly startedAt: number;
  readonly reachableAt: number;
  readonly detail: string;
}

export interface FaultOutcome extends FaultObservation {
  readonly atSeconds: number;
  /** `recoveredAt - reachableAt`: from the server being reachable again to the feed delivering again. */
  readonly recoveryMs: number | undefined;
  readonly restResumedMs: number | undefined;
}

export interface Spread {
  readonly count: number;
  readonly p50Ms: number | undefined;
  readonly maxMs: number | undefined;
}

export interface Threshold {
  readonly id: 'ticks' | 'delivered' | 'recovery' | 'quality' | 'stale-labelled' | 'own-418' | 'own-429' | 'heap';
  readonly label: string;
  readonly limit: string;
  readonly value: string;
  readonly pass: boolean;
}

export interface HeapFigures {
  /** Mean heap after GC once every kind of fault had happened once (see FaultPlan.steadyFromSeconds). */
  readonly baselineBytes: number | undefined;
  readonly endBytes: number | undefined;
  /** Steady-state growth, baseline to end: the figure the threshold applies to. */
  readonly growthPercent: number | undefined;
  /** Before any fault (end of warm-up), for comparison: includes what the first faults allocate for good. */
  readonly warmupBytes: number | undefined;
  readonly growthSinceWarmupPercent: number | undefined;
  readonly baselineWindow: string;
  readonly endWindow: string;
  readonly gcForced: boolean;
  readonly samples: readonly MemorySample[];
}

export interface FaultScheduleReport {
  readonly seconds: number;
  readonly warmupSeconds: number;
  readonly cooldownSeconds: number;
  readonly markets: number;
  readonly malformedRatio: number;
  readonly profile: FaultProfile;
  readonly injected: readonly InjectedFault[];
  readonly faultCounts: Readonly<Record<string, number>>;
  readonly ticks: TickAccount & {
    readonly deliveredPercent: number;
    readonly deliveredOrGapPercent: number;
    readonly accountedPercent: number;
  };
  readonly gaps: {
    readonly count: number;
    readonly totalMs: number;
    readonly longestMs: number;
    readonly list: readonly RecordedGap[];
  };
  readonly faults: readonly FaultOutcome[];
  readonly recovery: Readonly<Partial<Record<FaultKind, Spread>>>;
  /** From a feed fault's start to the first ticker handed out below high, per kind. */
  readonly labelled: Readonly<Partial<Record<FaultKind, Spread>>>;
  readonly restResumed: Readonly<Partial<Record<FaultKind, Spread & { readonly notResumed: number }>>>;
  readonly quality: QualitySummary;
  readonly server: ServerCounts & { readonly own418: number; readonly own429: number };
  readonly errors: ConsumerReport['errors'];
  readonly delivery: ConsumerReport['delivery'];
  readonly calls: ConsumerReport['calls'];
  readonly heap: HeapFigures;
  readonly thresholds: readonly Threshold[];
  readonly passed: boolean;
}

const percent = (part: number, whole: number): number => (whole === 0 ? 0 : (part / whole) * 100);

function spread(values: readonly number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  const p50 = sorted[Math.max(0, Math.ceil(sorted.length / 2) - 1)];
  return { count: sorted.length, p50Ms: p50, maxMs: sorted.at(-1) };
}

const mean = (values: readonly number[]): number | undefined =>
  values.length === 0 ? undefined : values.reduce((a, b) => a + b, 0) / values.length;

const growth = (from: number | undefined, to: number | undefined): number | undefined =>
  from === undefined || to === undefined ? undefined : ((to - from) / from) * 100;

/**
 * Heap after a forced GC, as means of three samples: once every kind of fault has happened once and recovered
 * (the steady state; before that, the first drop, stall, storm, 418 and restart each allocate for good) against the
 * last three samples of the fault-free cool-down. The end of the warm-up, before any fault, is kept for comparison.
 */
export function heapFigures(samples: readonly MemorySample[], plan: FaultPlan, gcForced: boolean): HeapFigures {
  const edge = 3;
  const warmup = mean(
    samples
      .filter((s) => s.atSeconds <= plan.warmupSeconds)
      .slice(-edge)
      .map((s) => s.heapUsedBytes),
  );
  const steady = samples.filter((s) => s.atSeconds >= plan.steadyFromSeconds);
  // The end window must not overlap the baseline window.
  const enough = steady.length >= 2 * edge;
  const baseline = enough ? mean(steady.slice(0, edge).map((s) => s.heapUsedBytes)) : undefined;
  const end = mean(samples.slice(-edge).map((s) => s.heapUsedBytes));
  return {
    baselineBytes: baseline,
    endBytes: end,
    growthPercent: growth(baseline, end),
    warmupBytes: warmup,
    growthSinceWarmupPercent: growth(warmup, end),
    baselineWindow: `${edge} samples from ${plan.steadyFromSeconds} s, when every kind of fault had happened once`,
    endWindow: `the last ${edge} of the ${plan.cooldownSeconds} s cool-down`,
    gcForced,
    samples,
  };
}

function outcomes(
  observations: readonly FaultObservation[],
  injected: readonly InjectedFault[],
): readonly FaultOutcome[] {
  return observations.map((o) => {
    const at = injected.find((i) => i.id === o.id)?.atSeconds ?? Number.NaN;
    const reachable = o.reachableAt;
    return {
      ...o,
      atSeconds: at,
      recoveryMs:
        reachable === undefined || o.recoveredAt === undefined ? undefined : Math.max(0, o.recoveredAt - reachable),
      restResumedMs: reachable === undefined || o.restResumedAt === undefined ? undefined : o.restResumedAt - reachable,
    };
  });
}

function thresholds(report: Omit<FaultScheduleReport, 'thresholds' | 'passed'>): Threshold[] {
  const ticks = report.ticks;
  const feed = report.faults.filter((f) => FEED_FAULTS.includes(f.kind));
  const unrecovered = feed.filter((f) => f.recoveryMs === undefined || !f.gapRecorded);
  const worst = Math.max(...feed.map((f) => f.recoveryMs ?? Number.POSITIVE_INFINITY));
  const q = report.quality;
  const heap = report.heap.growthPercent;
  return [
    {
      id: 'ticks',
      label: 'trades delivered, in a recorded gap, or lost to a reported malformed frame',
      limit: `>= ${LIMITS.accountedPercent}%`,
      value: `${ticks.accountedPercent.toFixed(3)}% of ${ticks.sent}`,
      pass: ticks.sent > 0 && ticks.accountedPercent >= LIMITS.accountedPercent,
    },
    {
      id: 'delivered',
      label: 'trades delivered (streamed, or backfilled from REST after a gap or an unusable frame)',
      limit: `>= ${LIMITS.deliveredPercent}%`,
      value: `${ticks.deliveredPercent.toFixed(3)}% of ${ticks.sent}`,
      pass: ticks.sent > 0 && ticks.deliveredPercent >= LIMITS.deliveredPercent && ticks.outOfOrder === 0,
    },
    {
      id: 'recovery',
      label: 'feed back after the server is reachable again (every drop, stall, restart)',
      limit: `< ${LIMITS.recoveryMs} ms`,
      value:
        feed.length === 0
          ? 'no feed fault'
          : `max ${Number.isFinite(worst) ? `${Math.round(worst)} ms` : 'never'}${unrecovered.length > 0 ? `, ${unrecovered.length} without a recorded recovery` : ''}`,
      pass: feed.length > 0 && unrecovered.length === 0 && worst < LIMITS.recoveryMs,
    },
    {
      id: 'quality',
      label: 'tickers served high from a dead feed the adapter knew was dead',
      limit: '0',
      value: `${q.highFromDeadFeed} of ${q.deadFeedSamples} samples`,
      pass: q.deadFeedSamples > 0 && q.highFromDeadFeed === 0 && q.overwrittenBeforeJudged === 0,
    },
    {
      id: 'stale-labelled',
      label: `tickers served high from a dead feed ${LIMITS.staleLabelMs / 1000} s or more into the fault (noticed or not)`,
      limit: '0',
      value: `${q.highAfterStaleLimit}`,
      pass: q.deadFeedSamples > 0 && q.highAfterStaleLimit === 0,
    },
    {
      id: 'own-418',
      label: '418s caused by our traffic (sent minus forced; the forced one must have been served)',
      limit: '0',
      value: `${report.server.own418} (sent ${report.server.sent418}, forced ${report.server.forced418})`,
      pass: report.server.own418 === 0 && report.server.forced418 === 1,
    },
    {
      id: 'own-429',
      label: '429s caused by our traffic (sent minus those the storm forced)',
      limit: '0',
      value: `${report.server.own429} (sent ${report.server.sent429}, forced ${report.server.forced429})`,
      pass: report.server.own429 === 0,
    },
    {
      id: 'heap',
      label: 'heap growth after GC in the steady state (every fault kind seen once) to the end of cool-down',
      limit: `< ${LIMITS.heapGrowthPercent}%`,
      value: heap === undefined ? 'not measured' : `${heap.toFixed(2)}%`,
      pass: heap !== undefined && heap < LIMITS.heapGrowthPercent,
    },
  ];
}

export function buildFaultReport(input: {
  readonly plan: FaultPlan;
  readonly markets: number;
  readonly profile: FaultProfile;
  readonly injected: readonly InjectedFault[];
  readonly server: ServerCounts;
  readonly consumer: ConsumerReport;
}): FaultScheduleReport {
  const { plan, consumer, injected, server } = input;
  const ticks = consumer.ticks;
  const faults = outcomes(consumer.faults, injected);
  const faultCounts: Record<string, number> = {};
  for (const fault of injected) faultCounts[fault.kind] = (faultCounts[fault.kind] ?? 0) + 1;
  const recovery: Partial<Record<FaultKind, Spread>> = {};
  const labelled: Partial<Record<FaultKind, Spread>> = {};
  const restResumed: Partial<Record<FaultKind, Spread & { notResumed: number }>> = {};
  for (const kind of new Set(faults.map((f) => f.kind))) {
    const ofKind = faults.filter((f) => f.kind === kind);
    if (FEED_FAULTS.includes(kind)) {
      recovery[kind] = spread(ofKind.flatMap((f) => (f.recoveryMs === undefined ? [] : [f.recoveryMs])));
      labelled[kind] = spread(ofKind.flatMap((f) => (f.labelledAfterMs === undefined ? [] : [f.labelledAfterMs])));
    }
    if (kind !== 'drop' && kind !== 'stall') {
      const resumed = ofKind.flatMap((f) => (f.restResumedMs === undefined ? [] : [f.restResumedMs]));
      restResumed[kind] = { ...spread(resumed), notResumed: ofKind.length - resumed.length };
    }
  }
  const lengths = consumer.gaps.map((g) => (g.endedAt ?? g.startedAt) - g.startedAt);
  const body: Omit<FaultScheduleReport, 'thresholds' | 'passed'> = {
    seconds: plan.seconds,
    warmupSeconds: plan.warmupSeconds,
    cooldownSeconds: plan.cooldownSeconds,
    markets: input.markets,
    malformedRatio: plan.malformedRatio,
    profile: input.profile,
    injected,
    faultCounts,
    ticks: {
      ...ticks,
      deliveredPercent: percent(ticks.delivered, ticks.sent),
      deliveredOrGapPercent: percent(ticks.delivered + ticks.inGap, ticks.sent),
      accountedPercent: percent(ticks.delivered + ticks.inGap + ticks.malformedReported, ticks.sent),
    },
    gaps: {
      count: consumer.gaps.length,
      totalMs: lengths.reduce((a, b) => a + b, 0),
      longestMs: Math.max(0, ...lengths),
      list: consumer.gaps,
    },
    faults,
    recovery,
    labelled,
    restResumed,
    quality: consumer.quality,
    server: { ...server, own418: server.sent418 - server.forced418, own429: server.sent429 - server.forced429 },
    errors: consumer.errors,
    delivery: consumer.delivery,
    calls: consumer.calls,
    heap: heapFigures(consumer.samples, plan, consumer.gcForced),
  };
  const checks = thresholds(body);
  return { ...body, thresholds: checks, passed: checks.every((t) => t.pass) };
}

const int = (n: number): string => Math.round(n).toLocaleString('en-US');
const ms = (n: number | undefined): string => (n === undefined ? '—' : `${int(n)} ms`);
const seconds = (n: number | undefined): string => (n === undefined ? '—' : `${(n / 1000).toFixed(1)} s`);
const mb = (bytes: number | undefined): string => (bytes === undefined ? '—' : (bytes / 1_048_576).toFixed(1));
const signed = (p: number | undefined): string =>
  p === undefined ? 'not measured' : `${p >= 0 ? '+' : ''}${p.toFixed(2)}%`;

const delay = (d: DelayFigures): string =>
  d.count === 0
    ? 'none'
    : `mean ${ms(d.meanMs)} / max ${ms(d.maxMs)} (${int(d.overOneSecond)} over 1 s, ${int(d.overFiveSeconds)} over 5 s)`;

const KIND_LABELS: Readonly<Record<FaultKind, string>> = {
  drop: 'drop',
  stall: 'stall',
  restart: 'restart',
  'rate-limit-storm': '429 storm',
  'forced-418': 'forced 418',
};

function byKind(record: Readonly<Record<string, number>>): string {
  const entries = Object.entries(record).filter(([, n]) => n > 0);
  return entries.length === 0 ? 'none' : entries.map(([k, n]) => `${k} ${int(n)}`).join(', ');
}

/** The short report the bench prints. */
export function renderFaultReport(r: FaultScheduleReport): string {
  const t = r.ticks;
  const injected = r.injected.map((f) => `${KIND_LABELS[f.kind]} @${f.atSeconds}s${f.detail ? ` (${f.detail})` : ''}`);
  const recovery = Object.entries(r.recovery).map(
    ([kind, s]) => `${KIND_LABELS[kind as FaultKind]} p50 ${ms(s.p50Ms)} / max ${ms(s.maxMs)} (${s.count})`,
  );
  const rest = Object.entries(r.restResumed).map(
    ([kind, s]) =>
      `after ${KIND_LABELS[kind as FaultKind]} ${s.count > 0 ? `p50 ${seconds(s.p50Ms)} / max ${seconds(s.maxMs)}` : ''}` +
      `${s.notResumed > 0 ? `${s.count > 0 ? ', ' : ''}${s.notResumed} not within the run` : ''}`,
  );
  const q = r.quality;
  const labelled = Object.entries(r.labelled).map(
    ([kind, s]) => `${KIND_LABELS[kind as FaultKind]} p50 ${ms(s.p50Ms)} / max ${ms(s.maxMs)} (${s.count})`,
  );
  const lines = [
    `Fault schedule: ${r.seconds} s, ${r.markets} markets, simulator in its own process with Upbit's rate limits; ` +
      `warm-up ${r.warmupSeconds} s, cool-down ${r.cooldownSeconds} s; profile ${r.profile.name} ` +
      `(${r.profile.description})`,
    `Faults injected (${r.injected.length}): ${injected.join(', ')}; malformed frames ${r.malformedRatio * 100}% ` +
      `from the end of warm-up (${int(r.server.malformedFramesSent)} sent)`,
    `Ticks (trades by per-symbol sequence): sent ${int(t.sent)}, delivered ${int(t.delivered)} ` +
      `(${t.deliveredPercent.toFixed(2)}%), in a recorded gap ${int(t.inGap)}, lost to a reported malformed frame ` +
      `${int(t.malformedReported)}, unexplained ${int(t.unexplained)} → ${t.accountedPercent.toFixed(3)}% accounted ` +
      `(delivered or in a gap: ${t.deliveredOrGapPercent.toFixed(3)}%)`,
    `Gaps: ${r.gaps.count} recorded, ${seconds(r.gaps.totalMs)} in total, longest ${seconds(r.gaps.longestMs)}`,
    `Recovery after the server is reachable again: ${recovery.join('; ') || 'none'}`,
    `Labelled below high after a feed fault began: ${labelled.join('; ') || 'none'}`,
    `Backfill: ${int(r.errors.backfilledTrades)} trades delivered from REST after the stream missed them, ` +
      `${r.errors.backfillsAbandoned} recoveries given up; streamed trades held back from arrival to hand-out ` +
      `${delay(r.delivery.streamed)}; backfilled trades from trade time to hand-out ${delay(r.delivery.backfilled)}`,
    `REST answering again: ${rest.join('; ') || 'no REST fault'}`,
    `Quality: ${int(q.deadFeedSamples)} tickers handed out while a feed was dead, ${q.highFromDeadFeed} of them high ` +
      `from the dead feed (besides: ${q.highBeforeNoticed} high before the adapter noticed, ` +
      `${q.highFromRestDuringFaults} high fresh from REST; ${q.highAfterStaleLimit} high from the dead feed ` +
      `${LIMITS.staleLabelMs / 1000} s or more into a fault); ${int(q.samples)} samples in all`,
    `418s: ${r.server.sent418} sent, ${r.server.forced418} forced → ${r.server.own418} caused by our traffic; ` +
      `429s: ${r.server.sent429} sent, ${r.server.forced429} forced → ${r.server.own429} caused by our traffic`,
    `Errors by kind: facade ${byKind(r.errors.facade)}; our calls ${byKind(r.errors.calls)}; malformed frames ` +
      `${byKind(r.errors.malformedByKind)}; reconnects ${r.errors.reconnects}`,
    `Heap after GC: ${mb(r.heap.baselineBytes)} → ${mb(r.heap.endBytes)} MB (${signed(r.heap.growthPercent)}; ` +
      `${r.heap.baselineWindow} vs ${r.heap.endWindow}); before the first fault ${mb(r.heap.warmupBytes)} MB ` +
      `(${signed(r.heap.growthSinceWarmupPercent)} to the end)`,
    ...r.thresholds.map((c) => `${c.pass ? 'PASS' : 'FAIL'} ${c.label}: ${c.value} (limit ${c.limit})`),
    ...t.unexplainedExamples.map((e) => `  unexplained: ${e}`),
    ...q.examples.map((e) => `  high from a dead feed: ${e}`),
  ];
  return `${lines.join('\n')}\n`;
}
