import { configError } from '../config-error.js';
import type { RestGroup } from '../options.js';

type GroupKey = RestGroup | 'all';

interface ForcedFailure {
  readonly status: number;
  remaining: number;
}

/** Faults switched on through SimControl, read by the REST and WebSocket servers on every request and frame. */
export class FaultState {
  stalled = false;
  malformedRatio = 0;
  slowBodyMs = 0;
  truncateRemaining = 0;
  private readonly latency = new Map<GroupKey, number>();
  private readonly failures = new Map<GroupKey, ForcedFailure>();

  setMalformedRatio(ratio: number): void {
    if (!(ratio >= 0 && ratio <= 1))
      throw configError('malformedRatio', `malformed ratio must be within 0..1, got ${ratio}`);
    this.malformedRatio = ratio;
  }

  setLatency(group: GroupKey, ms: number): void {
    if (!(ms >= 0) || !Number.isFinite(ms)) throw configError('latencyMs', `latency must be >= 0 ms, got ${ms}`);
    if (ms === 0) this.latency.delete(group);
    else this.latency.set(group, ms);
  }

  latencyFor(group: RestGroup): number {
    return (this.latency.get(group) ?? 0) + (this.latency.get('all') ?? 0);
  }

  fail(group: GroupKey, status: number, count: number): void {
    if (!Number.isInteger(status) || status < 400 || status > 599) {
      throw configError('status', `forced status must be an HTTP error status (4xx/5xx), got ${status}`);
    }
    if (!Number.isInteger(count) || count < 0)
      throw configError('count', `count must be a whole number >= 0, got ${count}`);
    if (count === 0) this.failures.delete(group);
    else this.failures.set(group, { status, remaining: count });
  }

  /** The forced status for this request, if one is pending (the group's own first, then `all`). */
  takeFailure(group: RestGroup): number | undefined {
    for (const key of [group, 'all'] as const) {
      const failure = this.failures.get(key);
      if (failure === undefined) continue;
      failure.remaining--;
      if (failure.remaining <= 0) this.failures.delete(key);
      return failure.status;
    }
    return undefined;
  }

  setSlowBodies(ms: number): void {
    if (!(ms >= 0) || !Number.isFinite(ms))
      throw configError('slowBodyMs', `slow body delay must be >= 0 ms, got ${ms}`);
    this.slowBodyMs = ms;
  }

  setTruncate(count: number): void {
    if (!Number.isInteger(count) || count < 0)
      throw configError('count', `count must be a whole number >= 0, got ${count}`);
    this.truncateRemaining = count;
  }

  takeTruncate(): boolean {
    if (this.truncateRemaining <= 0) return false;
    this.truncateRemaining--;
    return true;
  }
}
