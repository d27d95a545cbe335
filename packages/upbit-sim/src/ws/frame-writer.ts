import type { Clock, Logger, Random } from '@marketdata/domain';
import type { CounterBook } from '../control/counters.js';
import type { FaultState } from '../control/fault-state.js';
import type { Connection } from './connection.js';
import { malformFrame } from './malform.js';
import { binaryFrameOf } from './ws-frame.js';

/** What a frame is, for the faults: market data, the `{"status":"UP"}` keep-alive, or an error frame. */
export type FrameKind = 'data' | 'status' | 'error';

export interface FrameWriterDeps {
  readonly clock: Clock;
  readonly logger: Logger;
  readonly faults: FaultState;
  readonly counters: CounterBook;
  readonly random: Random;
  readonly maxBufferedBytes: number;
}

/**
 * Writes framed messages to connections: corks each socket for the length of a batch, applies the stall and
 * malformed-frame faults, and cuts off a client that lets too many bytes pile up.
 */
export class FrameWriter {
  private readonly corked: Connection[] = [];
  /** Monotonic time of the current batch, stamped on every connection written to (idle tracking). */
  private stamp = 0;

  constructor(private readonly deps: FrameWriterDeps) {}

  /** Starts a batch of writes at the current time. */
  begin(): void {
    this.stamp = this.deps.clock.monotonic();
  }

  /**
   * Writes one framed message. `payload` is the frame's text, used only when the malformed-frame fault replaces
   * it (data frames only). False when nothing was written.
   */
  write(conn: Connection, frame: Buffer, kind: FrameKind, payload?: string): boolean {
    const faults = this.deps.faults;
    if (faults.stalled || (kind === 'data' && faults.dataStalled) || !conn.open) return false;
    let bytes = frame;
    if (kind === 'data' && payload !== undefined && faults.malformedRatio > 0) {
      if (this.deps.random.next() < faults.malformedRatio) {
        bytes = binaryFrameOf(malformFrame(payload, this.deps.random).text);
        this.deps.counters.malformedFramesSent++;
      }
    }
    if (!conn.corked) {
      conn.socket.cork();
      conn.corked = true;
      this.corked.push(conn);
    }
    conn.socket.write(bytes);
    conn.frames++;
    conn.lastActivity = this.stamp;
    if (conn.ws.bufferedAmount > this.deps.maxBufferedBytes) {
      this.deps.logger.warn('upbit-sim: websocket client too slow, cutting it off', { id: conn.id });
      conn.ws.terminate();
      return false;
    }
    return true;
  }

  /** Ends the batch: every corked socket is flushed. */
  flush(): void {
    for (const conn of this.corked) {
      conn.corked = false;
      conn.socket.uncork();
    }
    this.corked.length = 0;
  }
}
