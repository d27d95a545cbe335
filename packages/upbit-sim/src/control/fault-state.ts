import { configError } from '../config-error.js';
import type { RestGroup } from '../options.js';
import { retryAfterText } from './retry-after.js';

type GroupKey = RestGroup | 'all';

/** A forced REST answer: its status and the `Retry-After` header to send with it (if any). */
export interface ForcedFailure {
  readonly status: number;
  readonly retryAfter: string | undefined;
  remaining: number;
}

interface HugeBody {
  readonly bytes: number;
  remaining: number;
}

/** The largest body `hugeBodies` writes (4 GiB): beyond any client's sane limit, still a bounded stream. */
const MAX_HUGE_BODY = 4 * 1024 ** 3;

/** Faults switched on through SimControl, read by the REST and WebSocket servers on every request and frame. */
export class FaultState {
  /** Nothing at all goes out on WebSocket connections: no data, no `UP`, no pongs. */
  stalled = false;
  /** No data frames go out, but `{"status":"UP"}` and pongs still do (a feed that looks alive). */
  dataStalled = false;
  malformedRatio = 0;
  slowBodyMs = 0;
  truncateRemaining = 0;
  private readonly latency = new Map<GroupKey, number>();
  private readonly failures = new Map<GroupKey, ForcedFailure>();
  private readonly hugeBodies = new Map<GroupKey, HugeBody>();

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

  fail(group: GroupKey, status: number, count: number, retryAfter?: string | number): void {
    checkErrorStatus(status);
    checkCount(count);
    const header = retryAfterText(retryAfter);
    if (count === 0) this.failures.delete(group);
    else this.failures.set(group, { status, retryAfter: header, remaining: count });
  }

  /** The forced answer for this request, if one is pending (the group's own first, then `all`). */
  takeFailure(group: RestGroup): ForcedFailure | undefined {
    return take(this.failures, group);
  }

  /** The next `count` successful replies of the group are streamed with a body of `bytes` bytes. */
  setHugeBodies(group: GroupKey, bytes: number, count: number): void {
    if (!Number.isInteger(bytes) || bytes < 2 || bytes > MAX_HUGE_BODY) {
      throw configError('bytes', `bytes must be a whole number within 2..${MAX_HUGE_BODY}, got ${bytes}`, bytes);
    }
    checkCount(count);
    if (count === 0) this.hugeBodies.delete(group);
    else this.hugeBodies.set(group, { bytes, remaining: count });
  }

  /** The inflated body size for this reply, if one is pending. */
  takeHugeBody(group: RestGroup): number | undefined {
    return take(this.hugeBodies, group)?.bytes;
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

function take<T extends { remaining: number }>(map: Map<GroupKey, T>, group: RestGroup): T | undefined {
  for (const key of [group, 'all'] as const) {
    const entry = map.get(key);
    if (entry === undefined) continue;
    entry.remaining--;
    if (entry.remaining <= 0) map.delete(key);
    return entry;
  }
  return undefined;
}

export function checkErrorStatus(status: number): void {
  if (!Number.isInteger(status) || status < 400 || status > 599) {
    throw configError('status', `forced status must be an HTTP error status (4xx/5xx), got ${status}`, status);
  }
}

/** A count of requests: a whole number >= 0, or Infinity for "until switched off". */
export function checkCount(count: number): void {
  if (!(count === Number.POSITIVE_INFINITY || (Number.isInteger(count) && count >= 0))) {
    throw configError('count', `count must be a whole number >= 0 (or Infinity), got ${count}`, count);
  }
}
