import { type Clock, ConfigError, type ConfigIssue, type Logger, type Random, silentLogger } from '@marketdata/domain';
import WebSocket from 'ws';
import { systemClock } from '../shared/system-clock.js';
import { systemRandom } from '../shared/system-random.js';
import { DEFAULT_WS_BACKOFF, type WsBackoffOptions } from './backoff.js';
import type { WebSocketFactory, WsHeartbeatMode } from './connection.js';
import { DEFAULT_WS_FRESHNESS, type WsFreshnessOptions } from './freshness-tracker.js';
import type { UpbitOrderBookDepth, UpbitStreamFormat } from './protocol/subscription-request.js';

export const UPBIT_WEBSOCKET_URL = 'wss://api.upbit.com/websocket/v1';

/** Upbit closes idle connections (documented 120 s, observed ~60 s) and asks for a heartbeat at least every 30 s. */
export const MAX_PING_INTERVAL_MS = 30_000;

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
  /** Heartbeat period, at most 30 000 ms. Default 25 000. */
  readonly pingIntervalMs?: number | undefined;
  /**
   * After a heartbeat, how long to wait for anything at all before declaring the socket dead. Default 20 000:
   * `{"status":"UP"}` is observed to come every 10 s after a `PING`, not necessarily at once, so 10 s could
   * misfire on a quiet subscription. A stall is thus noticed within `pingIntervalMs + livenessTimeoutMs`.
   */
  readonly livenessTimeoutMs?: number | undefined;
  /** Default 10 000. */
  readonly connectTimeoutMs?: number | undefined;
  /** Default `text` (Upbit's `PING`). */
  readonly heartbeat?: WsHeartbeatMode | undefined;
  readonly backoff?: Partial<WsBackoffOptions> | undefined;
  /** Default timeout of `getTicker`/`getTickers`/`getOrderBook`/`getTrades`. Default 5 000. */
  readonly requestTimeoutMs?: number | undefined;
  /** How long a symbol asked for through `get…()` stays subscribed after the last call. Default 60 000. */
  readonly lingerMs?: number | undefined;
  /** Trades buffered per `watchTrades` iterator before the oldest are dropped (and counted). Default 10 000. */
  readonly tradeQueueSize?: number | undefined;
  /** Recent trades kept per symbol for `getTrades`. Default 200. */
  readonly recentTradesPerSymbol?: number | undefined;
  /** Gaps kept in `status().gaps`. Default 100. */
  readonly maxGaps?: number | undefined;
  /** Subscription changes are batched: 0 (default) sends once per tick, more waits that long on the clock. */
  readonly requestBatchMs?: number | undefined;
  readonly freshness?: Partial<WsFreshnessOptions> | undefined;
  /** Injectable socket factory (tests); default `new WebSocket(url, options)` from `ws`. */
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
  readonly heartbeat: WsHeartbeatMode;
  readonly backoff: WsBackoffOptions;
  readonly requestTimeoutMs: number;
  readonly lingerMs: number;
  readonly tradeQueueSize: number;
  readonly recentTradesPerSymbol: number;
  readonly maxGaps: number;
  readonly requestBatchMs: number;
  readonly freshness: WsFreshnessOptions;
  readonly createSocket: WebSocketFactory;
}

const defaultFactory: WebSocketFactory = (url, options) => new WebSocket(url, options);

/** Applies defaults and checks every limit; all problems are reported together in one `ConfigError`. */
export function resolveOptions(options: UpbitWebSocketOptions): ResolvedOptions {
  const issues: ConfigIssue[] = [];
  const positive = (path: string, value: number, max = Number.POSITIVE_INFINITY): number => {
    if (!Number.isFinite(value) || value <= 0 || value > max) {
      issues.push({ path, message: `must be a number > 0${Number.isFinite(max) ? ` and <= ${max}` : ''}`, value });
    }
    return value;
  };
  const wholeCount = (path: string, value: number): number => {
    if (!Number.isSafeInteger(value) || value < 1) issues.push({ path, message: 'must be an integer >= 1', value });
    return value;
  };
  const nonNegative = (path: string, value: number): number => {
    if (!Number.isFinite(value) || value < 0) issues.push({ path, message: 'must be a number >= 0', value });
    return value;
  };

  const url = options.url ?? UPBIT_WEBSOCKET_URL;
  if (!/^wss?:\/\//.test(url)) issues.push({ path: 'url', message: 'must start with ws:// or wss://', value: url });
  const format = options.format ?? 'SIMPLE';
  if (format !== 'SIMPLE' && format !== 'DEFAULT') {
    issues.push({ path: 'format', message: "must be 'SIMPLE' or 'DEFAULT'", value: format });
  }
  const depth = options.orderBookDepth;
  if (depth !== undefined && ![1, 5, 15, 30].includes(depth)) {
    issues.push({ path: 'orderBookDepth', message: 'must be 1, 5, 15 or 30', value: depth });
  }
  const heartbeat = options.heartbeat ?? 'text';
  if (heartbeat !== 'text' && heartbeat !== 'ws-ping') {
    issues.push({ path: 'heartbeat', message: "must be 'text' or 'ws-ping'", value: heartbeat });
  }
  const backoff: WsBackoffOptions = {
    baseMs: positive('backoff.baseMs', options.backoff?.baseMs ?? DEFAULT_WS_BACKOFF.baseMs),
    maxMs: positive('backoff.maxMs', options.backoff?.maxMs ?? DEFAULT_WS_BACKOFF.maxMs),
    minMs: positive('backoff.minMs', options.backoff?.minMs ?? DEFAULT_WS_BACKOFF.minMs),
  };
  if (backoff.minMs > backoff.maxMs) {
    issues.push({ path: 'backoff.minMs', message: 'must not exceed backoff.maxMs', value: backoff.minMs });
  }
  const freshness: WsFreshnessOptions = { ...DEFAULT_WS_FRESHNESS, ...options.freshness };
  if (!(freshness.smoothing > 0 && freshness.smoothing <= 1)) {
    issues.push({ path: 'freshness.smoothing', message: 'must be in (0, 1]', value: freshness.smoothing });
  }
  positive('freshness.initialIntervalMs', freshness.initialIntervalMs);
  positive('freshness.minIntervalMs', freshness.minIntervalMs);
  positive('freshness.maxIntervalMs', freshness.maxIntervalMs);
  positive('freshness.staleFactor', freshness.staleFactor);
  nonNegative('freshness.minStaleMs', freshness.minStaleMs);
  if (freshness.minIntervalMs > freshness.maxIntervalMs) {
    issues.push({ path: 'freshness.minIntervalMs', message: 'must not exceed freshness.maxIntervalMs' });
  }

  const resolved: ResolvedOptions = {
    url,
    clock: options.clock ?? systemClock,
    logger: options.logger ?? silentLogger,
    random: options.random ?? systemRandom,
    format,
    orderBookDepth: depth,
    maxPayloadBytes: wholeCount('maxPayloadBytes', options.maxPayloadBytes ?? 1024 * 1024),
    pingIntervalMs: positive('pingIntervalMs', options.pingIntervalMs ?? 25_000, MAX_PING_INTERVAL_MS),
    livenessTimeoutMs: positive('livenessTimeoutMs', options.livenessTimeoutMs ?? 20_000),
    connectTimeoutMs: positive('connectTimeoutMs', options.connectTimeoutMs ?? 10_000),
    heartbeat,
    backoff,
    requestTimeoutMs: positive('requestTimeoutMs', options.requestTimeoutMs ?? 5_000),
    lingerMs: nonNegative('lingerMs', options.lingerMs ?? 60_000),
    tradeQueueSize: wholeCount('tradeQueueSize', options.tradeQueueSize ?? 10_000),
    recentTradesPerSymbol: wholeCount('recentTradesPerSymbol', options.recentTradesPerSymbol ?? 200),
    maxGaps: wholeCount('maxGaps', options.maxGaps ?? 100),
    requestBatchMs: nonNegative('requestBatchMs', options.requestBatchMs ?? 0),
    freshness,
    createSocket: options.createSocket ?? defaultFactory,
  };
  if (issues.length > 0) throw new ConfigError(issues, { channel: 'config', operation: 'createUpbitWebSocketSource' });
  return resolved;
}
