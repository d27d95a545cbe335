import type {
  AuthenticationError,
  BlockedError,
  ChannelUnavailableError,
  ClosedError,
  ConfigError,
  DataValidationError,
  InvalidMarketCodeError,
  NetworkError,
  PayloadTooLargeError,
  QueueFullError,
  RateLimitError,
  TimeoutError,
  UnknownOptionError,
  UnknownSymbolError,
  UpstreamError,
} from './error-classes.js';
import { isMarketDataError, type MarketDataError, type MarketDataErrorCode } from './market-data-error.js';

// Guards check the stable `code` (and the brand), so they work across duplicated package copies.
function guard<T extends MarketDataError>(...codes: MarketDataErrorCode[]): (value: unknown) => value is T {
  return (value: unknown): value is T => isMarketDataError(value) && codes.includes(value.code);
}

/** True for a `RateLimitError` (code `RATE_LIMIT`), also from another installed copy of this package. */
export const isRateLimitError = guard<RateLimitError>('RATE_LIMIT');
/** True for a `BlockedError` (code `BLOCKED`), also from another installed copy of this package. */
export const isBlockedError = guard<BlockedError>('BLOCKED');
/** True for a `NetworkError` (code `NETWORK`), also from another installed copy of this package. */
export const isNetworkError = guard<NetworkError>('NETWORK');
/** True for a `TimeoutError` (code `TIMEOUT`), also from another installed copy of this package. */
export const isTimeoutError = guard<TimeoutError>('TIMEOUT');
/**
 * True for a `DataValidationError` (code `DATA_VALIDATION`, `INVALID_MARKET_CODE` or `UNKNOWN_OPTION`), also from
 * another installed copy of this package.
 */
export const isDataValidationError = guard<DataValidationError>(
  'DATA_VALIDATION',
  'INVALID_MARKET_CODE',
  'UNKNOWN_OPTION',
);
/**
 * True for a `InvalidMarketCodeError` (code `INVALID_MARKET_CODE`), also from another installed copy of this package.
 */
export const isInvalidMarketCodeError = guard<InvalidMarketCodeError>('INVALID_MARKET_CODE');
/** True for an `UnknownOptionError` (code `UNKNOWN_OPTION`), also from another installed copy of this package. */
export const isUnknownOptionError = guard<UnknownOptionError>('UNKNOWN_OPTION');
/**
 * True for a `ChannelUnavailableError` (code `CHANNEL_UNAVAILABLE`), also from another installed copy of this package.
 */
export const isChannelUnavailableError = guard<ChannelUnavailableError>('CHANNEL_UNAVAILABLE');
/** True for a `AuthenticationError` (code `AUTHENTICATION`), also from another installed copy of this package. */
export const isAuthenticationError = guard<AuthenticationError>('AUTHENTICATION');
/**
 * True for a `UpstreamError` (code `UPSTREAM` or `UNKNOWN_SYMBOL`), also from another installed copy of this package.
 */
export const isUpstreamError = guard<UpstreamError>('UPSTREAM', 'UNKNOWN_SYMBOL');
/** True for a `UnknownSymbolError` (code `UNKNOWN_SYMBOL`), also from another installed copy of this package. */
export const isUnknownSymbolError = guard<UnknownSymbolError>('UNKNOWN_SYMBOL');
/** True for a `PayloadTooLargeError` (code `PAYLOAD_TOO_LARGE`), also from another installed copy of this package. */
export const isPayloadTooLargeError = guard<PayloadTooLargeError>('PAYLOAD_TOO_LARGE');
/** True for a `QueueFullError` (code `QUEUE_FULL`), also from another installed copy of this package. */
export const isQueueFullError = guard<QueueFullError>('QUEUE_FULL');
/** True for a `ConfigError` (code `CONFIG`), also from another installed copy of this package. */
export const isConfigError = guard<ConfigError>('CONFIG');
/** True for a `ClosedError` (code `CLOSED`), also from another installed copy of this package. */
export const isClosedError = guard<ClosedError>('CLOSED');
