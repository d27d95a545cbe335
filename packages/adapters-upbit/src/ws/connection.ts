import type { Clock, ConnectionEvent, ConnectionState, Logger, Random, TimerHandle } from '@marketdata/domain';
import { backoffDelay, type WebSocketBackoffOptions } from './backoff.js';
import { type ConnectionGovernor, governorKey } from './connection-governor.js';
import {
  type ConnectionLoss,
  type SessionEnd,
  type SessionSettings,
  SocketSession,
  type WebSocketFactory,
} from './socket-session.js';
import { type ConnectRefusal, MAX_TIMER_MS } from './upgrade-refusal.js';

export interface ConnectionSettings extends SessionSettings {
  readonly backoff: WebSocketBackoffOptions;
  readonly idleSocketLingerMs: number;
}

export interface ConnectionDeps {
  readonly clock: Clock;
  readonly logger: Logger;
  readonly random: Random;
  readonly createSocket: WebSocketFactory;
  readonly governor: ConnectionGovernor;
}

export interface ConnectionHandlers {
  onState(event: ConnectionEvent): void;
  /** A socket opened: send the subscription now. */
  onOpen(epoch: number): void;
  onMessage(text: string, receivedAt: number, receivedAtMonotonic: number): void;
  onLost(loss: ConnectionLoss): void;
  /** A connect attempt failed; `retryAtMonotonic` is undefined when nothing is wanted any more. */
  onRefusal(refusal: ConnectRefusal, retryAtMonotonic: number | undefined): void;
}

/**
 * The connection state machine (ws-library style, every transition explicit), one socket session at a time:
 *
 *   idle ──want──▶ connecting ──open──▶ open ──closed, dead──▶ reconnecting ──(backoff, governor)──▶ … ──▶ open
 *   connecting ──refused (network, 429, 418, other), timed out──▶ reconnecting
 *   open ──nothing wanted for idleSocketLingerMs──▶ idle      connecting | reconnecting ──nothing wanted──▶ idle
 *   any ──close──▶ closed (final)
 *
 * The failure count and the earliest next attempt survive `idle`: only a socket that carried data for
 * `backoff.resetAfterMs` resets them. Every attempt also asks the process-wide governor (connects per IP, holds
 * after 429/418).
 */
export class UpbitConnection {
  private current: ConnectionState = 'idle';
  private wanted = false;
  private session: SocketSession | undefined;
  private readonly retiring = new Set<SocketSession>();
  private attemptTimer: TimerHandle | undefined;
  private idleTimer: TimerHandle | undefined;
  private attemptAt: number | undefined;
  private failures = 0;
  private notBefore = Number.NEGATIVE_INFINITY;
  private openedAtWall: number | undefined;
  private openedAtMonotonic = 0;
  private stable = false;
  private lastInbound: number | undefined;
  private epochCount = 0;
  private reconnectCount = 0;
  private attemptCount = 0;
  private readonly host: string;

  constructor(
    private readonly settings: ConnectionSettings,
    private readonly deps: ConnectionDeps,
    private readonly handlers: ConnectionHandlers,
  ) {
    this.host = governorKey(settings.url);
  }

  get state(): ConnectionState {
    return this.current;
  }
  get isOpen(): boolean {
    return this.current === 'open';
  }
  get epoch(): number {
    return this.epochCount;
  }
  get connectedSince(): number | undefined {
    return this.openedAtWall;
  }
  get lastInboundMonotonic(): number | undefined {
    return this.lastInbound;
  }
  get reconnects(): number {
    return this.reconnectCount;
  }
  get connectAttempts(): number {
    return this.attemptCount;
  }
  /** `Clock.monotonic()` of the next connect attempt while one is scheduled. */
  get nextAttemptAtMonotonic(): number | undefined {
    return this.attemptTimer === undefined ? undefined : this.attemptAt;
  }
  get pendingTimers(): number {
    const own = (this.attemptTimer === undefined ? 0 : 1) + (this.idleTimer === undefined ? 0 : 1);
    return own + (this.session?.pendingTimers ?? 0);
  }

  /** Whether anything is on the wire: connects (or keeps the socket) when true, lets it go idle when false. */
  want(wanted: boolean): void {
    this.wanted = wanted;
    const state = this.current;
    if (state === 'closed') return;
    if (wanted) {
      if (state === 'idle') this.start();
      else if (state === 'open') this.clearTimer('idleTimer');
      return;
    }
    if (state === 'open') {
      // Kept open (heartbeats going) so the next subscription reuses it instead of connecting again.
      this.idleTimer ??= this.deps.clock.setTimeout(() => {
        this.idleTimer = undefined;
        this.goIdle(`idle for ${this.settings.idleSocketLingerMs} ms`, true);
      }, this.settings.idleSocketLingerMs);
    } else if (state !== 'idle') {
      this.goIdle('nothing subscribed', false);
    }
  }

  /** Nothing is attempted before `atMonotonic` (a deterministic refusal escalates the wait). */
  postpone(atMonotonic: number): void {
    this.notBefore = Math.max(this.notBefore, atMonotonic);
  }

  /**
   * A data frame arrived (`atMonotonic`: its receive stamp, so no clock is read per frame): once a socket has carried
   * data for a while, the failure count starts over.
   */
  markData(atMonotonic: number): void {
    if (this.stable || this.current !== 'open') return;
    if (atMonotonic - this.openedAtMonotonic < this.settings.backoff.resetAfterMs) return;
    this.stable = true;
    this.failures = 0;
    this.deps.governor.noteHealthy(this.host);
  }

  send(text: string): boolean {
    return this.current === 'open' && this.session !== undefined && this.session.send(text);
  }

  /** Final: terminates the socket and every timer. Resolves once every socket has closed. */
  async close(): Promise<void> {
    if (this.current === 'closed') return;
    this.clearTimer('attemptTimer');
    this.clearTimer('idleTimer');
    const sessions = [...this.retiring];
    if (this.session !== undefined) sessions.push(this.session);
    this.session = undefined;
    this.retiring.clear();
    this.openedAtWall = undefined;
    this.setState('closed', 'closed by caller');
    await Promise.all(sessions.map((session) => session.detach()));
  }

  private start(): void {
    if (this.deps.clock.monotonic() < this.notBefore) {
      this.setState('reconnecting', 'waiting out the backoff');
      this.scheduleAttempt(this.notBefore);
      return;
    }
    this.setState('connecting', undefined);
    this.attempt();
  }

  private scheduleAttempt(atMonotonic: number): void {
    this.clearTimer('attemptTimer');
    this.attemptAt = atMonotonic;
    const delay = Math.min(MAX_TIMER_MS, Math.max(0, atMonotonic - this.deps.clock.monotonic()));
    this.attemptTimer = this.deps.clock.setTimeout(() => {
      this.attemptTimer = undefined;
      this.attempt();
    }, delay);
  }

  private attempt(): void {
    if ((this.current !== 'connecting' && this.current !== 'reconnecting') || !this.wanted) return;
    const now = this.deps.clock.monotonic();
    if (now < this.notBefore) {
      this.scheduleAttempt(this.notBefore);
      return;
    }
    const wait = this.deps.governor.tryAttempt(this.host);
    if (wait > 0) {
      this.scheduleAttempt(now + wait);
      return;
    }
    this.attemptCount++;
    const { clock, logger, createSocket, governor } = this.deps;
    const session: SocketSession = new SocketSession(
      this.settings,
      { clock, logger, createSocket, governor, host: this.host },
      {
        opened: () => this.onOpened(session),
        message: (text, wall, mono) => this.handlers.onMessage(text, wall, mono),
        inbound: (at) => {
          this.lastInbound = at;
        },
        ended: (end) => this.onEnded(session, end),
      },
    );
    this.session = session;
    session.start();
  }

  private onOpened(session: SocketSession): void {
    this.openedAtWall = this.deps.clock.now();
    this.openedAtMonotonic = this.deps.clock.monotonic();
    this.stable = false;
    this.epochCount++;
    if (this.current === 'reconnecting') this.reconnectCount++;
    this.setState('open', undefined);
    if (this.session === session) this.handlers.onOpen(this.epochCount);
  }

  /** The session failed or was lost: schedule the next attempt (or go idle when nothing is wanted). */
  private onEnded(session: SocketSession, end: SessionEnd): void {
    if (session !== this.session) return;
    this.session = undefined;
    this.clearTimer('idleTimer');
    const wasOpen = this.current === 'open';
    this.openedAtWall = undefined;
    const refusal = 'refusal' in end ? end.refusal : undefined;
    const reason = 'loss' in end ? end.loss.reason : end.refusal.error.message;
    const now = this.deps.clock.monotonic();
    const delay = Math.max(backoffDelay(this.failures, this.settings.backoff, this.deps.random), refusal?.holdMs ?? 0);
    this.failures++;
    this.notBefore = Math.max(this.notBefore, now + delay);
    const retryAt = Math.max(this.notBefore, now + this.deps.governor.waitMs(this.host));
    if (this.wanted) {
      this.setState('reconnecting', reason);
      this.scheduleAttempt(retryAt);
    } else {
      this.setState('idle', reason);
    }
    if (wasOpen && 'loss' in end) this.handlers.onLost(end.loss);
    if (refusal !== undefined) this.handlers.onRefusal(refusal, this.wanted ? retryAt : undefined);
  }

  private goIdle(reason: string, graceful: boolean): void {
    this.clearTimer('attemptTimer');
    this.clearTimer('idleTimer');
    const session = this.session;
    this.session = undefined;
    if (session !== undefined) {
      this.retiring.add(session);
      void session.detach(graceful).then(() => this.retiring.delete(session));
    }
    this.openedAtWall = undefined;
    this.setState('idle', reason);
  }

  private setState(next: ConnectionState, reason: string | undefined): void {
    const previous = this.current;
    if (previous === next) return;
    this.current = next;
    const event = { state: next, previous, reason, epoch: this.epochCount, atMonotonic: this.deps.clock.monotonic() };
    this.handlers.onState(event);
  }

  private clearTimer(name: 'attemptTimer' | 'idleTimer'): void {
    this.deps.clock.clearTimeout(this[name]);
    this[name] = undefined;
  }
}
