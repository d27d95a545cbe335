import { type Clock, ConfigError, type ConfigIssue, type Logger, type Random, silentLogger } from '@marketdata/domain';
import { systemClock } from '../shared/system-clock.js';
import { systemRandom } from '../shared/system-random.js';

/** The `fetch` signature ky calls (a `Request` plus options); `globalThis.fetch` fits. */
export type FetchFunction = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

export interface RestRateLimitOptions {
  /** Requests allowed per group per window. Upbit documents 10 per second per IP per group. */
  readonly requestsPerWindow: number;
  readonly windowMs: number;
  /**
   * Added to the window (the effective window is `windowMs + safetyMarginMs`). A slot already stays taken until a
   * window after its request's answer, which covers any delay between send and arrival at Upbit; this margin only
   * covers what that cannot: a request cut off by a timeout that still reaches Upbit after we gave up, and clocks
   * that do not tick at exactly the same rate.
   */
  readonly safetyMarginMs: number;
  /** Callers waiting for budget, per group; one more gets `QueueFullError` at once. */
  readonly maxQueue: number;
  /**
   * First cool-down after a 418, doubled on each repeat up to `maxBlockCoolDownMs`. Upbit's real block duration is
   * unknown (no 418 has been published), so these are our guesses, not Upbit's numbers.
   */
  readonly blockCoolDownMs: number;
  readonly maxBlockCoolDownMs: number;
}

export interface RestBackoffOptions {
  /** 5xx / network / timeout: delay = random() * min(maxDelayMs, baseDelayMs * 2^attempt) (full jitter). */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export interface UpbitRestClientOptions {
  /** Default `https://api.upbit.com`. */
  readonly baseUrl?: string | undefined;
  /** Default `globalThis.fetch`. */
  readonly fetch?: FetchFunction | undefined;
  /** Per attempt, from sending until the body is read. Default 10,000. */
  readonly restTimeoutMs?: number | undefined;
  /** Retries after the first attempt (429, 5xx, network, timeout, truncated body). Default 3. */
  readonly maxRetries?: number | undefined;
  readonly clock?: Clock | undefined;
  readonly logger?: Logger | undefined;
  /** Jitter source. */
  readonly random?: Random | undefined;
  readonly rateLimit?: Partial<RestRateLimitOptions> | undefined;
  readonly backoff?: Partial<RestBackoffOptions> | undefined;
}

export interface ResolvedRestClientOptions {
  readonly baseUrl: string;
  readonly fetch: FetchFunction;
  readonly restTimeoutMs: number;
  readonly maxRetries: number;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly random: Random;
  readonly rateLimit: RestRateLimitOptions;
  readonly backoff: RestBackoffOptions;
}

export const DEFAULT_UPBIT_REST_URL = 'https://api.upbit.com';

export const DEFAULT_REST_RATE_LIMIT: RestRateLimitOptions = {
  requestsPerWindow: 10,
  windowMs: 1000,
  safetyMarginMs: 50,
  maxQueue: 500,
  blockCoolDownMs: 60_000,
  maxBlockCoolDownMs: 3_600_000,
};

export const DEFAULT_REST_BACKOFF: RestBackoffOptions = { baseDelayMs: 200, maxDelayMs: 5_000 };

type NumberRule = 'positive' | 'non-negative' | 'integer>=0' | 'integer>0';

function checkNumber(issues: ConfigIssue[], path: string, value: number, rule: NumberRule): void {
  const finite = typeof value === 'number' && Number.isFinite(value);
  const ok =
    finite &&
    (rule === 'positive'
      ? value > 0
      : rule === 'non-negative'
        ? value >= 0
        : rule === 'integer>=0'
          ? Number.isInteger(value) && value >= 0
          : Number.isInteger(value) && value > 0);
  if (!ok) issues.push({ path, message: `must be ${rule.replace('>=', ' >= ').replace('>', ' > ')}`, value });
}

function checkBaseUrl(issues: ConfigIssue[], baseUrl: string): string {
  try {
    const url = new URL(baseUrl);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('not http');
    return baseUrl.replace(/\/+$/, '');
  } catch {
    issues.push({ path: 'baseUrl', message: 'must be an http(s) URL', value: baseUrl });
    return baseUrl;
  }
}

/** Fills defaults and checks every field; all problems are reported at once in one `ConfigError`. */
export function resolveRestClientOptions(options: UpbitRestClientOptions = {}): ResolvedRestClientOptions {
  const issues: ConfigIssue[] = [];
  const baseUrl = checkBaseUrl(issues, options.baseUrl ?? DEFAULT_UPBIT_REST_URL);
  const restTimeoutMs = options.restTimeoutMs ?? 10_000;
  const maxRetries = options.maxRetries ?? 3;
  const rateLimit = { ...DEFAULT_REST_RATE_LIMIT, ...definedOnly(options.rateLimit) };
  const backoff = { ...DEFAULT_REST_BACKOFF, ...definedOnly(options.backoff) };
  checkNumber(issues, 'restTimeoutMs', restTimeoutMs, 'positive');
  checkNumber(issues, 'maxRetries', maxRetries, 'integer>=0');
  checkNumber(issues, 'rateLimit.requestsPerWindow', rateLimit.requestsPerWindow, 'integer>0');
  checkNumber(issues, 'rateLimit.windowMs', rateLimit.windowMs, 'positive');
  checkNumber(issues, 'rateLimit.safetyMarginMs', rateLimit.safetyMarginMs, 'non-negative');
  checkNumber(issues, 'rateLimit.maxQueue', rateLimit.maxQueue, 'integer>=0');
  checkNumber(issues, 'rateLimit.blockCoolDownMs', rateLimit.blockCoolDownMs, 'positive');
  checkNumber(issues, 'rateLimit.maxBlockCoolDownMs', rateLimit.maxBlockCoolDownMs, 'positive');
  checkNumber(issues, 'backoff.baseDelayMs', backoff.baseDelayMs, 'non-negative');
  checkNumber(issues, 'backoff.maxDelayMs', backoff.maxDelayMs, 'non-negative');
  if (options.fetch === undefined && typeof globalThis.fetch !== 'function') {
    issues.push({ path: 'fetch', message: 'no global fetch; pass one' });
  }
  if (issues.length > 0) throw new ConfigError(issues);
  return {
    baseUrl,
    fetch: options.fetch ?? globalThis.fetch.bind(globalThis),
    restTimeoutMs,
    maxRetries,
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
