import { type Clock, systemClock } from '@marketdata/domain';
import { RollingWindow } from './rolling-window.js';

/** The refusals that hold every connection to a host (Upbit limits connects per IP, not per socket). */
export type HeldRefusalKind = 'rate-limited' | 'blocked';

/**
 * Who may open a WebSocket to a host, and when: one per process, shared by every source, keyed by `host:port`.
 * Upbit allows 5 connects per second per IP and answers more with 429, then 418 (a block). Waits are durations on
 * the governor's own clock, so a source schedules them on its own timers.
 */
export interface ConnectionGovernor {
  /** Milliseconds before an attempt to `host` may start (0: now). Records nothing. */
  waitMs(host: string): number;
  /** Records an attempt to `host` starting now and returns 0 when one is allowed; otherwise the wait, ms. */
  tryAttempt(host: string): number;
  /** `host` refused with `kind`; returns how many times in a row it has (this one included). */
  noteRefusal(host: string, kind: HeldRefusalKind): number;
  /** Nothing may be attempted to `host` for `holdMs` from now (the longest hold wins). */
  hold(host: string, holdMs: number): void;
  /** A socket to `host` carried data for a while: the refusal streaks start over. */
  noteHealthy(host: string): void;
}

export interface ConnectionGovernorOptions {
  readonly clock?: Clock | undefined;
  /** Connect attempts allowed per window. Default 5 (Upbit's documented limit per IP). */
  readonly connectsPerWindow?: number | undefined;
  /** Default 1 000 (Upbit's second). */
  readonly windowMs?: number | undefined;
  /**
   * Added to the window, default 50: attempts spaced exactly one window apart here could arrive closer together
   * at Upbit when the network delays one more than the other.
   */
  readonly guardMs?: number | undefined;
}

interface HostState {
  readonly attempts: RollingWindow;
  heldUntil: number;
  readonly streaks: Record<HeldRefusalKind, number>;
}

class ProcessConnectionGovernor implements ConnectionGovernor {
  private readonly hosts = new Map<string, HostState>();
  private readonly clock: Clock;
  private readonly limit: number;
  private readonly windowMs: number;

  constructor(options: ConnectionGovernorOptions) {
    this.clock = options.clock ?? systemClock;
    this.limit = options.connectsPerWindow ?? 5;
    this.windowMs = (options.windowMs ?? 1_000) + (options.guardMs ?? 50);
  }

  waitMs(host: string): number {
    const state = this.state(host);
    const now = this.clock.monotonic();
    return Math.max(0, state.heldUntil - now, state.attempts.waitMs(now));
  }

  tryAttempt(host: string): number {
    const wait = this.waitMs(host);
    if (wait > 0) return wait;
    this.state(host).attempts.record(this.clock.monotonic());
    return 0;
  }

  noteRefusal(host: string, kind: HeldRefusalKind): number {
    const streaks = this.state(host).streaks;
    streaks[kind] += 1;
    return streaks[kind];
  }

  hold(host: string, holdMs: number): void {
    const state = this.state(host);
    state.heldUntil = Math.max(state.heldUntil, this.clock.monotonic() + Math.max(0, holdMs));
  }

  noteHealthy(host: string): void {
    const streaks = this.state(host).streaks;
    streaks['rate-limited'] = 0;
    streaks.blocked = 0;
  }

  private state(host: string): HostState {
    let state = this.hosts.get(host);
    if (state === undefined) {
      state = {
        attempts: new RollingWindow(this.limit, this.windowMs),
        heldUntil: Number.NEGATIVE_INFINITY,
        streaks: { 'rate-limited': 0, blocked: 0 },
      };
      this.hosts.set(host, state);
    }
    return state;
  }
}

/** A governor of its own (tests drive it with a FakeClock). Sources share `sharedConnectionGovernor` by default. */
export function createConnectionGovernor(options: ConnectionGovernorOptions = {}): ConnectionGovernor {
  return new ProcessConnectionGovernor(options);
}

/** The one governor of this process, on the system clock: every source that is not given another uses it. */
export const sharedConnectionGovernor: ConnectionGovernor = createConnectionGovernor();

/** `host:port` of a WebSocket URL (default ports filled in): the key connects are counted under. */
export function governorKey(url: string): string {
  const parsed = new URL(url);
  const port = parsed.port !== '' ? parsed.port : parsed.protocol === 'wss:' ? '443' : '80';
  return `${parsed.hostname}:${port}`;
}
