import {
  ChannelUnavailableError,
  type Clock,
  type ConnectionState,
  type MarketCode,
  type MarketDataError,
  NetworkError,
  type StreamGap,
  type TimerHandle,
} from '@marketdata/domain';
import type { Heartbeat } from '../wire/messages.js';
import type { StreamFacts } from './stream-facts.js';

export interface GatewayLivenessOptions {
  readonly clock: Clock;
  readonly facts: StreamFacts;
  /**
   * No heartbeat for this long: the gateway is silent (dead, stalled or cut off). At least two of the gateway's own
   * heartbeat intervals (it says its interval in each heartbeat).
   */
  readonly silentAfterMs: number;
  /** How often silence is looked for. */
  readonly checkEveryMs: number;
  /** Feeds on this consumer's wire now: the symbols a gap covers. */
  readonly wantedSymbols: () => readonly MarketCode[];
  /** A gateway instance not seen before (a restart): the consumer announces its demand again at once. */
  readonly onNewGateway: (gateway: string) => void;
  readonly natsUrl: string;
}

type Cause =
  | { readonly state: 'open' }
  | {
      readonly state: Exclude<ConnectionState, 'open'>;
      readonly reason: string;
      readonly refusal?: MarketDataError | undefined;
    };

/**
 * Turns what the consumer can observe, its NATS connection and the gateway's heartbeats, into connection facts:
 *
 *   NATS not connected yet / lost         `connecting` / `reconnecting`, refusal `unreachable` (NetworkError)
 *   no heartbeat for `silentAfterMs`      `reconnecting`, refusal `unreachable` (ChannelUnavailableError: silent)
 *   the gateway said it is stopping       `reconnecting`, refusal `unreachable` (ChannelUnavailableError: stopped)
 *   the gateway's Upbit WebSocket is      `reconnecting` (reason names it), and its refusal relayed as it was
 *     reconnecting or closed
 *   otherwise                             `open` (a new epoch each time)
 *
 * Leaving `open` opens a gap over every wanted symbol, from the last heartbeat (the last moment the path was known to
 * work), closed by the first record after the path is open again. A new gateway instance while open is a gap too
 * (a restart faster than the silence limit still lost what happened in between). The backbone's one judge reads
 * these facts; nothing here decides what is stale.
 */
export class GatewayLiveness {
  private natsUp = false;
  private natsEverUp = false;
  private everOpen = false;
  private natsLostReason: string | undefined;
  private closed = false;
  private last: Heartbeat | undefined;
  private lastWall = 0;
  private lastMonotonic = 0;
  private sinceMonotonic: number;
  private readonly seenGateways = new Set<string>();
  private relayedRefusal: string | undefined;
  private refusedFor: string | undefined;
  private timer: TimerHandle | undefined;

  constructor(private readonly options: GatewayLivenessOptions) {
    this.sinceMonotonic = options.clock.monotonic();
    this.schedule();
  }

  natsConnected(): void {
    this.natsUp = true;
    this.natsEverUp = true;
    this.natsLostReason = undefined;
    // Silence is counted from now: heartbeats could not reach us while the connection was down.
    this.sinceMonotonic = this.options.clock.monotonic();
    this.update();
  }

  natsDisconnected(reason: string): void {
    this.natsUp = false;
    this.natsLostReason = reason;
    this.update();
  }

  heartbeat(heartbeat: Heartbeat): void {
    const { clock, onNewGateway } = this.options;
    const previous = this.last;
    this.last = heartbeat;
    this.lastWall = clock.now();
    this.lastMonotonic = clock.monotonic();
    if (!this.seenGateways.has(heartbeat.gateway)) {
      this.seenGateways.add(heartbeat.gateway);
      if (previous !== undefined && this.options.facts.connection === 'open') {
        this.openGap(`fleet gateway restarted (${previous.gateway} -> ${heartbeat.gateway})`, previous);
      }
      onNewGateway(heartbeat.gateway);
    }
    this.update();
  }

  close(): void {
    this.closed = true;
    this.options.clock.clearTimeout(this.timer);
    this.options.facts.setState('closed', 'closed');
  }

  /** Re-derives the state (also called by the silence check). */
  update(): void {
    if (this.closed) return;
    const { facts } = this.options;
    const cause = this.cause();
    const previous = facts.connection;
    if (cause.state === 'open') {
      this.everOpen = true;
      this.refusedFor = undefined;
      this.relayUpstreamRefusal();
      facts.setState('open', undefined);
      return;
    }
    // Once per cause: the silence check runs every few hundred ms and must not count each run as a repeat.
    if (cause.refusal !== undefined && cause.reason !== this.refusedFor) {
      this.refusedFor = cause.reason;
      facts.refuse('unreachable', cause.refusal, undefined);
    }
    if (previous === 'open') this.openGap(cause.reason, this.last);
    facts.setState(cause.state, cause.reason);
  }

  private cause(): Cause {
    const { clock, silentAfterMs, natsUrl } = this.options;
    const now = clock.monotonic();
    const notOpen = this.everOpen ? 'reconnecting' : 'connecting';
    if (!this.natsUp) {
      const reason = this.natsEverUp
        ? `NATS connection lost (${this.natsLostReason ?? 'disconnected'})`
        : `NATS server ${natsUrl} not reached yet`;
      const waited = now - this.sinceMonotonic;
      const refusal =
        this.natsEverUp || waited > silentAfterMs
          ? new NetworkError(`${reason}: the fleet gateway cannot be heard`, { channel: 'websocket' })
          : undefined;
      return { state: notOpen, reason, refusal };
    }
    const heard = this.last;
    if (heard?.stopping === true) {
      const reason = `fleet gateway ${heard.gateway} stopped`;
      return { state: notOpen, reason, refusal: this.unavailable(reason, 'gateway-stopped') };
    }
    const since = heard === undefined ? this.sinceMonotonic : Math.max(this.sinceMonotonic, this.lastMonotonic);
    // A gateway beating slower than usual is given two of its own intervals.
    const limit = Math.max(silentAfterMs, 2 * (heard?.intervalMs ?? 0));
    if (now - since > limit) {
      // A stable text: the same silence is one refusal (repeated), not a new one per check.
      const reason =
        heard === undefined
          ? `no fleet gateway heartbeat within ${limit} ms`
          : `fleet gateway silent: no heartbeat for more than ${limit} ms`;
      return { state: notOpen, reason, refusal: this.unavailable(reason, 'gateway-silent') };
    }
    if (heard === undefined) return { state: notOpen, reason: 'waiting for the fleet gateway heartbeat' };
    const upstream = heard.upstream.state;
    if (upstream === 'reconnecting' || upstream === 'closed') {
      return { state: notOpen, reason: `fleet gateway's Upbit WebSocket ${upstream}` };
    }
    return { state: 'open' };
  }

  private unavailable(message: string, reason: string): ChannelUnavailableError {
    return new ChannelUnavailableError(message, { reason, channel: 'websocket' });
  }

  /** The gateway's own upstream refusal, once per refusal (heartbeats repeat it until it is over). */
  private relayUpstreamRefusal(): void {
    const refusal = this.last?.upstream.refusal;
    if (refusal === undefined) {
      this.relayedRefusal = undefined;
      return;
    }
    const identity = `${this.last?.gateway} ${refusal.kind} ${refusal.error.message} ${refusal.repeats}`;
    if (identity === this.relayedRefusal) return;
    this.relayedRefusal = identity;
    const now = this.options.clock.monotonic();
    this.options.facts.refuse(
      refusal.kind,
      refusal.error,
      refusal.retryInMs === undefined ? undefined : now + refusal.retryInMs,
    );
  }

  private openGap(reason: string, lastHeard: Heartbeat | undefined): StreamGap | undefined {
    const symbols = this.options.wantedSymbols();
    if (symbols.length === 0) return undefined;
    const { clock, facts } = this.options;
    // From the last heartbeat: the last moment the path was known to work (both clocks read then, no conversion).
    const known = lastHeard !== undefined;
    return facts.openGap(
      reason,
      symbols,
      known ? this.lastWall : clock.now(),
      known ? this.lastMonotonic : clock.monotonic(),
      true,
    );
  }

  private schedule(): void {
    this.timer = this.options.clock.setTimeout(() => {
      this.update();
      if (!this.closed) this.schedule();
    }, this.options.checkEveryMs);
  }
}
