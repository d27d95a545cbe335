import type { Clock, ConnectionState, Logger, Random, TimerHandle } from '@marketdata/domain';
import WebSocket, { type ClientOptions, type RawData } from 'ws';
import { backoffDelay, type WsBackoffOptions } from './backoff.js';
import { messageText } from './decode/message-text.js';

/** Creates the socket; tests may inject one (e.g. to count listeners), the default is `new WebSocket(url, options)`. */
export type WebSocketFactory = (url: string, options: ClientOptions) => WebSocket;

/** `text` sends Upbit's text `PING` (answered with `{"status":"UP"}`); `ws-ping` sends a WebSocket ping frame. */
export type WsHeartbeatMode = 'text' | 'ws-ping';

export interface ConnectionSettings {
  readonly url: string;
  readonly maxPayloadBytes: number;
  readonly connectTimeoutMs: number;
  readonly pingIntervalMs: number;
  readonly livenessTimeoutMs: number;
  readonly heartbeat: WsHeartbeatMode;
  readonly backoff: WsBackoffOptions;
}

export interface ConnectionLoss {
  readonly reason: string;
  /** True when the connection was declared dead (no data and no heartbeat answer), not closed. */
  readonly dead: boolean;
  readonly wasOpen: boolean;
  /** Local wall time of the last frame received on the lost socket, if any. */
  readonly lastInboundAt: number | undefined;
  /** Delay before the next attempt. */
  readonly retryInMs: number;
}

export interface ConnectionHandlers {
  onState(state: ConnectionState, previous: ConnectionState, reason: string | undefined): void;
  /** The socket is open: send the subscription now. */
  onOpen(): void;
  onMessage(text: string, receivedAt: number): void;
  onLost(loss: ConnectionLoss): void;
}

export interface ConnectionDeps {
  readonly clock: Clock;
  readonly logger: Logger;
  readonly random: Random;
  readonly createSocket: WebSocketFactory;
}

const noop = (): void => {};

/**
 * The connection state machine (ws-library style, every transition explicit):
 *
 *   idle ──ensureConnected──▶ connecting ──open──▶ open
 *   connecting | open ──closed, failed, timed out or declared dead──▶ reconnecting ──(backoff)──▶ … ──open──▶ open
 *   any ──disconnect (nothing subscribed)──▶ idle        any ──close──▶ closed (final)
 *
 * Liveness: every `pingIntervalMs` a heartbeat is sent; if nothing at all (data, status, pong) arrives within
 * `livenessTimeoutMs` after it, the socket is declared dead, terminated and replaced. A socket that is replaced
 * is detached first, so none of its late events can reach the new state.
 */
export class UpbitConnection {
  private currentState: ConnectionState = 'idle';
  private socket: WebSocket | undefined;
  /** Sockets closing gracefully after `disconnect`; terminated on `close`. */
  private readonly retiring = new Set<WebSocket>();
  private attempt = 0;
  private everOpened = false;
  private connectTimer: TimerHandle | undefined;
  private pingTimer: TimerHandle | undefined;
  private livenessTimer: TimerHandle | undefined;
  private reconnectTimer: TimerHandle | undefined;
  private retryAt: number | undefined;
  /** The current socket's last error (ws reports it just before 'close'), to explain the close. */
  private socketError: string | undefined;
  private lastInboundMono = 0;
  private lastInboundWall: number | undefined;
  private pingSentMono = 0;
  private openedAt: number | undefined;
  private reconnectCount = 0;
  private attemptCount = 0;

  constructor(
    private readonly settings: ConnectionSettings,
    private readonly deps: ConnectionDeps,
    private readonly handlers: ConnectionHandlers,
  ) {}

  get state(): ConnectionState {
    return this.currentState;
  }

  get isOpen(): boolean {
    return this.currentState === 'open';
  }

  /** Wall time the current socket opened. */
  get connectedSince(): number | undefined {
    return this.openedAt;
  }

  /** Wall time of the next reconnect attempt while one is scheduled (waiting out the backoff). */
  get nextRetryAt(): number | undefined {
    return this.reconnectTimer === undefined ? undefined : this.retryAt;
  }

  /** Wall time anything (data, heartbeat answer, pong) last arrived on the current socket. */
  get lastInboundAt(): number | undefined {
    return this.lastInboundWall;
  }

  /** Successful opens after a lost connection. */
  get reconnects(): number {
    return this.reconnectCount;
  }

  /** Socket creations, first connection included. */
  get connectAttempts(): number {
    return this.attemptCount;
  }

  /** Timers this connection holds right now (tests prove none dangle). */
  get pendingTimers(): number {
    return [this.connectTimer, this.pingTimer, this.livenessTimer, this.reconnectTimer].filter((t) => t !== undefined)
      .length;
  }

  ensureConnected(): void {
    if (this.currentState !== 'idle') return;
    this.setState('connecting', undefined);
    this.openSocket();
  }

  /** Data arrived on the current socket: the connection works, so the next failure starts backoff from zero. */
  markHealthy(): void {
    this.attempt = 0;
  }

  send(text: string): boolean {
    const socket = this.socket;
    if (this.currentState !== 'open' || socket === undefined || socket.readyState !== WebSocket.OPEN) return false;
    socket.send(text, (error) => {
      if (error !== undefined && error !== null)
        this.deps.logger.debug('WebSocket send failed', { error: error.message });
    });
    return true;
  }

  /** Nothing is subscribed any more: close the socket gracefully and go idle. */
  disconnect(reason: string): void {
    if (this.currentState === 'idle' || this.currentState === 'closed') return;
    const socket = this.takeSocket();
    this.clearTimers();
    this.attempt = 0;
    this.openedAt = undefined;
    if (socket !== undefined) this.retire(socket);
    this.setState('idle', reason);
  }

  /** Final: terminates every socket and timer. Resolves once the sockets have closed. */
  async close(): Promise<void> {
    if (this.currentState === 'closed') return;
    const socket = this.takeSocket();
    this.clearTimers();
    this.openedAt = undefined;
    this.setState('closed', 'closed by caller');
    const sockets = [...this.retiring];
    if (socket !== undefined) sockets.push(socket);
    this.retiring.clear();
    await Promise.all(sockets.map((s) => terminateAndWait(s)));
  }

  private setState(next: ConnectionState, reason: string | undefined): void {
    const previous = this.currentState;
    if (previous === next) return;
    this.currentState = next;
    this.handlers.onState(next, previous, reason);
  }

  private openSocket(): void {
    this.attemptCount++;
    let socket: WebSocket;
    try {
      socket = this.deps.createSocket(this.settings.url, {
        maxPayload: this.settings.maxPayloadBytes,
        // Upbit's support for permessage-deflate is not documented; plain frames keep decoding cost predictable.
        perMessageDeflate: false,
      });
    } catch (error) {
      this.lose(`cannot create socket: ${error instanceof Error ? error.message : String(error)}`, false);
      return;
    }
    this.socket = socket;
    this.socketError = undefined;
    socket.on('open', () => this.onOpen(socket));
    socket.on('message', (data: RawData) => this.onMessage(socket, data));
    socket.on('ping', () => this.onInbound(socket));
    socket.on('pong', () => this.onInbound(socket));
    socket.on('close', (code: number, reason: Buffer) => this.onClose(socket, code, reason));
    socket.on('error', (error: Error) => this.onError(socket, error));
    this.connectTimer = this.deps.clock.setTimeout(() => {
      this.connectTimer = undefined;
      if (this.socket === socket && socket.readyState === WebSocket.CONNECTING) {
        this.lose(`connect timed out after ${this.settings.connectTimeoutMs} ms`, false);
      }
    }, this.settings.connectTimeoutMs);
  }

  private onOpen(socket: WebSocket): void {
    if (socket !== this.socket) return;
    this.deps.clock.clearTimeout(this.connectTimer);
    this.connectTimer = undefined;
    this.onInbound(socket);
    this.openedAt = this.deps.clock.now();
    if (this.everOpened) this.reconnectCount++;
    this.everOpened = true;
    this.setState('open', undefined);
    this.schedulePing();
    this.handlers.onOpen();
  }

  private onInbound(socket: WebSocket): void {
    if (socket !== this.socket) return;
    this.lastInboundMono = this.deps.clock.monotonic();
    this.lastInboundWall = this.deps.clock.now();
  }

  private onMessage(socket: WebSocket, data: RawData): void {
    if (socket !== this.socket) return;
    this.onInbound(socket);
    this.handlers.onMessage(messageText(data), this.lastInboundWall as number);
  }

  private onClose(socket: WebSocket, code: number, reason: Buffer): void {
    if (socket !== this.socket) return;
    const text = reason.length > 0 ? `: ${reason.toString('utf8')}` : '';
    const cause = this.socketError === undefined ? '' : ` after error: ${this.socketError}`;
    // 1006 (no close frame) is how Upbit's idle timeout looks: an ordinary reconnect, never a consumer error.
    this.lose(`connection closed (code ${code}${text})${cause}`, false);
  }

  private onError(socket: WebSocket, error: Error): void {
    if (socket !== this.socket) return;
    // ws always emits 'close' after 'error'; the loss is handled there.
    this.socketError = error.message;
    this.deps.logger.debug('WebSocket error', { error: error.message });
  }

  private schedulePing(): void {
    this.pingTimer = this.deps.clock.setTimeout(() => this.ping(), this.settings.pingIntervalMs);
  }

  private ping(): void {
    this.pingTimer = undefined;
    const socket = this.socket;
    if (this.currentState !== 'open' || socket === undefined) return;
    this.schedulePing();
    this.pingSentMono = this.deps.clock.monotonic();
    if (this.settings.heartbeat === 'text') socket.send('PING');
    else socket.ping();
    if (this.livenessTimer === undefined) {
      // Judged against the ping this timer was armed for: a later ping must not shorten the allowed silence.
      this.armLiveness(this.pingSentMono, this.settings.livenessTimeoutMs);
    }
  }

  private armLiveness(pingSentAt: number, delayMs: number): void {
    this.livenessTimer = this.deps.clock.setTimeout(() => this.checkLiveness(pingSentAt), delayMs);
  }

  private checkLiveness(pingSentAt: number): void {
    this.livenessTimer = undefined;
    if (this.currentState !== 'open') return;
    if (this.lastInboundMono >= pingSentAt) {
      // Alive for that ping; a later ping sent meanwhile and not answered yet gets the rest of its own allowance.
      if (this.lastInboundMono < this.pingSentMono) {
        const remaining = this.pingSentMono + this.settings.livenessTimeoutMs - this.deps.clock.monotonic();
        this.armLiveness(this.pingSentMono, Math.max(0, remaining));
      }
      return;
    }
    const silentMs = Math.round(this.deps.clock.monotonic() - this.lastInboundMono);
    this.lose(`no data and no heartbeat answer for ${silentMs} ms`, true);
  }

  private lose(reason: string, dead: boolean): void {
    const socket = this.takeSocket();
    if (socket !== undefined) terminateQuietly(socket);
    this.clearTimers();
    if (this.currentState === 'closed' || this.currentState === 'idle') return;
    const wasOpen = this.currentState === 'open';
    this.openedAt = undefined;
    const retryInMs = backoffDelay(this.attempt, this.settings.backoff, this.deps.random);
    this.attempt++;
    this.setState('reconnecting', reason);
    this.retryAt = this.deps.clock.now() + retryInMs;
    this.reconnectTimer = this.deps.clock.setTimeout(() => {
      this.reconnectTimer = undefined;
      this.retryAt = undefined;
      if (this.currentState === 'reconnecting') this.openSocket();
    }, retryInMs);
    this.handlers.onLost({ reason, dead, wasOpen, lastInboundAt: this.lastInboundWall, retryInMs });
    this.lastInboundWall = undefined;
  }

  /** Detaches the current socket: none of its later events can reach this machine. */
  private takeSocket(): WebSocket | undefined {
    const socket = this.socket;
    this.socket = undefined;
    if (socket !== undefined) {
      socket.removeAllListeners();
      // A detached socket may still report an error (e.g. closed before the handshake finished): swallow it.
      socket.on('error', noop);
    }
    return socket;
  }

  private retire(socket: WebSocket): void {
    if (socket.readyState === WebSocket.CLOSED) return;
    this.retiring.add(socket);
    socket.once('close', () => this.retiring.delete(socket));
    if (socket.readyState === WebSocket.OPEN) socket.close(1000);
    else socket.terminate();
  }

  private clearTimers(): void {
    const { clock } = this.deps;
    clock.clearTimeout(this.connectTimer);
    clock.clearTimeout(this.pingTimer);
    clock.clearTimeout(this.livenessTimer);
    clock.clearTimeout(this.reconnectTimer);
    this.connectTimer = undefined;
    this.pingTimer = undefined;
    this.livenessTimer = undefined;
    this.reconnectTimer = undefined;
  }
}

function terminateQuietly(socket: WebSocket): void {
  if (socket.readyState !== WebSocket.CLOSED) socket.terminate();
}

function terminateAndWait(socket: WebSocket): Promise<void> {
  if (socket.readyState === WebSocket.CLOSED) return Promise.resolve();
  return new Promise((resolve) => {
    socket.once('close', () => resolve());
    socket.terminate();
  });
}
