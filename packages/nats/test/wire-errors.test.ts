import {
  AuthenticationError,
  BlockedError,
  ChannelUnavailableError,
  ClosedError,
  ConfigError,
  DataValidationError,
  type InvalidMarketCodeError,
  isBlockedError,
  isChannelUnavailableError,
  isClosedError,
  isConfigError,
  isDataValidationError,
  isInvalidMarketCodeError,
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
  parseMarketCode,
  QueueFullError,
  RateLimitError,
  TimeoutError,
  UnknownOptionError,
  UnknownSymbolError,
  UpstreamError,
} from '@marketdata/domain';
import { describe, expect, it } from 'vitest';
import { errorOut } from '../src/wire/errors.js';
import { decodeReply, encodeReply } from '../src/wire/rpc.js';

/** An error as a consumer gets it: through a request/reply answer of the gateway. */
function acrossTheWire(error: MarketDataError): MarketDataError {
  const reply = decodeReply('getTicker', encodeReply('getTicker', { ok: false, error }, 0), 0);
  if (reply.ok) throw new Error('expected an error reply');
  return reply.error;
}

function invalidCode(): InvalidMarketCodeError {
  try {
    parseMarketCode('krw-btc');
  } catch (error) {
    return error as InvalidMarketCodeError;
  }
  throw new Error('expected a refusal');
}

const rest = { channel: 'rest' as const, operation: 'getTicker', symbol: 'KRW-BTC' };

describe('typed errors cross the wire', () => {
  it.each([
    [new RateLimitError('Too many API requests.', { ...rest, retryAfterMs: 1_500, group: 'ticker' }), isRateLimitError],
    [new BlockedError('Blocked for 60 s', { ...rest, coolDownMs: 60_000, group: 'ticker' }), isBlockedError],
    [new NetworkError('Network error (ECONNRESET): socket hang up', rest), isNetworkError],
    [new TimeoutError('Timed out after 3000 ms', { ...rest, timeoutMs: 3_000 }), isTimeoutError],
    [
      new DataValidationError('Invalid data at trade_price', { ...rest, path: 'trade_price', value: 'x' }),
      isDataValidationError,
    ],
    [invalidCode(), isInvalidMarketCodeError],
    [new ChannelUnavailableError('WebSocket disabled', { reason: 'consecutive failures' }), isChannelUnavailableError],
    [
      new UnknownSymbolError('KRW-NOPE', {
        ...rest,
        status: 404,
        upstreamName: 404,
        upstreamMessage: 'Code not found',
      }),
      isUnknownSymbolError,
    ],
    [new QueueFullError('queue full', { capacity: 10 }), isQueueFullError],
    [new PayloadTooLargeError('too large', { limitBytes: 1024, url: 'http://x/v1/ticker' }), isPayloadTooLargeError],
    [new ConfigError([{ path: 'restTimeoutMs', message: 'must be > 0', value: -1 }]), isConfigError],
    [new ClosedError('MarketData', { channel: 'api' }), isClosedError],
    [
      new UnknownOptionError('getTicker', 'source_hint', 'rest', { known: ['source', 'signal'], useInstead: 'source' }),
      isUnknownOptionError,
    ],
    [
      new UnknownOptionError('getMarkets', 'limit', 5, { known: ['signal'], useInstead: undefined }),
      isUnknownOptionError,
    ],
  ])('%s keeps its class, message and fields', (sent, guard) => {
    const received = acrossTheWire(sent);
    expect(guard(received)).toBe(true);
    expect(received.constructor).toBe(sent.constructor);
    expect(received.name).toBe(sent.name);
    expect(received.message).toBe(sent.message);
    expect(received.code).toBe(sent.code);
    expect(received.retryable).toBe(sent.retryable);
    const { cause: _sentCause, ...sentFields } = sent.toJSON();
    const { cause: _receivedCause, ...receivedFields } = received.toJSON();
    expect(receivedFields).toEqual(sentFields);
  });

  it("keeps Upbit's own name and message of an upstream error verbatim", () => {
    const sent = new UpstreamError('Upbit answered 400: invalid_query_payload', {
      status: 400,
      upstreamName: 'invalid_query_payload',
      upstreamMessage: '잘못된 요청입니다.',
      retryable: false,
    });
    const received = acrossTheWire(sent);
    expect(isUpstreamError(received)).toBe(true);
    expect(received).toBeInstanceOf(UpstreamError);
    expect(received).toMatchObject({
      status: 400,
      upstreamName: 'invalid_query_payload',
      upstreamMessage: '잘못된 요청입니다.',
    });
  });

  it('keeps an authentication error and the base class', () => {
    expect(acrossTheWire(new AuthenticationError('no key', { upstreamName: 'no_authorization_i_p' }))).toMatchObject({
      name: 'AuthenticationError',
      upstreamName: 'no_authorization_i_p',
    });
    const base = acrossTheWire(new MarketDataError('Unexpected error: boom', { channel: 'rest' }));
    expect(base.constructor).toBe(MarketDataError);
    expect(base.message).toBe('Unexpected error: boom');
  });

  it('sends any thrown value as the classified error, and a value JSON cannot hold as its text', () => {
    const plain = errorOut(new Error('boom'));
    expect(plain).toMatchObject({ code: 'UNKNOWN', message: 'Unexpected error: boom' });
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    const odd = new DataValidationError('bad value', { path: '$.x', value: circular });
    const bigint = new DataValidationError('bad value', { path: '$.y', value: 10n });
    expect(acrossTheWire(odd)).toMatchObject({ path: '$.x', value: '[object Object]' });
    expect(acrossTheWire(bigint)).toMatchObject({ path: '$.y', value: '10' });
  });
});
