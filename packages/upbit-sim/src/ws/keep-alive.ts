import type { Clock, Logger, TimerHandle } from '@marketdata/domain';
import type { FaultState } from '../control/fault-state.js';
import type { Connection } from './connection.js';
import type { FrameWriter } from './frame-writer.js';
import { STATUS_UP } from './ws-errors.js';
import { binaryFrameOf } from './ws-frame.js';

export interface KeepAliveDeps {
  readonly clock: Clock;
  readonly logger: Logger;
  readonly faults: FaultState;
  readonly writer: FrameWriter;
  readonly idleTimeoutMs: number;
  readonly statusIntervalMs: number;
  /** The open connections (the hub's set). */
  readonly connections: ReadonlySet<Connection>;
  /** Forgets a connection the idle check closed. */
  readonly forget: (conn: Connection) => void;
}

/**
 * Idle close and the `{"status":"UP"}` keep-alive. Observed: an idle socket (no traffic either way) is closed
 * after about 60 s with 1006 and no close frame; after a text `PING` the server sends `{"status":"UP"}` every
 * 10 s (on a grid shared by all connections).
 */
export class KeepAlive {
  private readonly origin: number;
  private statusTimer: TimerHandle | undefined;

  constructor(private readonly deps: KeepAliveDeps) {
    this.origin = deps.clock.monotonic();
  }

  armIdle(conn: Connection): void {
    const clock = this.deps.clock;
    const due = conn.lastActivity + this.deps.idleTimeoutMs;
    conn.idleTimer = clock.setTimeout(() => this.checkIdle(conn), Math.max(0, due - clock.monotonic()));
  }

  private checkIdle(conn: Connection): void {
    conn.idleTimer = undefined;
    if (conn.closed) return;
    const now = this.deps.clock.monotonic();
    if (this.deps.faults.stalled) {
      // While stalled the idle clock is held: the socket stays open however long the stall lasts.
      conn.lastActivity = now;
    } else if (now - conn.lastActivity >= this.deps.idleTimeoutMs) {
      this.deps.logger.debug('upbit-sim: closing idle websocket', { id: conn.id, silentMs: now - conn.lastActivity });
      conn.ws.terminate();
      this.deps.forget(conn);
      return;
    }
    this.armIdle(conn);
  }

  /** A text PING arrived on `conn`: it gets `{"status":"UP"}` from now on. */
  onPing(conn: Connection): void {
    conn.statusUp = true;
    if (this.statusTimer !== undefined) return;
    const clock = this.deps.clock;
    const interval = this.deps.statusIntervalMs;
    const elapsed = (clock.monotonic() - this.origin) % interval;
    this.statusTimer = clock.setTimeout(this.sendStatus, interval - elapsed);
  }

  private readonly sendStatus = (): void => {
    this.statusTimer = undefined;
    const writer = this.deps.writer;
    writer.begin();
    const frame = binaryFrameOf(STATUS_UP);
    let any: Connection | undefined;
    for (const conn of this.deps.connections) {
      if (!conn.statusUp || conn.closed) continue;
      any = conn;
      writer.write(conn, frame, 'status');
    }
    writer.flush();
    if (any !== undefined) this.onPing(any);
  };

  /** A connection ended: its idle timer stops, and the status timer when nobody wants `UP` any more. */
  onClosed(conn: Connection): void {
    this.deps.clock.clearTimeout(conn.idleTimer);
    conn.idleTimer = undefined;
    if (this.statusTimer !== undefined && ![...this.deps.connections].some((c) => c.statusUp)) {
      this.deps.clock.clearTimeout(this.statusTimer);
      this.statusTimer = undefined;
    }
  }

  close(): void {
    this.deps.clock.clearTimeout(this.statusTimer);
    this.statusTimer = undefined;
  }
}
