import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg, platform, totalmem } from 'node:os';
import { join } from 'node:path';
import type { BenchOptions } from '../cli-options.js';
import type { FaultScheduleReport } from '../fault-schedule/report.js';
import type { MemorySample } from '../memory.js';
import type { DistributionSet, ResultRow } from './model.js';

export interface BenchResults {
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly mode: 'quick' | 'full';
  readonly options: {
    readonly soakSeconds: number;
    readonly only: readonly string[];
    readonly scale: number;
    readonly faults: boolean;
    readonly fleet: boolean;
  };
  readonly machine: {
    readonly node: string;
    readonly platform: string;
    readonly cpus: number;
    readonly cpuModel: string;
    readonly totalMemoryMb: number;
    /** The 1-minute load average when the run started and when it ended: how busy the machine was besides. */
    readonly loadAverage1m?: { readonly atStart: number; readonly atEnd: number } | undefined;
  };
  readonly rows: readonly ResultRow[];
  readonly distributions: readonly DistributionSet[];
  readonly soakSamples: readonly MemorySample[];
  /** Components that were not available in this run, with the reason. */
  readonly unavailable: Readonly<Record<string, string>>;
  /** The fault-schedule scenario's report (`--faults`); absent otherwise. */
  readonly faultSchedule?: FaultScheduleReport | undefined;
}

export function describeRun(
  options: BenchOptions,
  startedAt: string,
  finishedAt: string,
  loadAtStart: number,
  body: Pick<BenchResults, 'rows' | 'distributions' | 'soakSamples' | 'unavailable' | 'faultSchedule'>,
): BenchResults {
  const cpuList = cpus();
  return {
    startedAt,
    finishedAt,
    mode: options.quick ? 'quick' : 'full',
    options: {
      soakSeconds: options.soakSeconds,
      only: [...options.only],
      scale: options.scale,
      faults: options.faults,
      fleet: options.fleet,
    },
    machine: {
      node: process.version,
      platform: platform(),
      cpus: cpuList.length,
      cpuModel: cpuList[0]?.model ?? 'unknown',
      totalMemoryMb: Math.round(totalmem() / 1_048_576),
      loadAverage1m: { atStart: loadAtStart, atEnd: loadavg()[0] ?? 0 },
    },
    ...body,
  };
}

/** `<date>` as a file name: ISO time without characters file systems dislike, e.g. 2025-11-25T12-43-07Z. */
export function fileStamp(iso: string): string {
  return iso.replace(/\.\d+Z$/, 'Z').replaceAll(':', '-');
}

export async function writeResults(
  dir: string,
  results: BenchResults,
  svg: string | undefined,
): Promise<{ json: string; svg: string | undefined }> {
  await mkdir(dir, { recursive: true });
  const stamp = fileStamp(results.startedAt);
  const jsonPath = join(dir, `${stamp}.json`);
  await writeFile(jsonPath, `${JSON.stringify(results, null, 2)}\n`);
  let svgPath: string | undefined;
  if (svg !== undefined) {
    svgPath = join(dir, `${stamp}.svg`);
    await writeFile(svgPath, svg);
  }
  return { json: jsonPath, svg: svgPath };
}
