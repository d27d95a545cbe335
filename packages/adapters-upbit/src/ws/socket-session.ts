import type { Clock, Logger, TimerHandle } from '@marketdata/domain';
import WebSocket, { type ClientOptions, type RawData } from 'ws';
import type { ConnectionGovernor } from './connection-governor.js';
import { messageText } from './decode/message-text.js';
import { Heartbeat, type HeartbeatSettings } from './heartbeat.js';
import {
  type ConnectRefusal,
  connectTimedOut,
  type RefusalPolicy,
  unreachable,
  upgradeRefusal,
} from './upgrade-refusal.js';

/** Creates the socket; tests may inject one (e.g. to count listeners), the default is `new WebSocket(url, options)`. */
export type WebSocketFactory = (url: string, options: ClientOptions) => WebSocket;

/** `text` sends Upbit's text `PING` (answered with `{"status":"UP"}`); `ws-ping` sends a WebSocket ping frame. */
export type WebSocketHeartbeatMode = 'text' | 'ws-ping';

export interface SessionSettings extends HeartbeatSettings, RefusalPolicy {
  readonly url: string;
  readonly maxPayloadBytes: number;
  readonly connectTimeoutMs: number;
  readonly heartbeat: WebSocketHeartbeatMode;
}

export interface SessionDeps {
  readonly clock: Clock;
  readonly logger: Logger;
  readonly createSocket: WebSocketFactory;
  readonly governor: ConnectionGovernor;
  /** The governor's key for this URL. */
  readonly host: string;
}

/** An open socket was lost (closed, or declared dead by the heartbeat). */
export interface ConnectionLoss {
  readonly reason: string;
  readonly dead: boolean;
  /** The last frame received on the lost socket (wall, monotonic), if any. */
  readonly lastInboundAt: number | undefined;
  readonly lastInboundMonotonic: number | undefined;
}

/** How a session ended on its own: refused before it opened, or lost after. */
export type SessionEnd = { readonly refusal: ConnectRefusal } | { readonly loss: ConnectionLoss };

export interface SessionEvents {
  opened(): void;
  message(text: string, receivedAt: number, receivedAtMonotonic: number): void;
  inbound(atMonotonic: number): void;
  /** Called at most once, and never after `detach`. */
  ended(end: SessionEnd): void;
}

const noop = (): void => {};

/**
 * One socket's life: the upgrade (with its connect timeout and the reading of a refused upgrade: 429, 418, other),
 * the heartbeat while open, receive times stamped as the bytes arrive, and how it ended. Once ended or detached,
 * none of the socket's late events reach anyone.
 */
export class SocketSession {
  private socket: WebSocket | undefined;
  private heartbeat: Heartbeat | undefined;
  private connectTimer: TimerHandle | undefined;
  private socketError: unknown;
  private opened = false;
  private finished = false;
  private closed: Promise<void> | undefined;
  private closingSocket: WebSocket | undefined;
  lastInboundAt: number | undefined;
  lastInboundMonotonic: number | undefined;
  /** The current read of the socket has been stamped (see `onMessage`). */
  private readStamped = false;

  constructor(
    private readonly settings: SessionSettings,
    private readonly deps: SessionDeps,
    private readonly events: SessionEvents,
  ) {}

  /** Creates the socket. A factory that throws ends the session at once (synchronously). */
  start(): void {
    let socket: WebSocket;
    try {
      // Upbit's support for permessage-deflate is not documented; plain frames keep decoding cost predictable.
      socket = this.deps.createSocket(this.settings.url, {
        maxPayload: this.settings.maxPayloadBytes,
        perMessageDeflate: false,
      });
    } catch (error) {
      this.end({ refusal: unreachable(error, String(error)) });
      return;
    }
    this.socket = socket;
    socket.on('open', () => this.onOpen(socket));
    socket.on('message', (data: RawData) => this.onMessage(data));
    socket.on('ping', () => this.onInbound());
    socket.on('pong', () => this.onInbound());
    socket.on('close', (code: number, reason: Buffer) => this.onClose(code, reason));
    socket.on('error', (error: Error) => {
      // ws always emits 'close' after 'error'; the end is reported there.
      this.socketError = error;
      this.deps.logger.debug('WebSocket error', { error: error.message });
    });
    socket.on('unexpected-response', (_request, response) => {
      const { governor, host } = this.deps;
      const status = response.statusCode ?? 0;
      const held = status === 429 ? 'rate-limited' : status === 418 ? 'blocked' : undefined;
      const repeats = held === undefined ? 1 : governor.noteRefusal(host, held);
      const header = response.headers['retry-after'];
      const refusal = upgradeRefusal(status, header, repeats, this.settings, this.deps.clock.now());
      if (refusal.holdMs !== undefined) governor.hold(host, refusal.holdMs);
      this.end({ refusal });
    });
    this.connectTimer = this.deps.clock.setTimeout(() => {
      this.connectTimer = undefined;
      this.end({ refusal: connectTimedOut(this.settings.connectTimeoutMs) });
    }, this.settings.connectTimeoutMs);
  }

  get pendingTimers(): number {
    return (this.connectTimer === undefined ? 0 : 1) + (this.heartbeat?.pendingTimers ?? 0);
  }

  send(text: string): boolean {
    const socket = this.socket;
    if (!this.opened || socket === undefined || socket.readyState !== WebSocket.OPEN) return false;
    socket.send(text, (error) => {
      if (error !== undefined && error !== null)
        this.deps.logger.debug('WebSocket send failed', { error: error.message });
    });
    return true;
  }

  /**
   * Stops the session without reporting anything: terminated, or closed with 1000 when `graceful` and open (a
   * later non-graceful call terminates a graceful close still under way). Resolves once the socket has closed.
   */
  detach(graceful = false): Promise<void> {
    if (this.closed !== undefined) {
      if (!graceful && this.closingSocket !== undefined && this.closingSocket.readyState !== WebSocket.CLOSED) {
        this.closingSocket.terminate();
      }
      return this.closed;
    }
    const socket = this.socket;
    this.finished = true;
    this.stopTimers();
    this.socket = undefined;
    if (socket === undefined) {
      this.closed = Promise.resolve();
      return this.closed;
    }
    socket.removeAllListeners();
    // A detached socket may still report an error (e.g. closed before the handshake finished): swallow it.
    socket.on('error', noop);
    if (socket.readyState === WebSocket.CLOSED) {
      this.closed = Promise.resolve();
      return this.closed;
    }
    this.closingSocket = socket;
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
    if (graceful && socket.readyState === WebSocket.OPEN) socket.close(1000);
    else socket.terminate();
    return this.closed;
  }

  private onOpen(socket: WebSocket): void {
    this.deps.clock.clearTimeout(this.connectTimer);
    this.connectTimer = undefined;
    this.opened = true;
    this.onInbound();
    const ping = this.settings.heartbeat === 'text' ? () => socket.send('PING') : () => socket.ping();
    this.heartbeat = new Heartbeat(this.deps.clock, this.settings, ping, (silentMs) =>
      this.end({ loss: this.loss(`no data and no heartbeat answer for ${silentMs} ms`, true) }),
    );
    this.events.opened();
  }

  private onInbound(): void {
    this.lastInboundMonotonic = this.deps.clock.monotonic();
    this.lastInboundAt = this.deps.clock.now();
    this.heartbeat?.inbound(this.lastInboundMonotonic);
    this.events.inbound(this.lastInboundMonotonic);
  }

  private onMessage(data: RawData): void {
    // Frames that came in one read of the socket arrived together: `ws` hands them over in one synchronous run, and
    // they share the stamp of the first (read once, not twice per frame; microtasks run only between reads).
    if (!this.readStamped) {
      this.onInbound();
      this.readStamped = true;
      queueMicrotask(this.readDone);
    }
    this.events.message(messageText(data), this.lastInboundAt ?? 0, this.lastInboundMonotonic ?? 0);
  }

  private readonly readDone = (): void => {
    this.readStamped = false;
  };

  private onClose(code: number, reason: Buffer): void {
    const text = reason.length > 0 ? `: ${reason.toString('utf8')}` : '';
    const cause = this.socketError instanceof Error ? ` after error: ${this.socketError.message}` : '';
    const description = `connection closed (code ${code}${text})${cause}`;
    // 1006 (no close frame) is how Upbit's idle timeout looks: an ordinary reconnect, never a consumer error.
    if (this.opened) this.end({ loss: this.loss(description, false) });
    else this.end({ refusal: unreachable(this.socketError ?? new Error(description), description) });
  }

  private loss(reason: string, dead: boolean): ConnectionLoss {
    return { reason, dead, lastInboundAt: this.lastInboundAt, lastInboundMonotonic: this.lastInboundMonotonic };
  }

  private end(end: SessionEnd): void {
    if (this.finished) return;
    void this.detach();
    this.events.ended(end);
  }

  private stopTimers(): void {
    this.deps.clock.clearTimeout(this.connectTimer);
    this.connectTimer = undefined;
    this.heartbeat?.stop();
    this.heartbeat = undefined;
  }
}
