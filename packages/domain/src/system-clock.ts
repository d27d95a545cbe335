import type { Clock, TimerHandle } from './ports/clock.js';

/** Options of `createSystemClock`. */
export interface SystemClockOptions {
  /**
   * Let the process exit while timers are pending (`timer.unref()`). Off by default: a pending `sleep` must keep
   * the process alive, or awaiting code would be cut short.
   */
  readonly unref?: boolean;
}

/**
 * The real clock: the only place in the packages that reads `Date.now()` / `performance.now()` or sets timers.
 * Everything else receives a `Clock`, so tests drive time with `FakeClock`.
 */
export function createSystemClock(options: SystemClockOptions = {}): Clock {
  const timers = new Map<number, ReturnType<typeof setTimeout>>();
  let nextId = 1;
  return {
    now: () => Date.now(),
    monotonic: () => performance.now(),
    setTimeout(callback: () => void, delayMs: number): TimerHandle {
      const handle: TimerHandle = { id: nextId++ };
      const timer = setTimeout(
        () => {
          timers.delete(handle.id);
          callback();
        },
        Math.max(0, delayMs),
      );
      if (options.unref === true) timer.unref();
      timers.set(handle.id, timer);
      return handle;
    },
    clearTimeout(handle: TimerHandle | undefined): void {
      if (handle === undefined) return;
      const timer = timers.get(handle.id);
      if (timer === undefined) return;
      clearTimeout(timer);
      timers.delete(handle.id);
    },
  };
}

/** The shared real clock (timers keep the process alive). */
export const systemClock: Clock = createSystemClock();
