import type { Clock, TimerHandle } from '@marketdata/domain';

/** Runs `task` every `intervalMs` on the clock until the returned function is called. */
export function repeat(clock: Clock, intervalMs: number, task: () => void): () => void {
  let handle: TimerHandle | undefined;
  let stopped = false;
  const schedule = (): void => {
    handle = clock.setTimeout(() => {
      if (stopped) return;
      task();
      schedule();
    }, intervalMs);
  };
  schedule();
  return () => {
    stopped = true;
    clock.clearTimeout(handle);
  };
}

/** Resolves with `promise`'s outcome, or with `'timeout'` once `ms` have passed on the clock. */
export function within<T>(clock: Clock, ms: number, promise: Promise<T>): Promise<T | 'timeout'> {
  return new Promise((resolve, reject) => {
    const handle = clock.setTimeout(() => resolve('timeout'), ms);
    promise.then(
      (value) => {
        clock.clearTimeout(handle);
        resolve(value);
      },
      (error: unknown) => {
        clock.clearTimeout(handle);
        reject(error);
      },
    );
  });
}

/** An AbortSignal that fires after `ms` on the clock, with a cancel for when the work finished first. */
export function deadlineSignal(
  clock: Clock,
  ms: number,
  reason: () => unknown,
): { signal: AbortSignal; cancel(): void } {
  const controller = new AbortController();
  const handle = clock.setTimeout(() => controller.abort(reason()), ms);
  return { signal: controller.signal, cancel: () => clock.clearTimeout(handle) };
}
