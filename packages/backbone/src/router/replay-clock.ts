import type { Clock, TimerHandle } from '@marketdata/domain';

/**
 * A clock that only moves when told to, for replaying routing scenarios inside the library (the evaluator must
 * not depend on test support). Timers fire in due order as time is moved forward.
 */
export class ReplayClock implements Clock {
  private mono = 0;
  private nextId = 1;
  private readonly timers = new Map<number, { readonly dueAt: number; readonly callback: () => void }>();

  constructor(private readonly wallStart: number) {}

  now(): number {
    return this.wallStart + this.mono;
  }

  monotonic(): number {
    return this.mono;
  }

  setTimeout(callback: () => void, delayMs: number): TimerHandle {
    const handle = { id: this.nextId++ };
    this.timers.set(handle.id, { dueAt: this.mono + Math.max(0, delayMs), callback });
    return handle;
  }

  clearTimeout(handle: TimerHandle | undefined): void {
    if (handle !== undefined) this.timers.delete(handle.id);
  }

  moveTo(target: number): void {
    for (;;) {
      let next: [number, { readonly dueAt: number; readonly callback: () => void }] | undefined;
      for (const entry of this.timers) {
        if (entry[1].dueAt <= target && (next === undefined || entry[1].dueAt < next[1].dueAt)) next = entry;
      }
      if (next === undefined) break;
      this.timers.delete(next[0]);
      this.mono = Math.max(this.mono, next[1].dueAt);
      next[1].callback();
    }
    this.mono = Math.max(this.mono, target);
  }
}
