/** An opaque timer handle returned by `Clock.setTimeout`. */
export interface TimerHandle {
  readonly id: number;
}

/**
 * Every source of time goes through this port, timers included, so tests drive time with a fake clock.
 * `now()` is wall time (can jump); `monotonic()` only moves forward and is what durations are measured with.
 */
export interface Clock {
  /** Wall-clock epoch milliseconds. */
  now(): number;
  /** Monotonic milliseconds (arbitrary origin, sub-millisecond resolution where available). */
  monotonic(): number;
  /** Runs `callback` once after `delayMs` milliseconds. */
  setTimeout(callback: () => void, delayMs: number): TimerHandle;
  /** Cancels a timer; undefined or an already fired handle is ignored. */
  clearTimeout(handle: TimerHandle | undefined): void;
}

/** Resolves after `delayMs` on the given clock; rejects with the signal's reason when aborted. */
export function sleep(clock: Clock, delayMs: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clock.clearTimeout(handle);
      reject(signal?.reason);
    };
    const handle = clock.setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, delayMs);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
