import type { Clock } from '@marketdata/domain';
import type { RateLimitOptions } from '../options.js';

/** Request times in a sliding window (a ring that grows as needed). */
class SlidingWindow {
  private times: number[] = [];
  private head = 0;

  size(now: number, windowMs: number): number {
    const cutoff = now - windowMs;
    while (this.head < this.times.length && (this.times[this.head] ?? 0) <= cutoff) this.head++;
    if (this.head > 64 && this.head * 2 > this.times.length) {
      this.times = this.times.slice(this.head);
      this.head = 0;
    }
    return this.times.length - this.head;
  }

  add(now: number): void {
    this.times.push(now);
  }

  clear(): void {
    this.times = [];
    this.head = 0;
  }
}

interface IpState {
  blockedUntil: number;
  blocks: number;
  readonly refusals: SlidingWindow;
}

export type LimitDecision =
  | { readonly kind: 'ok'; readonly header: string }
  | { readonly kind: 'limited'; readonly header: string }
  | { readonly kind: 'blocked'; readonly header: string; readonly blockedForMs: number };

/**
 * Upbit's quotation limits per client IP: a sliding window per group, a stricter one for requests with an
 * Origin header, and a block (HTTP 418) that grows each time a client keeps going after 429s.
 */
export class RateLimiter {
  private readonly windows = new Map<string, SlidingWindow>();
  private readonly ips = new Map<string, IpState>();

  constructor(
    private readonly options: RateLimitOptions,
    private readonly clock: Clock,
  ) {}

  /** A REST request of `group` (the `origin` group when it carries an Origin header). */
  checkRest(ip: string, group: string, hasOrigin: boolean): LimitDecision {
    const o = this.options;
    return hasOrigin
      ? this.check(ip, 'origin', o.originPerWindow, o.originWindowMs, 6)
      : this.check(ip, group, o.perGroup, o.windowMs, 600);
  }

  /** A WebSocket connection request (the upgrade reply carries `group=websocket; min=300`). */
  checkWsConnect(ip: string, hasOrigin: boolean): LimitDecision {
    const o = this.options;
    return hasOrigin
      ? this.check(ip, 'origin', o.originPerWindow, o.originWindowMs, 6)
      : this.check(ip, 'websocket', o.wsConnectsPerWindow, o.windowMs, 300);
  }

  private check(ip: string, group: string, limit: number, windowMs: number, min: number): LimitDecision {
    const now = this.clock.monotonic();
    const state = this.ipState(ip);
    if (now < state.blockedUntil) {
      return { kind: 'blocked', header: header(group, min, 0), blockedForMs: state.blockedUntil - now };
    }
    const key = `${ip}\u0000${group}`;
    let window = this.windows.get(key);
    if (window === undefined) {
      window = new SlidingWindow();
      this.windows.set(key, window);
    }
    const used = window.size(now, windowMs);
    if (used < limit) {
      window.add(now);
      return { kind: 'ok', header: header(group, min, limit - used - 1) };
    }
    // Refused requests do not use up the window; repeated refusals lead to a block.
    const o = this.options;
    state.refusals.add(now);
    if (state.refusals.size(now, o.abuseWindowMs) >= o.abuseThreshold) {
      state.blocks++;
      const length = Math.min(o.blockBaseMs * 2 ** (state.blocks - 1), o.blockMaxMs);
      state.blockedUntil = now + length;
      state.refusals.clear();
      return { kind: 'blocked', header: header(group, min, 0), blockedForMs: length };
    }
    return { kind: 'limited', header: header(group, min, 0) };
  }

  private ipState(ip: string): IpState {
    let state = this.ips.get(ip);
    if (state === undefined) {
      state = { blockedUntil: Number.NEGATIVE_INFINITY, blocks: 0, refusals: new SlidingWindow() };
      this.ips.set(ip, state);
    }
    return state;
  }
}

function header(group: string, min: number, sec: number): string {
  return `group=${group}; min=${min}; sec=${sec}`;
}
