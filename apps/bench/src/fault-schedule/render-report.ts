import type { DelayFigures } from './delivery-delay.js';
import { type FaultScheduleReport, LIMITS } from './report.js';
import type { FaultKind } from './schedule.js';

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
