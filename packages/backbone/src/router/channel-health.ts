import type { ChannelKind } from '@marketdata/domain';
import type { RouterConfig } from '../config/backbone-config.js';
import type { ChannelCondition, ChannelState } from './route-types.js';

export type ChannelHealthOptions = Pick<
  RouterConfig,
  | 'failureThreshold'
  | 'probeBackoffInitialMs'
  | 'probeBackoffMaxMs'
  | 'latencyEwmaAlpha'
  | 'errorRateWindowMs'
  | 'errorRateMinSamples'
>;

/** What a channel's health looks like from outside (health report, stats). */
export interface ChannelHealthView {
  readonly channel: ChannelKind;
  readonly configured: boolean;
  readonly state: ChannelState;
  readonly consecutiveFailures: number;
  readonly errorRate: number | undefined;
  readonly latencyEwmaMs: number | undefined;
  /** Monotonic ms at which the next recovery probe may go out; undefined while enabled. */
  readonly nextProbeAt: number | undefined;
  readonly currentBackoffMs: number | undefined;
  readonly timesDisabled: number;
  readonly timesRecovered: number;
  readonly lastError: string | undefined;
}

const MAX_OUTCOMES = 1000;

interface Outcome {
  readonly at: number;
  readonly ok: boolean;
}

/** Emitted on state changes, for logging. */
export type HealthTransition = 'disabled' | 'recovered' | 'probe-failed';

/**
 * One channel's health (monotonic time): `failureThreshold` consecutive failures disable it; once disabled, a
 * recovery probe may go out after a backoff that doubles after each failed probe (up to the maximum); a
 * successful call re-enables it. Also keeps a latency EWMA and the error rate over a time window.
 */
export class ChannelHealth {
  private enabled = true;
  private consecutiveFailures = 0;
  private nextProbeAt: number | undefined;
  private backoffMs: number | undefined;
  private probeInFlight = false;
  private latencyEwmaMs: number | undefined;
  // Outcomes inside the window, oldest first from `head`; failures among them counted incrementally.
  private outcomes: Outcome[] = [];
  private head = 0;
  private failuresInWindow = 0;
  private timesDisabled = 0;
  private timesRecovered = 0;
  private lastError: string | undefined;

  constructor(
    readonly channel: ChannelKind,
    readonly configured: boolean,
    private readonly options: ChannelHealthOptions,
  ) {}

  state(now: number): ChannelState {
    if (this.enabled) return 'enabled';
    if (!this.probeInFlight && this.nextProbeAt !== undefined && now >= this.nextProbeAt) return 'probe-due';
    return 'disabled';
  }

  condition(now: number): ChannelCondition {
    return {
      configured: this.configured,
      state: this.state(now),
      errorRate: this.errorRate(now),
      latencyEwmaMs: this.latencyEwmaMs,
    };
  }

  /** A request is being sent as a recovery probe: no second probe until its outcome is known. */
  beginProbe(): void {
    if (!this.enabled) this.probeInFlight = true;
  }

  /** Whether a success would change anything: failures to reset, a probe to complete, the channel to re-enable. */
  awaitsSuccess(): boolean {
    return !this.enabled || this.consecutiveFailures > 0 || this.probeInFlight;
  }

  /** A probe that ended without an outcome about the channel (the caller aborted). */
  abandonProbe(): void {
    this.probeInFlight = false;
  }

  recordSuccess(now: number, latencyMs: number | undefined): HealthTransition | undefined {
    this.pushOutcome(now, true);
    if (latencyMs !== undefined) {
      const alpha = this.options.latencyEwmaAlpha;
      this.latencyEwmaMs =
        this.latencyEwmaMs === undefined ? latencyMs : alpha * latencyMs + (1 - alpha) * this.latencyEwmaMs;
    }
    this.consecutiveFailures = 0;
    this.probeInFlight = false;
    if (this.enabled) return undefined;
    // A fresh start: the failures that disabled the channel no longer count against its error rate.
    this.outcomes = [{ at: now, ok: true }];
    this.head = 0;
    this.failuresInWindow = 0;
    this.enabled = true;
    this.nextProbeAt = undefined;
    this.backoffMs = undefined;
    this.timesRecovered++;
    return 'recovered';
  }

  recordFailure(now: number, error: string): HealthTransition | undefined {
    this.pushOutcome(now, false);
    this.consecutiveFailures++;
    this.lastError = error;
    if (!this.enabled) {
      // A failed probe (or a failure of a call sent before the channel was disabled): back off further.
      const wasProbe = this.probeInFlight;
      this.probeInFlight = false;
      if (!wasProbe) return undefined;
      this.backoffMs = Math.min(
        (this.backoffMs ?? this.options.probeBackoffInitialMs) * 2,
        this.options.probeBackoffMaxMs,
      );
      this.nextProbeAt = now + this.backoffMs;
      return 'probe-failed';
    }
    if (this.consecutiveFailures < this.options.failureThreshold) return undefined;
    this.enabled = false;
    this.backoffMs = this.options.probeBackoffInitialMs;
    this.nextProbeAt = now + this.backoffMs;
    this.timesDisabled++;
    return 'disabled';
  }

  view(now: number): ChannelHealthView {
    return {
      channel: this.channel,
      configured: this.configured,
      state: this.state(now),
      consecutiveFailures: this.consecutiveFailures,
      errorRate: this.errorRate(now),
      latencyEwmaMs: this.latencyEwmaMs,
      nextProbeAt: this.nextProbeAt,
      currentBackoffMs: this.backoffMs,
      timesDisabled: this.timesDisabled,
      timesRecovered: this.timesRecovered,
      lastError: this.lastError,
    };
  }

  private errorRate(now: number): number | undefined {
    this.prune(now);
    const count = this.outcomes.length - this.head;
    if (count < this.options.errorRateMinSamples) return undefined;
    return this.failuresInWindow / count;
  }

  private pushOutcome(now: number, ok: boolean): void {
    this.outcomes.push({ at: now, ok });
    if (!ok) this.failuresInWindow++;
    this.prune(now);
  }

  private prune(now: number): void {
    const since = now - this.options.errorRateWindowMs;
    // Bound memory under very high call rates: the last MAX_OUTCOMES outcomes are plenty to judge a rate.
    while (this.head < this.outcomes.length) {
      const oldest = this.outcomes[this.head];
      if (oldest === undefined) break;
      if (oldest.at >= since && this.outcomes.length - this.head <= MAX_OUTCOMES) break;
      if (!oldest.ok) this.failuresInWindow--;
      this.head++;
    }
    if (this.head > 256 && this.head * 2 > this.outcomes.length) {
      this.outcomes = this.outcomes.slice(this.head);
      this.head = 0;
    }
  }
}
