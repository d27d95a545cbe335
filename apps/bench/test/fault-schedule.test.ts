import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FaultScheduleReport } from '../src/fault-schedule/report.js';
import { FEED_FAULTS, planFaultSchedule } from '../src/fault-schedule/schedule.js';
import type { BenchResults } from '../src/report/results-file.js';

/**
 * The fault schedule, the CI version: the built bench runs the 60-second schedule (simulator in one process, our
 * stack with its DEFAULT settings in another, faults from the bench) and every threshold is checked on what it
 * measured. The thresholds are about correctness; the timing figures (recovery < 1 s, stale labelled within 3 s) are
 * measured from the simulator's own instants, and printed below with the whole report.
 */

const BENCH = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const SECONDS = 60;

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function runBench(args: readonly string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BENCH, ...args], { maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, stdout, stderr });
    });
  });
}

describe(`fault schedule, ${SECONDS} s (pnpm bench --faults --soak ${SECONDS})`, () => {
  let outDir: string | undefined;
  let run: Run;
  let results: BenchResults;
  let report: FaultScheduleReport;

  beforeAll(async () => {
    outDir = await mkdtemp(join(tmpdir(), 'bench-faults-'));
    run = await runBench(['--faults', '--soak', String(SECONDS), '--out', outDir]);
    const file = (await readdir(outDir)).find((name) => name.endsWith('.json'));
    if (file === undefined) throw new Error(`no results file (exit ${run.code}):\n${run.stderr}`);
    results = JSON.parse(await readFile(join(outDir, file), 'utf8')) as BenchResults;
    if (results.faultSchedule === undefined) throw new Error(`no fault schedule in the results:\n${run.stderr}`);
    report = results.faultSchedule;
    // The report as the bench printed it, in the test output.
    console.log(run.stdout);
  }, 240_000);

  afterAll(async () => {
    if (outDir !== undefined) await rm(outDir, { recursive: true, force: true });
  });

  it('ran the whole schedule against the simulator with the default settings and printed the report', () => {
    expect([0, 3], run.stderr).toContain(run.code);
    expect(results.unavailable).toEqual({});
    expect(report.profile.name).toBe('default');
    expect(report.profile.websocket).toBeUndefined();
    const planned = planFaultSchedule(SECONDS).faults.map((f) => `${f.kind}@${f.atSeconds}`);
    expect(report.injected.map((f) => `${f.kind}@${f.atSeconds}`)).toEqual(planned);
    expect(report.server.malformedFramesSent).toBeGreaterThan(0);
    for (const heading of [
      'Faults injected',
      'Ticks',
      'Gaps',
      'Recovery',
      'Labelled below high',
      'Backfill',
      'Quality',
      '418s',
      'Errors by kind',
      'Heap',
    ]) {
      expect(run.stdout).toContain(heading);
    }
    // Exit code 3 exactly when a threshold was not met.
    expect(run.code).toBe(report.passed ? 0 : 3);
  });

  it('accounts for at least 99.9% of the simulator trades by per-symbol sequence', () => {
    const t = report.ticks;
    expect(t.sent).toBeGreaterThan(5_000);
    expect(t.delivered + t.inGap + t.malformedReported + t.unexplained).toBe(t.sent);
    // The faults did take trades away from the stream (recovered from REST, or accounted for by gaps and reported
    // malformed frames where they could not be).
    expect(report.errors.backfilledTrades + t.inGap + t.malformedReported).toBeGreaterThan(0);
    expect(t.outOfOrder).toBe(0);
    expect(t.accountedPercent, t.unexplainedExamples.join('\n')).toBeGreaterThanOrEqual(99.9);
  });

  it('delivers at least 99.9% of the simulator trades, in order, the missed ones backfilled from REST', () => {
    const t = report.ticks;
    expect(report.errors.backfilledTrades).toBeGreaterThan(0);
    expect(t.outOfOrder).toBe(0);
    expect(t.deliveredPercent, t.unexplainedExamples.join('\n')).toBeGreaterThanOrEqual(99.9);
  });

  it('has the feed back within 1 s of the server being reachable again, after every drop, stall and restart', () => {
    const feed = report.faults.filter((f) => FEED_FAULTS.includes(f.kind));
    expect(feed.length).toBe(report.injected.filter((f) => FEED_FAULTS.includes(f.kind)).length);
    const figures = feed.map(
      (f) => `${f.kind}@${f.atSeconds}s: ${f.recoveryMs === undefined ? 'never' : `${f.recoveryMs} ms`}`,
    );
    console.log(`recovery after the server was reachable again: ${figures.join(', ')}`);
    for (const fault of feed) {
      expect(fault.gapRecorded, `${fault.kind}@${fault.atSeconds}s recorded as a gap`).toBe(true);
      expect(fault.recoveryMs, `${fault.kind}@${fault.atSeconds}s recovered`).toBeDefined();
      expect(fault.recoveryMs, `${fault.kind}@${fault.atSeconds}s`).toBeLessThan(1_000);
    }
  });

  it('hands out nothing as high quality from a feed it knows is dead', () => {
    const q = report.quality;
    expect(q.deadFeedSamples).toBeGreaterThan(0);
    expect(q.overwrittenBeforeJudged).toBe(0);
    expect(q.highFromDeadFeed, q.examples.join('\n')).toBe(0);
  });

  it('labels a dead feed below high within 3 s, noticed by the adapter or not', () => {
    expect(report.quality.highAfterStaleLimit, report.quality.examples.join('\n')).toBe(0);
  });

  it('earns no 418 or 429 of its own: the simulator sent exactly the ones it was told to force', () => {
    expect(report.server.forced418).toBe(1);
    expect(report.server.own418).toBe(0);
    expect(report.server.own429).toBe(0);
  });

  it('keeps the heap flat: under 5% growth after GC from the steady state (every fault kind seen once) to the end', () => {
    const heap = report.heap;
    expect(heap.gcForced).toBe(true);
    expect(heap.growthPercent).toBeDefined();
    expect(heap.growthPercent).toBeLessThan(5);
  });
});
