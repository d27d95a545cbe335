import {
  type Clock,
  ConfigError,
  type ConfigIssue,
  type Logger,
  type Random,
  silentLogger,
  systemClock,
  systemRandom,
} from '@marketdata/domain';
import WebSocket from 'ws';
import { DEFAULT_WEBSOCKET_BACKOFF, type WebSocketBackoffOptions } from './backoff.js';
import { type ConnectionGovernor, sharedConnectionGovernor } from './connection-governor.js';
import type { UpbitOrderBookDepth, UpbitStreamFormat } from './protocol/subscription-request.js';
import type { WebSocketFactory, WebSocketHeartbeatMode } from './socket-session.js';
import { MAX_TIMER_MS } from './upgrade-refusal.js';

/** Upbit's public WebSocket endpoint. */
export const UPBIT_WEBSOCKET_URL = 'wss://api.upbit.com/websocket/v1';

/** Upbit closes idle connections (documented 120 s, observed ~60 s) and asks for a heartbeat at least every 30 s. */
export const MAX_PING_INTERVAL_MS = 30_000;

/**
 * Options of `createUpbitWebSocketSource`: endpoint, format, heartbeat, linger, backoff, queues and the domain ports.
 */
export interface UpbitWebSocketOptions {
  /** Default `wss://api.upbit.com/websocket/v1`. */
  readonly url?: string | undefined;
  readonly clock?: Clock | undefined;
  readonly logger?: Logger | undefined;
  /** Backoff jitter and request tickets. */
  readonly random?: Random | undefined;
  /** Wire format requested; default `SIMPLE` (less bandwidth). Frames of either format are decoded. */
  readonly format?: UpbitStreamFormat | undefined;
  /** Orderbook units per book, sent as a code suffix (`KRW-BTC.15`); default none (Upbit's full depth). */
  readonly orderBookDepth?: UpbitOrderBookDepth | undefined;
  /** Largest accepted frame; bigger ones close the socket (ws `maxPayload`). Default 1 MiB. */
  readonly maxPayloadBytes?: number | undefined;
  /** Heartbeat period, at most 30 000 ms. Default 1 000. */
  readonly pingIntervalMs?: number | undefined;
  /**
   * After a heartbeat, how long to wait for anything at all before declaring the socket dead. Default 2 000: a
   * WebSocket pong comes back within a round trip, so a socket that answers nothing for 2 s is dead (with `text`
   * heartbeats use 20 000 or more: `{"status":"UP"}` is observed to come every 10 s after a `PING`, not at once).
   * A dead socket is noticed within `pingIntervalMs + livenessTimeoutMs` (3 s by default).
   */
  readonly livenessTimeoutMs?: number | undefined;
  /** Default 10 000. */
  readonly connectTimeoutMs?: number | undefined;
  /**
   * Default `ws-ping`: a WebSocket ping frame, answered by a pong at once (RFC 6455 requires the answer; API.md says
   * Upbit takes a ping as the keep-alive). A control frame, not a request: Upbit's limits count requests (5 a
   * second, 100 a minute), and nothing says they count pings (assumed, not documented). `text` sends Upbit's
   * `PING`, answered by `{"status":"UP"}` only every 10 s or so: too slow to notice a dead socket quickly.
   */
  readonly heartbeat?: WebSocketHeartbeatMode | undefined;
  readonly backoff?: Partial<WebSocketBackoffOptions> | undefined;
  /** Longest wait of `getTicker`/`getTickers`/`getOrderBook`/`getTrades` called without a signal. Default 5 000. */
  readonly snapshotTimeoutMs?: number | undefined;
  /** How long a released symbol (or one asked for by `get…()`) stays on the wire. Default 30 000. */
  readonly lingerMs?: number | undefined;
  /** How long a socket with nothing on the wire stays open (heartbeats going) for reuse. Default 10 000. */
  readonly idleSocketLingerMs?: number | undefined;
  /** Trades buffered per `watchTrades` consumer before the oldest are dropped (and counted). Default 10 000. */
  readonly tradeQueueSize?: number | undefined;
  /**
   * Recent trades kept per symbol for `getTrades` (trades seen since the symbol was subscribed). Default 50: more
   * history is one REST request away (`/v1/trades/ticks`, up to 500 a page), and with every market subscribed 200
   * apiece held some 25 MB.
   */
  readonly recentTradesPerSymbol?: number | undefined;
  /** Gaps kept in `status().gaps`. Default 100. */
  readonly maxGaps?: number | undefined;
  /** Subscription changes are batched: 0 (default) sends once per tick, more waits that long on the clock. */
  readonly requestBatchMs?: number | undefined;
  /** Hold after a first 418 whose answer names no time; doubles per 418 in a row. Default 60 000. */
  readonly blockCoolDownMs?: number | undefined;
  /** No hold after a 429/418 is longer, a `Retry-After` included. Default 3 600 000; at most 2^31 - 1. */
  readonly maxBlockCoolDownMs?: number | undefined;
  /** Identical error frames in a row for the same set before it is no longer sent. Default 3. */
  readonly maxIdenticalRefusals?: number | undefined;
  /** Counts connects per host across sources; default the one shared by the whole process. */
  readonly connectionGovernor?: ConnectionGovernor | undefined;
  /** Injectable socket factory (tests, recording); default `new WebSocket(url, options)` from `ws`. */
  readonly createSocket?: WebSocketFactory | undefined;
}

export interface ResolvedOptions {
  readonly url: string;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly random: Random;
  readonly format: UpbitStreamFormat;
  readonly orderBookDepth: UpbitOrderBookDepth | undefined;
  readonly maxPayloadBytes: number;
  readonly pingIntervalMs: number;
  readonly livenessTimeoutMs: number;
  readonly connectTimeoutMs: number;
  readonly heartbeat: WebSocketHeartbeatMode;
  readonly backoff: WebSocketBackoffOptions;
  readonly snapshotTimeoutMs: number;
  readonly lingerMs: number;
  readonly idleSocketLingerMs: number;
  readonly tradeQueueSize: number;
  readonly recentTradesPerSymbol: number;
  readonly maxGaps: number;
  readonly requestBatchMs: number;
  readonly blockCoolDownMs: number;
  readonly maxBlockCoolDownMs: number;
  readonly maxIdenticalRefusals: number;
  readonly connectionGovernor: ConnectionGovernor;
  readonly createSocket: WebSocketFactory;
}

const defaultFactory: WebSocketFactory = (url, options) => new WebSocket(url, options);

/** Applies defaults and checks every limit; all problems are reported together in one `ConfigError`. */
export function resolveOptions(options: UpbitWebSocketOptions): ResolvedOptions {
  const issues: ConfigIssue[] = [];
  // Every duration becomes a timer: at most 2^31 - 1 ms, or Node fires it after 1 ms with a warning.
  const duration = (path: string, value: number, { min = 0, max = MAX_TIMER_MS, positive = true } = {}): number => {
    if (!Number.isFinite(value) || value < min || value > max || (positive && value <= 0)) {
      issues.push({ path, message: `must be a number ${positive ? '> 0' : '>= 0'} and <= ${max}`, value });
    }
    return value;
  };
  const wholeCount = (path: string, value: number): number => {
    if (!Number.isSafeInteger(value) || value < 1) issues.push({ path, message: 'must be an integer >= 1', value });
    return value;
  };
  const oneOf = <T>(path: string, value: T, allowed: readonly T[]): T => {
    if (!allowed.includes(value)) issues.push({ path, message: `must be one of ${allowed.join(', ')}`, value });
    return value;
  };

  const url = options.url ?? UPBIT_WEBSOCKET_URL;
  if (!/^wss?:\/\/[^/?#]+/.test(url) || !URL.canParse(url)) {
    issues.push({ path: 'url', message: 'must be a ws:// or wss:// URL', value: url });
  }
  const depth = options.orderBookDepth;
  if (depth !== undefined) oneOf<number>('orderBookDepth', depth, [1, 5, 15, 30]);
  const backoff: WebSocketBackoffOptions = {
    baseMs: duration('backoff.baseMs', options.backoff?.baseMs ?? DEFAULT_WEBSOCKET_BACKOFF.baseMs),
    maxMs: duration('backoff.maxMs', options.backoff?.maxMs ?? DEFAULT_WEBSOCKET_BACKOFF.maxMs),
    minMs: duration('backoff.minMs', options.backoff?.minMs ?? DEFAULT_WEBSOCKET_BACKOFF.minMs),
    resetAfterMs: duration(
      'backoff.resetAfterMs',
      options.backoff?.resetAfterMs ?? DEFAULT_WEBSOCKET_BACKOFF.resetAfterMs,
      { positive: false },
    ),
  };
  if (backoff.minMs > backoff.maxMs) {
    issues.push({ path: 'backoff.minMs', message: 'must not exceed backoff.maxMs', value: backoff.minMs });
  }
  const maxBlockCoolDownMs = duration('maxBlockCoolDownMs', options.maxBlockCoolDownMs ?? 3_600_000);
  const resolved: ResolvedOptions = {
    url,
    clock: options.clock ?? systemClock,
    logger: options.logger ?? silentLogger,
    random: options.random ?? systemRandom,
    format: oneOf<UpbitStreamFormat>('format', options.format ?? 'SIMPLE', ['SIMPLE', 'DEFAULT']),
    orderBookDepth: depth,
    maxPayloadBytes: wholeCount('maxPayloadBytes', options.maxPayloadBytes ?? 1024 * 1024),
    pingIntervalMs: duration('pingIntervalMs', options.pingIntervalMs ?? 1_000, { max: MAX_PING_INTERVAL_MS }),
    livenessTimeoutMs: duration('livenessTimeoutMs', options.livenessTimeoutMs ?? 2_000),
    connectTimeoutMs: duration('connectTimeoutMs', options.connectTimeoutMs ?? 10_000),
    heartbeat: oneOf<WebSocketHeartbeatMode>('heartbeat', options.heartbeat ?? 'ws-ping', ['text', 'ws-ping']),
    backoff,
    snapshotTimeoutMs: duration('snapshotTimeoutMs', options.snapshotTimeoutMs ?? 5_000),
    lingerMs: duration('lingerMs', options.lingerMs ?? 30_000, { positive: false }),
    idleSocketLingerMs: duration('idleSocketLingerMs', options.idleSocketLingerMs ?? 10_000, { positive: false }),
    tradeQueueSize: wholeCount('tradeQueueSize', options.tradeQueueSize ?? 10_000),
    recentTradesPerSymbol: wholeCount('recentTradesPerSymbol', options.recentTradesPerSymbol ?? 50),
    maxGaps: wholeCount('maxGaps', options.maxGaps ?? 100),
    requestBatchMs: duration('requestBatchMs', options.requestBatchMs ?? 0, { positive: false }),
    blockCoolDownMs: duration('blockCoolDownMs', options.blockCoolDownMs ?? 60_000, { max: maxBlockCoolDownMs }),
    maxBlockCoolDownMs,
    maxIdenticalRefusals: wholeCount('maxIdenticalRefusals', options.maxIdenticalRefusals ?? 3),
    connectionGovernor: options.connectionGovernor ?? sharedConnectionGovernor,
    createSocket: options.createSocket ?? defaultFactory,
  };
  if (issues.length > 0) throw new ConfigError(issues, { channel: 'config', operation: 'createUpbitWebSocketSource' });
  return resolved;
}
