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
  UnknownSymbolError,
  UpstreamError,
} from './error-classes.js';
import { isMarketDataError, type MarketDataError, type MarketDataErrorCode } from './market-data-error.js';

// Guards check the stable `code` (and the brand), so they work across duplicated package copies.
function guard<T extends MarketDataError>(...codes: MarketDataErrorCode[]): (value: unknown) => value is T {
  return (value: unknown): value is T => isMarketDataError(value) && codes.includes(value.code);
}

export const isRateLimitError = guard<RateLimitError>('RATE_LIMIT');
export const isBlockedError = guard<BlockedError>('BLOCKED');
export const isNetworkError = guard<NetworkError>('NETWORK');
export const isTimeoutError = guard<TimeoutError>('TIMEOUT');
export const isDataValidationError = guard<DataValidationError>('DATA_VALIDATION', 'INVALID_MARKET_CODE');
export const isInvalidMarketCodeError = guard<InvalidMarketCodeError>('INVALID_MARKET_CODE');
export const isChannelUnavailableError = guard<ChannelUnavailableError>('CHANNEL_UNAVAILABLE');
export const isAuthenticationError = guard<AuthenticationError>('AUTHENTICATION');
export const isUpstreamError = guard<UpstreamError>('UPSTREAM', 'UNKNOWN_SYMBOL');
export const isUnknownSymbolError = guard<UnknownSymbolError>('UNKNOWN_SYMBOL');
export const isPayloadTooLargeError = guard<PayloadTooLargeError>('PAYLOAD_TOO_LARGE');
export const isQueueFullError = guard<QueueFullError>('QUEUE_FULL');
export const isConfigError = guard<ConfigError>('CONFIG');
export const isClosedError = guard<ClosedError>('CLOSED');
