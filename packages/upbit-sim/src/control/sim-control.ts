import type { SimMarketState } from '../model/market-types.js';
import type { RestGroup } from '../options.js';
import type { SimCounters } from './counters.js';

export interface SimSubscription {
  readonly connectionId: number;
  readonly type: string;
  readonly codes: readonly string[];
  readonly format: string;
}

/** Fault injection and observation of a running simulator. */
export interface SimControl {
  /** Abrupt close (no close frame, the client sees 1006) of every WebSocket connection. */
  dropConnections(): void;
  /** Keep sockets open but send nothing: no data, no `UP` answers, no pongs; idle close is held too. */
  stall(enabled: boolean): void;
  /** Share (0..1) of WebSocket data frames replaced by malformed ones (truncated, wrong type, missing field). */
  setMalformedRatio(ratio: number): void;
  /** Extra delay before REST responses of a group (or all groups). 0 removes it. */
  setRestLatency(group: RestGroup | 'all', ms: number): void;
  /** The next `count` requests of the group answer `status` (5xx, 429, 418). */
  failRest(group: RestGroup | 'all', status: number, count: number): void;
  /** Send headers, then the body after `ms` (0 = off). */
  slowBodies(ms: number): void;
  /** The next `count` REST bodies are cut in half (the response itself completes). */
  truncateBodies(count: number): void;
  /** No trades and no book changes for that market while frozen. */
  freezeMarket(code: string, frozen: boolean): void;
  /** Trades now at `ratio` times the last price, e.g. 1.05 = +5%. */
  jumpPrice(code: string, ratio: number): void;
  /** Closes the listening server and every connection (new connections are refused). */
  stop(): Promise<void>;
  /** Listens again on the same port. */
  start(): Promise<void>;
  restart(): Promise<void>;
  /** Sends `{"error":{"name","message"}}` to every WebSocket client, then closes them with 1000 (as Upbit does
   * after an error) unless `close` is false. */
  sendWsError(name: string, message: string, options?: { readonly close?: boolean }): void;
  counters(): SimCounters;
  resetCounters(): void;
  subscriptions(): readonly SimSubscription[];
  connectionCount(): number;
  /** Current state of a market (the same state REST and WebSocket read), rolled to now. */
  market(code: string): SimMarketState | undefined;
  marketCodes(): readonly string[];
  /** Whether the REST/WebSocket port is listening. */
  isListening(): boolean;
}
