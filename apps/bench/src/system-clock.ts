import { performance } from 'node:perf_hooks';

/**
 * The bench's only source of time. Everything else asks this file, so the measuring code stays free of direct
 * Date.now()/performance.now()/setTimeout calls.
 */

/** Wall-clock epoch milliseconds with sub-millisecond resolution (performance.timeOrigin + now()). */
export function wallNowMs(): number {
  return performance.timeOrigin + performance.now();
}

/**
 * Epoch milliseconds from `Date.now()`: the wall clock every process on this machine shares, and the one the
 * simulator and our adapters stamp frames, gaps and faults with. Use it to compare times across processes.
 */
export function epochNowMs(): number {
  return Date.now();
}

/** Monotonic nanoseconds, for measuring durations. */
export function monoNowNs(): bigint {
  return process.hrtime.bigint();
}

/** CPU time this process has used (user + system, all threads), in milliseconds. */
export function processCpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

/** Monotonic milliseconds (fractional). */
export function monoNowMs(): number {
  return performance.now();
}

export function sleepMs(ms: number): Promise<void> {
  return new Promise((resolve) => {
    setTimeout(resolve, ms);
  });
}

/** Rejects with an Error naming `what` when `promise` does not settle within `ms`. */
export async function withDeadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let handle: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    handle = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(handle);
  }
}

/** Runs `callback` after `ms` unless the process has exited by then (the timer does not keep it alive). */
export function unrefTimeout(ms: number, callback: () => void): void {
  setTimeout(callback, ms).unref();
}

/** Calls `callback` once after `ms` unless the returned function is called first. */
export function afterMs(ms: number, callback: () => void): () => void {
  const handle = setTimeout(callback, ms);
  return () => clearTimeout(handle);
}

/** Calls `callback` every `ms` until the returned function is called. */
export function everyMs(ms: number, callback: () => void): () => void {
  const handle = setInterval(callback, ms);
  return () => clearInterval(handle);
}
