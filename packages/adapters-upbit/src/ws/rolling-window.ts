/**
 * At most `limit` events in any window of `windowMs` (monotonic ms): the event `limit` places back must be at least
 * `windowMs` older than a new one. Used for Upbit's WebSocket connects per IP and data requests per connection.
 */
export class RollingWindow {
  private times: number[] = [];

  constructor(
    readonly limit: number,
    readonly windowMs: number,
  ) {}

  /** Milliseconds until one more event fits (0: now). */
  waitMs(now: number): number {
    this.prune(now);
    if (this.times.length < this.limit) return 0;
    const blocking = this.times[this.times.length - this.limit] ?? now;
    return Math.max(1, blocking + this.windowMs - now);
  }

  record(now: number): void {
    this.times.push(now);
    // Only the last `limit` times can ever block; older ones are dropped to keep memory bounded.
    if (this.times.length > this.limit * 2) this.times = this.times.slice(-this.limit);
  }

  /** Events in the window ending now. */
  count(now: number): number {
    this.prune(now);
    return this.times.length;
  }

  clear(): void {
    this.times = [];
  }

  private prune(now: number): void {
    let drop = 0;
    while (drop < this.times.length && (this.times[drop] ?? now) <= now - this.windowMs) drop++;
    if (drop > 0) this.times = this.times.slice(drop);
  }
}

/** The wait before an event fits every window (0: now). */
export function waitForAll(windows: readonly RollingWindow[], now: number): number {
  let wait = 0;
  for (const window of windows) wait = Math.max(wait, window.waitMs(now));
  return wait;
}
