import type { Clock, Logger } from '@marketdata/domain';
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
};

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
