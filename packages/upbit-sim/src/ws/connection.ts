import type { Duplex } from 'node:stream';
import type { TimerHandle } from '@marketdata/domain';
import type { WebSocket } from 'ws';
import type { MessageLimit } from './message-limit.js';
import type { WsDataType, WsFormat } from './request-parser.js';

export interface ActiveType {
  readonly type: WsDataType;
  readonly codes: readonly string[];
}

/** One accepted WebSocket connection and what the hub tracks about it. */
export class Connection {
  subscriptions: readonly ActiveType[] = [];
  format: WsFormat = 'DEFAULT';
  lastActivity: number;
  idleTimer: TimerHandle | undefined;
  statusUp = false;
  frames = 0;
  corked = false;
  closed = false;

  constructor(
    readonly id: number,
    readonly ws: WebSocket,
    readonly socket: Duplex,
    now: number,
    /** The per-connection request limit; undefined when rate limits are off. */
    readonly limit: MessageLimit | undefined,
  ) {
    this.lastActivity = now;
  }

  get open(): boolean {
    return !this.closed && this.ws.readyState === this.ws.OPEN;
  }
}
