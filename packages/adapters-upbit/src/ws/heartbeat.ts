import type { Clock, TimerHandle } from '@marketdata/domain';

export interface HeartbeatSettings {
  readonly pingIntervalMs: number;
  readonly livenessTimeoutMs: number;
}

/**
 * Socket liveness (about the transport, not the data): a heartbeat every `pingIntervalMs`; if nothing at all
 * (data, status answer, pong) arrives within `livenessTimeoutMs` after one, `onDead` is called once with how long
 * the socket has been silent. One instance per socket.
 */
export class Heartbeat {
  private pingTimer: TimerHandle | undefined;
  private livenessTimer: TimerHandle | undefined;
  private lastInbound: number;
  private pingSentAt = Number.NEGATIVE_INFINITY;
  private stopped = false;

  constructor(
    private readonly clock: Clock,
    private readonly settings: HeartbeatSettings,
    private readonly sendPing: () => void,
    private readonly onDead: (silentMs: number) => void,
  ) {
    this.lastInbound = clock.monotonic();
    this.schedulePing();
  }

  /** Anything arrived on the socket. */
  inbound(atMonotonic: number): void {
    this.lastInbound = atMonotonic;
  }

  get pendingTimers(): number {
    return (this.pingTimer === undefined ? 0 : 1) + (this.livenessTimer === undefined ? 0 : 1);
  }

  stop(): void {
    this.stopped = true;
    this.clock.clearTimeout(this.pingTimer);
    this.clock.clearTimeout(this.livenessTimer);
    this.pingTimer = undefined;
    this.livenessTimer = undefined;
  }

  private schedulePing(): void {
    this.pingTimer = this.clock.setTimeout(() => this.ping(), this.settings.pingIntervalMs);
  }

  private ping(): void {
    this.pingTimer = undefined;
    if (this.stopped) return;
    this.schedulePing();
    this.pingSentAt = this.clock.monotonic();
    this.sendPing();
    // Judged against the ping this timer was armed for: a later ping must not shorten the allowed silence.
    if (this.livenessTimer === undefined) this.armLiveness(this.pingSentAt, this.settings.livenessTimeoutMs);
  }

  private armLiveness(pingSentAt: number, delayMs: number): void {
    this.livenessTimer = this.clock.setTimeout(() => this.check(pingSentAt), delayMs);
  }

  private check(pingSentAt: number): void {
    this.livenessTimer = undefined;
    if (this.stopped) return;
    if (this.lastInbound >= pingSentAt) {
      // Alive for that ping; a later ping sent meanwhile and not answered yet gets the rest of its own allowance.
      if (this.lastInbound < this.pingSentAt) {
        const remaining = this.pingSentAt + this.settings.livenessTimeoutMs - this.clock.monotonic();
        this.armLiveness(this.pingSentAt, Math.max(0, remaining));
      }
      return;
    }
    this.stop();
    this.onDead(Math.round(this.clock.monotonic() - this.lastInbound));
  }
}
