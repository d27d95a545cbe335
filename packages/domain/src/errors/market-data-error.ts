/** Where an error happened: which channel and which operation. */
export type ErrorChannel = 'rest' | 'websocket' | 'cache' | 'router' | 'config' | 'api';

/** Where an error happened: channel, operation, symbol, and the cause. */
export interface ErrorContext {
  readonly channel?: ErrorChannel | undefined;
  readonly operation?: string | undefined;
  readonly symbol?: string | undefined;
  readonly cause?: unknown;
}

/** Options of every error of the family: its context, and whether retrying the same call can help. */
export interface MarketDataErrorOptions extends ErrorContext {
  readonly retryable?: boolean | undefined;
}

/** Stable machine-readable codes, one per error class. */
export type MarketDataErrorCode =
  | 'UNKNOWN'
  | 'RATE_LIMIT'
  | 'BLOCKED'
  | 'NETWORK'
  | 'TIMEOUT'
  | 'DATA_VALIDATION'
  | 'INVALID_MARKET_CODE'
  | 'UNKNOWN_OPTION'
  | 'CHANNEL_UNAVAILABLE'
  | 'AUTHENTICATION'
  | 'UPSTREAM'
  | 'UNKNOWN_SYMBOL'
  | 'QUEUE_FULL'
  | 'PAYLOAD_TOO_LARGE'
  | 'CONFIG'
  | 'CLOSED';

// A brand that survives duplicated package copies, where `instanceof` would not.
const BRAND = Symbol.for('@marketdata/domain/MarketDataError');

/**
 * Base of the error family. Every error carries the channel and operation it came from, whether retrying the
 * same call can help, and the original cause.
 */
export class MarketDataError extends Error {
  readonly code: MarketDataErrorCode;
  readonly channel: ErrorChannel | undefined;
  readonly operation: string | undefined;
  readonly symbol: string | undefined;
  readonly retryable: boolean;
  readonly [BRAND] = true;

  constructor(message: string, options: MarketDataErrorOptions = {}, code: MarketDataErrorCode = 'UNKNOWN') {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'MarketDataError';
    this.code = code;
    this.channel = options.channel;
    this.operation = options.operation;
    this.symbol = options.symbol;
    this.retryable = options.retryable ?? false;
  }

  /** A plain, JSON-friendly view for logs and NDJSON output. */
  toJSON(): Readonly<Record<string, unknown>> {
    const own: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(this)) {
      if (value !== undefined) own[key] = value;
    }
    return { name: this.name, message: this.message, ...own };
  }
}

/** True for any error of the family, even from another installed copy of this package (checks a `Symbol.for` brand). */
export function isMarketDataError(value: unknown): value is MarketDataError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
}
