import { type Clock, ConfigError, type Logger } from '@marketdata/domain';
import type { ReplayFrame } from './replay/replay-file.js';

export type RestGroup = 'market' | 'ticker' | 'orderbook' | 'candles' | 'crix-trades';
export const REST_GROUPS: readonly RestGroup[] = ['market', 'ticker', 'orderbook', 'candles', 'crix-trades'];

/**
 * Rate limits. Documented by Upbit: 10 requests/s per IP per group, 1 request per 10 s for requests with an
 * `Origin` header, 5 WebSocket connects/s per IP, and 418 with a growing block for clients that keep going after
 * 429. How many 429s lead to a 418 and how long a block lasts are not published: those defaults are ours.
 */
export interface RateLimitOptions {
  /** Requests per window per IP per group (Upbit: 10). */
  readonly perGroup: number;
  /** Sliding window, ms (Upbit: one second). */
  readonly windowMs: number;
  /** Requests with an Origin header per origin window per IP (Upbit: 1 per 10 s). */
  readonly originPerWindow: number;
  readonly originWindowMs: number;
  /** WebSocket connection requests per window per IP (Upbit: 5 per second). */
  readonly wsConnectsPerWindow: number;
  /** 429s within `abuseWindowMs` that turn into a 418 block (not published by Upbit). */
  readonly abuseThreshold: number;
  readonly abuseWindowMs: number;
  /** First block length; each further block doubles it, up to `blockMaxMs` (not published by Upbit). */
  readonly blockBaseMs: number;
  readonly blockMaxMs: number;
  /** Subscription messages per connection per rolling second (documented: 5). */
  readonly wsMessagesPerSecond: number;
  /** Subscription messages per connection per rolling minute (documented: 100). */
  readonly wsMessagesPerMinute: number;
  /**
   * The answer to a message over the per-connection limit. Upbit's is not on record; chosen here: an error frame
   * `{"error":{"name":"TOO_MANY_REQUESTS","message":"Too many API requests."}}` (the name in the upper-case style
   * of Upbit's WebSocket errors, the text of its REST 429), the message is not applied, and the connection is
   * closed with 1000 as after Upbit's other error frames.
   */
  readonly wsMessageLimitName: string;
  readonly wsMessageLimitMessage: string;
  readonly wsMessageLimitClose: boolean;
}

export const DEFAULT_RATE_LIMITS: RateLimitOptions = {
  perGroup: 10,
  windowMs: 1000,
  originPerWindow: 1,
  originWindowMs: 10_000,
  wsConnectsPerWindow: 5,
  abuseThreshold: 10,
  abuseWindowMs: 10_000,
  blockBaseMs: 10_000,
  blockMaxMs: 3_600_000,
  wsMessagesPerSecond: 5,
  wsMessagesPerMinute: 100,
  wsMessageLimitName: 'TOO_MANY_REQUESTS',
  wsMessageLimitMessage: 'Too many API requests.',
  wsMessageLimitClose: true,
};

const NUMERIC_LIMITS = [
  'perGroup',
  'windowMs',
  'originPerWindow',
  'originWindowMs',
  'wsConnectsPerWindow',
  'abuseThreshold',
  'abuseWindowMs',
  'blockBaseMs',
  'blockMaxMs',
  'wsMessagesPerSecond',
  'wsMessagesPerMinute',
] as const;

/** The defaults overridden by `partial`, every value checked (unknown keys and wrong types are ConfigErrors). */
export function resolveRateLimits(partial: Partial<RateLimitOptions> | undefined): RateLimitOptions {
  const merged = { ...DEFAULT_RATE_LIMITS, ...partial };
  const issues: { path: string; message: string; value?: unknown }[] = [];
  for (const key of Object.keys(partial ?? {})) {
    if (!(key in DEFAULT_RATE_LIMITS)) issues.push({ path: `rateLimits.${key}`, message: 'unknown rate limit option' });
  }
  for (const key of NUMERIC_LIMITS) {
    const value = merged[key];
    if (typeof value !== 'number' || !(value > 0) || !Number.isFinite(value)) {
      issues.push({ path: `rateLimits.${key}`, message: 'must be a positive finite number', value });
    }
  }
  for (const key of ['wsMessageLimitName', 'wsMessageLimitMessage'] as const) {
    if (typeof merged[key] !== 'string') issues.push({ path: `rateLimits.${key}`, message: 'must be a string' });
  }
  if (typeof merged.wsMessageLimitClose !== 'boolean') {
    issues.push({ path: 'rateLimits.wsMessageLimitClose', message: 'must be a boolean' });
  }
  if (issues.length > 0) throw new ConfigError(issues);
  return merged;
}

export interface ReplayOptions {
  readonly frames: readonly ReplayFrame[];
  /** 1 = original pace, 2 = twice as fast. Default 1. */
  readonly speed?: number;
  /** Start again from the first frame after the last. Default false. */
  readonly loop?: boolean;
}

export interface StartUpbitSimOptions {
  /** Default 1: deterministic market universe and random walk. */
  seed?: number;
  /** Default '127.0.0.1'. */
  host?: string;
  /** Default 0 (random). REST and WebSocket share this port, like api.upbit.com. */
  port?: number;
  /** Admin HTTP endpoint for faults; default 0 (random); false = none. */
  adminPort?: number | false;
  /** Default: the system clock. Tests pass FakeClock and advance it. */
  clock?: Clock;
  logger?: Logger;
  /** Restrict the universe (codes from the built-in list); default all. */
  markets?: readonly string[];
  /** false = off (benchmarks); defaults as Upbit. */
  rateLimits?: Partial<RateLimitOptions> | false;
  /** WebSocket idle close after this much silence in both directions, default 60_000 (observed ~60 s). */
  idleTimeoutMs?: number;
  /** Multiplies every market's trade rate (bench load), default 1. */
  tradeRateScale?: number;
  /** Interval of `{"status":"UP"}` after a text PING, default 10_000 (documented and observed). */
  statusIntervalMs?: number;
  /** A WebSocket client with more unsent bytes than this is cut off, default 64 MiB (Upbit's limit is unknown). */
  maxBufferedBytes?: number;
  /** Replay recorded frames to WebSocket subscribers instead of the simulated stream. */
  replay?: ReplayOptions;
}
