import type { Clock, TimerHandle } from '@marketdata/domain';

const timers = new Map<number, ReturnType<typeof setTimeout>>();
let nextId = 1;

/** The real clock: the one place this package reads system time and arms real timers. */
export const systemClock: Clock = {
  now: () => Date.now(),
  monotonic: () => performance.now(),
  setTimeout(callback: () => void, delayMs: number): TimerHandle {
    const handle: TimerHandle = { id: nextId++ };
    timers.set(
      handle.id,
      setTimeout(() => {
        timers.delete(handle.id);
        callback();
      }, delayMs),
    );
    return handle;
  },
  clearTimeout(handle: TimerHandle | undefined): void {
    if (handle === undefined) return;
    const timer = timers.get(handle.id);
    if (timer !== undefined) clearTimeout(timer);
    timers.delete(handle.id);
  },
};
