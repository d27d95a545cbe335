import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** A full GC before each memory sample, so heap figures show what is retained rather than what is not yet collected. */
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as (() => void) | undefined;

export interface MemorySample {
  /** Seconds since the soak started. */
  readonly atSeconds: number;
  readonly heapUsedBytes: number;
  readonly rssBytes: number;
}

export function sampleMemory(atSeconds: number): MemorySample {
  gc?.();
  const usage = process.memoryUsage();
  return { atSeconds, heapUsedBytes: usage.heapUsed, rssBytes: usage.rss };
}

export const gcAvailable = (): boolean => typeof gc === 'function';
