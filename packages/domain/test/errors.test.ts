import { describe, expect, it } from 'vitest';
import {
  AuthenticationError,
  BlockedError,
  ChannelUnavailableError,
  ClosedError,
  ConfigError,
  DataValidationError,
  InvalidMarketCodeError,
  isAuthenticationError,
  isBlockedError,
  isChannelUnavailableError,
  isClosedError,
  isConfigError,
  isDataValidationError,
  isInvalidMarketCodeError,
  isMarketDataError,
  isNetworkError,
  isPayloadTooLargeError,
  isQueueFullError,
  isRateLimitError,
  isTimeoutError,
  isUnknownOptionError,
  isUnknownSymbolError,
  isUpstreamError,
  MarketDataError,
  NetworkError,
  PayloadTooLargeError,
  QueueFullError,
  RateLimitError,
  TimeoutError,
  UnknownOptionError,
  UnknownSymbolError,
  UpstreamError,
} from '../src/index.js';

const guards = {
  RateLimitError: isRateLimitError,
  BlockedError: isBlockedError,
  NetworkError: isNetworkError,
  TimeoutError: isTimeoutError,
  DataValidationError: isDataValidationError,
  InvalidMarketCodeError: isInvalidMarketCodeError,
  UnknownOptionError: isUnknownOptionError,
  ChannelUnavailableError: isChannelUnavailableError,
  AuthenticationError: isAuthenticationError,
  UpstreamError: isUpstreamError,
  UnknownSymbolError: isUnknownSymbolError,
  QueueFullError: isQueueFullError,
  PayloadTooLargeError: isPayloadTooLargeError,
  ConfigError: isConfigError,
  ClosedError: isClosedError,
} as const;

// Each error, and the guards that must accept it (its own and its parent's).
const samples: readonly [MarketDataError, readonly (keyof typeof guards)[]][] = [
  [new RateLimitError('slow down', { retryAfterMs: 400, group: 'ticker', channel: 'rest' }), ['RateLimitError']],
  [new BlockedError('blocked', { coolDownMs: 60_000, group: 'ticker' }), ['BlockedError']],
  [new NetworkError('reset'), ['NetworkError']],
  [new TimeoutError('slow', { timeoutMs: 10_000 }), ['TimeoutError']],
  [new DataValidationError('bad', { path: 'trade_price', value: 'x' }), ['DataValidationError']],
  [new InvalidMarketCodeError('krw-btc', 'lower case'), ['InvalidMarketCodeError', 'DataValidationError']],
  [
    new UnknownOptionError('getTicker', 'source_hint', 'websocket', { known: ['source'], useInstead: 'source' }),
    ['UnknownOptionError', 'DataValidationError'],
  ],
  [new ChannelUnavailableError('down', { reason: 'disabled' }), ['ChannelUnavailableError']],
  [new AuthenticationError('no', { upstreamName: 'invalid_access_key' }), ['AuthenticationError']],
  [new UpstreamError('oops', { status: 400, upstreamName: 400, upstreamMessage: 'Missing' }), ['UpstreamError']],
  [new UnknownSymbolError('KRW-NOPE', { status: 404, upstreamName: 404 }), ['UnknownSymbolError', 'UpstreamError']],
  [new QueueFullError('full', { capacity: 100 }), ['QueueFullError']],
  [
    new PayloadTooLargeError('too large', { limitBytes: 4_194_304, url: 'https://api.upbit.com/v1/ticker/all' }),
    ['PayloadTooLargeError'],
  ],
  [new ConfigError([{ path: 'cacheTtlMs', message: 'must be positive' }]), ['ConfigError']],
  [new ClosedError('MarketData'), ['ClosedError']],
];

describe('error family', () => {
  it('an unknown option names ours when it is a name from elsewhere, otherwise what the call takes', () => {
    const renamed = new UnknownOptionError('getTicker', 'source_hint', 1, { known: ['source'], useInstead: 'source' });
    expect(renamed.message).toBe('Unknown option "source_hint" for getTicker: use source');
    expect(renamed).toMatchObject({ option: 'source_hint', useInstead: 'source', path: 'source_hint', value: 1 });
    const unknown = new UnknownOptionError('getTicker', 'speed', 2, {
      known: ['source', 'signal'],
      useInstead: undefined,
    });
    expect(unknown.message).toBe('Unknown option "speed" for getTicker: getTicker takes source, signal');
  });

  it.each(samples)('%s is recognised by exactly its guards', (error, accepted) => {
    expect(isMarketDataError(error)).toBe(true);
    expect(error).toBeInstanceOf(MarketDataError);
    expect(error).toBeInstanceOf(Error);
    for (const [name, guard] of Object.entries(guards)) {
      expect(guard(error), `${error.name} vs is${name}`).toBe(accepted.includes(name as keyof typeof guards));
    }
    expect(error.name).toBe(accepted[0]);
  });

  it('guards reject foreign values', () => {
    for (const guard of Object.values(guards)) {
      expect(guard(new Error('plain'))).toBe(false);
      expect(guard({ code: 'RATE_LIMIT' })).toBe(false);
      expect(guard(undefined)).toBe(false);
    }
    expect(isMarketDataError(null)).toBe(false);
  });

  it('carry their context', () => {
    const cause = new Error('socket hang up');
    const error = new RateLimitError('429', {
      retryAfterMs: 250,
      group: 'orderbook',
      channel: 'rest',
      operation: 'getOrderBook',
      symbol: 'KRW-BTC',
      cause,
    });
    expect(error).toMatchObject({
      code: 'RATE_LIMIT',
      retryAfterMs: 250,
      group: 'orderbook',
      channel: 'rest',
      operation: 'getOrderBook',
      symbol: 'KRW-BTC',
      retryable: true,
    });
    expect(error.cause).toBe(cause);
  });

  it('mark what is worth retrying', () => {
    expect(new NetworkError('x').retryable).toBe(true);
    expect(new TimeoutError('x', { timeoutMs: 1 }).retryable).toBe(true);
    expect(new BlockedError('x', { coolDownMs: 1 }).retryable).toBe(false);
    expect(new DataValidationError('x', { path: 'a' }).retryable).toBe(false);
    expect(new UpstreamError('x', { status: 503 }).retryable).toBe(true);
    expect(new UpstreamError('x', { status: 400 }).retryable).toBe(false);
    expect(new UnknownSymbolError('KRW-NOPE', { status: 404 }).retryable).toBe(false);
    expect(new PayloadTooLargeError('x', { limitBytes: 1, url: 'http://127.0.0.1/', retryable: true }).retryable).toBe(
      false,
    );
  });

  it("keep Upbit's own error name and message verbatim", () => {
    const error = new UnknownSymbolError('KRW-NOPE', {
      status: 404,
      upstreamName: 404,
      upstreamMessage: 'Code not found',
    });
    expect(error.upstreamName).toBe(404);
    expect(error.upstreamMessage).toBe('Code not found');
    expect(error.symbol).toBe('KRW-NOPE');
    expect(error.code).toBe('UNKNOWN_SYMBOL');
  });

  it('list every bad config field in one message', () => {
    const error = new ConfigError([
      { path: 'cacheTtlMs', message: 'must be >= 0', value: -1 },
      { path: 'maxRetries', message: 'must be an integer', value: 1.5 },
    ]);
    expect(error.message).toContain('2 problems');
    expect(error.message).toContain('cacheTtlMs: must be >= 0');
    expect(error.message).toContain('maxRetries: must be an integer');
    expect(error.issues).toHaveLength(2);
  });

  it('serialise to JSON with their fields', () => {
    const json = JSON.parse(JSON.stringify(new TimeoutError('slow', { timeoutMs: 5000, channel: 'websocket' })));
    expect(json).toMatchObject({ name: 'TimeoutError', message: 'slow', code: 'TIMEOUT', timeoutMs: 5000 });
  });
});
