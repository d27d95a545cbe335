import type { Clock, TimerHandle } from '@marketdata/domain';

/** The real clock: the only place the simulator reads system time or sets real timers. */
export function createSystemClock(): Clock {
  const timers = new Map<number, NodeJS.Timeout>();
  let nextId = 1;
  return {
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
}
