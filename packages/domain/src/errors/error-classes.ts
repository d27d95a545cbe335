import { MarketDataError, type MarketDataErrorOptions } from './market-data-error.js';

/** HTTP 429 or our own budget says no. `retryAfterMs` is how long to wait before the group has budget again. */
export class RateLimitError extends MarketDataError {
  readonly retryAfterMs: number;
  readonly group: string | undefined;
  constructor(message: string, options: MarketDataErrorOptions & { retryAfterMs: number; group?: string | undefined }) {
    super(message, { retryable: true, ...options }, 'RATE_LIMIT');
    this.name = 'RateLimitError';
    this.retryAfterMs = options.retryAfterMs;
    this.group = options.group;
  }
}

/** HTTP 418: Upbit blocked this IP for the group. Nothing may be sent to the group for `coolDownMs`. */
export class BlockedError extends MarketDataError {
  readonly coolDownMs: number;
  readonly group: string | undefined;
  constructor(message: string, options: MarketDataErrorOptions & { coolDownMs: number; group?: string | undefined }) {
    super(message, { retryable: false, ...options }, 'BLOCKED');
    this.name = 'BlockedError';
    this.coolDownMs = options.coolDownMs;
    this.group = options.group;
  }
}

/** Connection refused or reset, DNS failure, socket closed mid-body. */
export class NetworkError extends MarketDataError {
  constructor(message: string, options: MarketDataErrorOptions = {}) {
    super(message, { retryable: true, ...options }, 'NETWORK');
    this.name = 'NetworkError';
  }
}

export class TimeoutError extends MarketDataError {
  readonly timeoutMs: number;
  constructor(message: string, options: MarketDataErrorOptions & { timeoutMs: number }) {
    super(message, { retryable: true, ...options }, 'TIMEOUT');
    this.name = 'TimeoutError';
    this.timeoutMs = options.timeoutMs;
  }
}

/** A payload (or an input) that does not have the shape we rely on. `path` names the bad field. */
export class DataValidationError extends MarketDataError {
  readonly path: string;
  readonly value: unknown;
  constructor(message: string, options: MarketDataErrorOptions & { path: string; value?: unknown }) {
    super(message, { retryable: false, ...options }, 'DATA_VALIDATION');
    this.name = 'DataValidationError';
    this.path = options.path;
    this.value = options.value;
  }
}

/** A short, never-throwing rendering of any input (BigInt, circular objects and null prototypes included). */
function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value !== 'object' || value === null) return String(value);
  try {
    return JSON.stringify(value) ?? Object.prototype.toString.call(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}

/** A market code that is not `QUOTE-BASE` in upper case. Upbit silently ignores these on WebSocket; we refuse them. */
export class InvalidMarketCodeError extends DataValidationError {
  constructor(value: unknown, reason: string, options: MarketDataErrorOptions = {}) {
    super(`Invalid market code ${describeValue(value)}: ${reason}`, { path: 'symbol', value, ...options });
    this.name = 'InvalidMarketCodeError';
    (this as { code: string }).code = 'INVALID_MARKET_CODE';
  }
}

/**
 * A per-call option (or setting) we do not know. Names from elsewhere that we spell differently (the Python plan's
 * `source_hint`, ccxt's `limit`) are never silently ignored: `useInstead` names ours; otherwise the message lists
 * what the call takes.
 */
export class UnknownOptionError extends DataValidationError {
  readonly option: string;
  readonly useInstead: string | undefined;
  constructor(
    operation: string,
    option: string,
    value: unknown,
    details: { readonly known: readonly string[]; readonly useInstead: string | undefined },
    options: MarketDataErrorOptions = {},
  ) {
    const { known, useInstead } = details;
    const hint =
      useInstead === undefined
        ? `${operation} takes ${known.length === 0 ? 'no options' : known.join(', ')}`
        : `use ${useInstead}`;
    super(`Unknown option ${JSON.stringify(option)} for ${operation}: ${hint}`, {
      channel: 'api',
      operation,
      ...options,
      path: option,
      value,
    });
    this.name = 'UnknownOptionError';
    (this as { code: string }).code = 'UNKNOWN_OPTION';
    this.option = option;
    this.useInstead = useInstead;
  }
}

export class ChannelUnavailableError extends MarketDataError {
  readonly reason: string;
  constructor(message: string, options: MarketDataErrorOptions & { reason: string }) {
    super(message, { retryable: true, ...options }, 'CHANNEL_UNAVAILABLE');
    this.name = 'ChannelUnavailableError';
    this.reason = options.reason;
  }
}

export class AuthenticationError extends MarketDataError {
  readonly upstreamName: string | number | undefined;
  constructor(message: string, options: MarketDataErrorOptions & { upstreamName?: string | number | undefined } = {}) {
    super(message, { retryable: false, ...options }, 'AUTHENTICATION');
    this.name = 'AuthenticationError';
    this.upstreamName = options.upstreamName;
  }
}

/** What `UpstreamError` keeps of the upstream answer: HTTP status and Upbit's own error name and message. */
export interface UpstreamErrorOptions extends MarketDataErrorOptions {
  readonly status?: number | undefined;
  /** Upbit's own `error.name`, a number for quotation errors (404) and a string elsewhere. */
  readonly upstreamName?: string | number | undefined;
  /** Upbit's own `error.message`, kept verbatim. */
  readonly upstreamMessage?: string | undefined;
}

/** Upbit answered with an error. What Upbit said is preserved verbatim. */
export class UpstreamError extends MarketDataError {
  readonly status: number | undefined;
  readonly upstreamName: string | number | undefined;
  readonly upstreamMessage: string | undefined;
  constructor(message: string, options: UpstreamErrorOptions = {}) {
    const retryable = options.retryable ?? (options.status !== undefined && options.status >= 500);
    super(message, { ...options, retryable }, 'UPSTREAM');
    this.name = 'UpstreamError';
    this.status = options.status;
    this.upstreamName = options.upstreamName;
    this.upstreamMessage = options.upstreamMessage;
  }
}

/** A well-formed market code that Upbit does not list (REST 404 `Code not found`, or never seen on WebSocket). */
export class UnknownSymbolError extends UpstreamError {
  constructor(symbol: string, options: UpstreamErrorOptions = {}) {
    super(`Unknown market ${symbol}`, { ...options, symbol, retryable: false });
    this.name = 'UnknownSymbolError';
    (this as { code: string }).code = 'UNKNOWN_SYMBOL';
  }
}

/** A bounded local queue is full: the caller is told at once instead of being sent into a 429. */
export class QueueFullError extends MarketDataError {
  readonly capacity: number;
  constructor(message: string, options: MarketDataErrorOptions & { capacity: number }) {
    super(message, { retryable: true, ...options }, 'QUEUE_FULL');
    this.name = 'QueueFullError';
    this.capacity = options.capacity;
  }
}

/**
 * An answer larger than the adapter accepts (`maxBodyBytes`): the request was cut off as soon as the limit was
 * passed, without buffering the rest. Not retryable: the same request would bring the same body.
 */
export class PayloadTooLargeError extends MarketDataError {
  readonly limitBytes: number;
  readonly url: string;
  constructor(message: string, options: MarketDataErrorOptions & { limitBytes: number; url: string }) {
    super(message, { ...options, retryable: false }, 'PAYLOAD_TOO_LARGE');
    this.name = 'PayloadTooLargeError';
    this.limitBytes = options.limitBytes;
    this.url = options.url;
  }
}

/** One bad setting: where (`path`), what is wrong, and the value given. */
export interface ConfigIssue {
  readonly path: string;
  readonly message: string;
  readonly value?: unknown;
}

/** One error listing every bad configuration field at once. */
export class ConfigError extends MarketDataError {
  readonly issues: readonly ConfigIssue[];
  constructor(issues: readonly ConfigIssue[], options: MarketDataErrorOptions = {}) {
    const list = issues.map((issue) => `  - ${issue.path}: ${issue.message}`).join('\n');
    super(
      `Invalid configuration (${issues.length} problem${issues.length === 1 ? '' : 's'}):\n${list}`,
      {
        channel: 'config',
        ...options,
        retryable: false,
      },
      'CONFIG',
    );
    this.name = 'ConfigError';
    this.issues = issues;
  }
}

/** The component was closed; calls after `close()` get this. */
export class ClosedError extends MarketDataError {
  constructor(what: string, options: MarketDataErrorOptions = {}) {
    super(`${what} is closed`, { retryable: false, ...options }, 'CLOSED');
    this.name = 'ClosedError';
  }
}
