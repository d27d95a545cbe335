import type { Clock, TimerHandle } from '../ports/clock.js';

interface PendingTimer {
  readonly handle: TimerHandle;
  readonly dueAt: number;
  readonly callback: () => void;
}

/** Where a `FakeClock` starts. */
export interface FakeClockOptions {
  /** Initial wall time, epoch ms. Default 2026-01-01T00:00:00Z. */
  readonly now?: number;
  /** Initial monotonic time, ms. Default 0. */
  readonly monotonic?: number;
}

/**
 * A clock that only moves when told to. Timers fire in due order while time is advanced; wall time can also
 * jump on its own (forwards or backwards) without touching monotonic time, as a real system clock may.
 */
export class FakeClock implements Clock {
  private wall: number;
  private mono: number;
  private nextId = 1;
  private readonly timers = new Map<number, PendingTimer>();

  constructor(options: FakeClockOptions = {}) {
    this.wall = options.now ?? Date.UTC(2026, 0, 1);
    this.mono = options.monotonic ?? 0;
  }

  now(): number {
    return this.wall;
  }

  monotonic(): number {
    return this.mono;
  }

  /** Schedules `callback` at the current monotonic time + `delayMs`; it runs from `advance`. */
  setTimeout(callback: () => void, delayMs: number): TimerHandle {
    const handle: TimerHandle = { id: this.nextId++ };
    const delay = Number.isFinite(delayMs) && delayMs > 0 ? delayMs : 0;
    this.timers.set(handle.id, { handle, dueAt: this.mono + delay, callback });
    return handle;
  }

  /** Cancels a pending timer. */
  clearTimeout(handle: TimerHandle | undefined): void {
    if (handle !== undefined) this.timers.delete(handle.id);
  }

  /** How many timers are pending: lets tests prove nothing dangles after `close()`. */
  pendingTimerCount(): number {
    return this.timers.size;
  }

  /** Moves both clocks forward by `ms`, firing due timers synchronously in order. */
  advance(ms: number): void {
    const target = this.mono + ms;
    for (let timer = this.nextDue(target); timer !== undefined; timer = this.nextDue(target)) {
      this.fire(timer);
    }
    this.moveTo(target);
  }

  /**
   * Like `advance`, but lets promise callbacks run after each timer fires (and once at the end), so async
   * code that awaits between timers behaves as it would in real time.
   */
  async advanceAsync(ms: number): Promise<void> {
    const target = this.mono + ms;
    await flushMicrotasks();
    for (let timer = this.nextDue(target); timer !== undefined; timer = this.nextDue(target)) {
      this.fire(timer);
      await flushMicrotasks();
    }
    this.moveTo(target);
    await flushMicrotasks();
  }

  /** Fires every pending timer, including ones created while running, up to `limit` timers. */
  async runAllAsync(limit = 10_000): Promise<void> {
    for (let count = 0; count < limit && this.timers.size > 0; count++) {
      const timer = this.nextDue(Number.POSITIVE_INFINITY);
      if (timer === undefined) break;
      this.fire(timer);
      await flushMicrotasks();
    }
  }

  /** Wall time jumps (NTP step, manual change); monotonic time and timers are untouched. */
  jumpWall(ms: number): void {
    this.wall += ms;
  }

  private nextDue(limit: number): PendingTimer | undefined {
    let next: PendingTimer | undefined;
    for (const timer of this.timers.values()) {
      if (timer.dueAt <= limit && (next === undefined || timer.dueAt < next.dueAt)) next = timer;
    }
    return next;
  }

  private fire(timer: PendingTimer): void {
    this.timers.delete(timer.handle.id);
    this.moveTo(Math.max(this.mono, timer.dueAt));
    timer.callback();
  }

  private moveTo(mono: number): void {
    this.wall += mono - this.mono;
    this.mono = mono;
  }
}

/** Lets queued promise callbacks (and the ones they queue) run. */
export async function flushMicrotasks(rounds = 20): Promise<void> {
  for (let i = 0; i < rounds; i++) await Promise.resolve();
}
