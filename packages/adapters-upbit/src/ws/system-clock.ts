import type { Clock, TimerHandle } from '@marketdata/domain';

const timers = new Map<number, ReturnType<typeof setTimeout>>();
let nextId = 1;

/** The real clock: the only place in the WebSocket adapter that reads system time or starts system timers. */
export const systemClock: Clock = {
  now: () => Date.now(),
  monotonic: () => performance.now(),
  setTimeout(callback: () => void, delayMs: number): TimerHandle {
    const id = nextId++;
    timers.set(
      id,
      setTimeout(() => {
        timers.delete(id);
        callback();
      }, delayMs),
    );
    return { id };
  },
  clearTimeout(handle: TimerHandle | undefined): void {
    if (handle === undefined) return;
    const timer = timers.get(handle.id);
    if (timer === undefined) return;
    clearTimeout(timer);
    timers.delete(handle.id);
  },
};
