import type { MarketStatusPatch } from '../model/market-status.js';
import type { SimMarketState } from '../model/market-types.js';
import type { RestGroup } from '../options.js';
import type { SimCounters } from './counters.js';
import type { SimCandle, SimCandleInterval } from './sim-candle.js';
import type { WsConnectBreak } from './ws-faults.js';

export interface SimSubscription {
  readonly connectionId: number;
  readonly type: string;
  readonly codes: readonly string[];
  readonly format: string;
}

/** Options of an injected refusal: the `Retry-After` header to send (any header-safe text, absurd values too). */
export interface RefusalOptions {
  readonly retryAfter?: string | number;
}

/** `rejectSubscriptions`: the error frame every subscription request gets. */
export interface SubscriptionRejectionOptions {
  readonly name: string;
  readonly message: string;
  /** Close with 1000 after the frame (default true, as after Upbit's own error frames). */
  readonly close?: boolean;
}

/** Fault injection and observation of a running simulator. Counts of `Infinity` mean "until switched off". */
export interface SimControl {
  /** Abrupt close (no close frame, the client sees 1006) of every WebSocket connection. */
  dropConnections(): void;
  /** TCP reset (RST) of every WebSocket connection: the client sees ECONNRESET and 1006. REST is untouched. */
  resetConnections(): void;
  /** Keep sockets open but send nothing: no data, no `UP` answers, no pongs; idle close is held too. */
  stall(enabled: boolean): void;
  /**
   * Stop every WebSocket data frame (snapshots included) while `{"status":"UP"}` after `PING` and pongs go on:
   * a feed that looks alive but delivers nothing.
   */
  stallData(enabled: boolean): void;
  /** Share (0..1) of WebSocket data frames replaced by malformed ones (truncated, wrong type, missing field). */
  setMalformedRatio(ratio: number): void;
  /** Extra delay before REST responses of a group (or all groups). 0 removes it. */
  setRestLatency(group: RestGroup | 'all', ms: number): void;
  /**
   * The next `count` requests of the group answer `status` (5xx, 429, 418 ...), with `Retry-After` when given
   * (e.g. `3000000` or a 400-digit number). 0 clears.
   */
  failRest(group: RestGroup | 'all', status: number, count: number, options?: RefusalOptions): void;
  /** The next `count` successful REST replies of the group stream a valid JSON body of `bytes` bytes (up to 4 GiB,
   * written in chunks, never held in memory at once). 0 clears. */
  hugeBodies(bytes: number, count: number, group?: RestGroup | 'all'): void;
  /** Send headers, then the body after `ms` (0 = off). */
  slowBodies(ms: number): void;
  /** The next `count` REST bodies are cut in half (the response itself completes). */
  truncateBodies(count: number): void;
  /** The next `count` WebSocket upgrade requests are answered with `status` (418, 429, 5xx ...) and
   * `Retry-After` when given. REST is untouched. 0 clears. */
  failWsUpgrades(status: number, count: number, options?: RefusalOptions): void;
  /** The next `count` WebSocket upgrade requests are broken at the TCP level (`reset`, `close`, `hang`; see
   * WsConnectBreak) while REST on the same port stays healthy. `off` clears. */
  breakWsConnects(mode: WsConnectBreak | 'off', count?: number): void;
  /** Every subscription request is answered with this error frame (then a close with 1000 unless `close` is
   * false) and not applied; `false` switches it off. */
  rejectSubscriptions(rejection: SubscriptionRejectionOptions | false): void;
  /** No trades and no book changes for that market while frozen. */
  freezeMarket(code: string, frozen: boolean): void;
  /** Trades now at `ratio` times the last price, e.g. 1.05 = +5%. */
  jumpPrice(code: string, ratio: number): void;
  /**
   * Changes a market's listing status: `market_event` in `/v1/market/all?isDetails=true`, and the WebSocket
   * ticker's `market_warning`, `market_state`, `is_trading_suspended`, `delisting_date` (subscribers get a ticker
   * frame right away). A suspended or non-ACTIVE market stops trading.
   */
  setMarketStatus(code: string, patch: MarketStatusPatch): void;
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
  /**
   * The simulator's own candles of a market with `from <= openTime < to` (epoch ms), oldest first: the truth
   * REST history and the candle streams are cut from, with the numbers as they are written on the wire.
   */
  candles(code: string, interval: SimCandleInterval, from: number, to: number): readonly SimCandle[];
  /** Whether the REST/WebSocket port is listening. */
  isListening(): boolean;
}
