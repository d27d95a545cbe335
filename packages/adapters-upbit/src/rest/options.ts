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
import { DEFAULT_REST_RATE_LIMIT, type RestRateLimitOptions } from './http/rate-limit-options.js';
import type { RestBudgets } from './http/rest-budgets.js';
import { MAX_TIMER_DELAY_MS } from './http/timer-delay.js';

/** The `fetch` signature the client calls (a URL string plus `{ signal, headers }`); `globalThis.fetch` fits. */
export type FetchFunction = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/** Backoff between REST retries (full jitter). */
export interface RestBackoffOptions {
  /** 5xx / network / timeout: delay = random() * min(maxDelayMs, baseDelayMs * 2^attempt) (full jitter). */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

/** Options of the REST client: endpoint, fetch, attempt timeout, retries, body cap, pacing and the domain ports. */
export interface UpbitRestClientOptions {
  /** The REST endpoint. Default `https://api.upbit.com`. */
  readonly url?: string | undefined;
  /** Default `globalThis.fetch`. */
  readonly fetch?: FetchFunction | undefined;
  /**
   * One HTTP attempt, from sending until the whole body is read. Default 3,000: well inside a caller's 10 s
   * deadline, so a hung attempt is retried. The caller's own deadline is its `signal`, never this.
   */
  readonly attemptTimeoutMs?: number | undefined;
  /** Retries after the first attempt (429, 5xx, network, attempt timeout, truncated body). Default 3. */
  readonly maxRetries?: number | undefined;
  /**
   * The largest response body accepted, bytes. Default 4 MiB (the largest real bodies, `/v1/ticker/all` and
   * `/v1/market/all`, are about 200 KB). Counted while the body streams in; past it the request is cut off with
   * `PayloadTooLargeError`.
   */
  readonly maxBodyBytes?: number | undefined;
  readonly clock?: Clock | undefined;
  readonly logger?: Logger | undefined;
  /** Jitter source. */
  readonly random?: Random | undefined;
  /** The host's budget settings (see `RestRateLimitOptions`). */
  readonly rateLimit?: Partial<RestRateLimitOptions> | undefined;
  readonly backoff?: Partial<RestBackoffOptions> | undefined;
  /**
   * Where the per-host budgets live. Default: the one registry of the process, so every client of an origin shares
   * one pacer per group. Tests pass a private one.
   */
  readonly budgets?: RestBudgets | undefined;
}

export interface ResolvedRestClientOptions {
  readonly url: string;
  /** `new URL(url).origin`: the key of the shared budget. */
  readonly origin: string;
  readonly fetch: FetchFunction;
  readonly attemptTimeoutMs: number;
  readonly maxRetries: number;
  readonly maxBodyBytes: number;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly random: Random;
  readonly rateLimit: RestRateLimitOptions;
  readonly backoff: RestBackoffOptions;
}

export { DEFAULT_REST_RATE_LIMIT, type RestRateLimitOptions };

/** Upbit's REST endpoint. */
export const DEFAULT_UPBIT_REST_URL = 'https://api.upbit.com';

/** The default REST retry backoff: 200 ms base, 5 s cap. */
export const DEFAULT_REST_BACKOFF: RestBackoffOptions = { baseDelayMs: 200, maxDelayMs: 5_000 };

export const DEFAULT_ATTEMPT_TIMEOUT_MS = 3_000;
export const DEFAULT_MAX_RETRIES = 3;
export const DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024;

type NumberRule = 'positive' | 'non-negative' | 'integer>=0' | 'integer>0';

function passes(value: number, rule: NumberRule): boolean {
  if (typeof value !== 'number' || !Number.isFinite(value)) return false;
  switch (rule) {
    case 'positive':
      return value > 0;
    case 'non-negative':
      return value >= 0;
    case 'integer>=0':
      return Number.isInteger(value) && value >= 0;
    case 'integer>0':
      return Number.isInteger(value) && value > 0;
  }
}

/** `rule`, and for durations at most what a timer can hold (Node fires longer timers after 1 ms instead). */
function checkNumber(issues: ConfigIssue[], path: string, value: number, rule: NumberRule, isDelay = false): void {
  if (!passes(value, rule)) {
    issues.push({ path, message: `must be ${rule.replace('>=', ' >= ').replace('>', ' > ')}`, value });
  } else if (isDelay && value > MAX_TIMER_DELAY_MS) {
    issues.push({ path, message: `must be at most ${MAX_TIMER_DELAY_MS} ms`, value });
  }
}

function checkUrl(issues: ConfigIssue[], url: string): { url: string; origin: string } {
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error('not http');
    return { url: url.replace(/\/+$/, ''), origin: parsed.origin };
  } catch {
    issues.push({ path: 'url', message: 'must be an http(s) URL', value: url });
    return { url, origin: url };
  }
}

/** Fills defaults and checks every field; all problems are reported at once in one `ConfigError`. */
export function resolveRestClientOptions(options: UpbitRestClientOptions = {}): ResolvedRestClientOptions {
  const issues: ConfigIssue[] = [];
  const { url, origin } = checkUrl(issues, options.url ?? DEFAULT_UPBIT_REST_URL);
  const attemptTimeoutMs = options.attemptTimeoutMs ?? DEFAULT_ATTEMPT_TIMEOUT_MS;
  const maxRetries = options.maxRetries ?? DEFAULT_MAX_RETRIES;
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const rateLimit = { ...DEFAULT_REST_RATE_LIMIT, ...definedOnly(options.rateLimit) };
  const backoff = { ...DEFAULT_REST_BACKOFF, ...definedOnly(options.backoff) };
  checkNumber(issues, 'attemptTimeoutMs', attemptTimeoutMs, 'positive', true);
  checkNumber(issues, 'maxRetries', maxRetries, 'integer>=0');
  checkNumber(issues, 'maxBodyBytes', maxBodyBytes, 'integer>0');
  checkNumber(issues, 'rateLimit.requestsPerWindow', rateLimit.requestsPerWindow, 'integer>0');
  checkNumber(issues, 'rateLimit.windowMs', rateLimit.windowMs, 'positive', true);
  checkNumber(issues, 'rateLimit.safetyMarginMs', rateLimit.safetyMarginMs, 'non-negative', true);
  checkNumber(issues, 'rateLimit.maxQueue', rateLimit.maxQueue, 'integer>=0');
  checkNumber(issues, 'rateLimit.maxRateLimitPauseMs', rateLimit.maxRateLimitPauseMs, 'positive', true);
  checkNumber(issues, 'rateLimit.maxPauseWaitMs', rateLimit.maxPauseWaitMs, 'non-negative', true);
  checkNumber(issues, 'rateLimit.blockCoolDownMs', rateLimit.blockCoolDownMs, 'positive', true);
  checkNumber(issues, 'rateLimit.maxBlockCoolDownMs', rateLimit.maxBlockCoolDownMs, 'positive', true);
  checkNumber(issues, 'backoff.baseDelayMs', backoff.baseDelayMs, 'non-negative', true);
  checkNumber(issues, 'backoff.maxDelayMs', backoff.maxDelayMs, 'non-negative', true);
  if (options.fetch === undefined && typeof globalThis.fetch !== 'function') {
    issues.push({ path: 'fetch', message: 'no global fetch; pass one' });
  }
  if (issues.length > 0) throw new ConfigError(issues);
  return {
    url,
    origin,
    fetch: options.fetch ?? globalThis.fetch.bind(globalThis),
    attemptTimeoutMs,
    maxRetries,
    maxBodyBytes,
    clock: options.clock ?? systemClock,
    logger: options.logger ?? silentLogger,
    random: options.random ?? systemRandom,
    rateLimit,
    backoff,
  };
}

/** `{a: undefined}` must not override a default. */
export function definedOnly<T extends object>(value: Partial<T> | undefined): Partial<T> {
  if (value === undefined) return {};
  return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined)) as Partial<T>;
}
