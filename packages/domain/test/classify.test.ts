import { describe, expect, it } from 'vitest';
import { NetworkError, RateLimitError, toMarketDataError } from '../src/index.js';

describe('toMarketDataError', () => {
  it('passes errors of the family through untouched', () => {
    const original = new RateLimitError('429', { retryAfterMs: 100, channel: 'rest' });
    expect(toMarketDataError(original, { channel: 'websocket' })).toBe(original);
  });

  it('classifies abort and timeout errors', () => {
    const abort = new DOMException('This operation was aborted', 'AbortError');
    expect(toMarketDataError(abort, { channel: 'rest' })).toMatchObject({ code: 'TIMEOUT', channel: 'rest' });
    const timeout = Object.assign(new Error('Request timed out'), { name: 'TimeoutError', timeoutMs: 10_000 });
    expect(toMarketDataError(timeout)).toMatchObject({ code: 'TIMEOUT', timeoutMs: 10_000 });
  });

  it('finds socket error codes along the cause chain (as fetch wraps them)', () => {
    const socket = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    const wrapped = new TypeError('fetch failed', { cause: socket });
    const classified = toMarketDataError(wrapped, { channel: 'rest', operation: 'getTicker' });
    expect(classified).toBeInstanceOf(NetworkError);
    expect(classified.message).toContain('ECONNREFUSED');
    expect(classified).toMatchObject({ operation: 'getTicker', retryable: true });
    expect(classified.cause).toBe(wrapped);
  });

  it('classifies malformed JSON and schema issues as validation errors with a path', () => {
    let syntax: unknown;
    try {
      JSON.parse('{"trade_price":');
    } catch (error) {
      syntax = error;
    }
    expect(toMarketDataError(syntax)).toMatchObject({ code: 'DATA_VALIDATION', path: '$' });

    const schemaError = Object.assign(new Error('Invalid type'), {
      name: 'ValiError',
      issues: [{ message: 'Invalid type', input: 'abc', path: [{ key: 0 }, { key: 'trade_price' }] }],
    });
    expect(toMarketDataError(schemaError)).toMatchObject({
      code: 'DATA_VALIDATION',
      path: '0.trade_price',
      value: 'abc',
    });
  });

  it('wraps anything else without losing it', () => {
    const classified = toMarketDataError('boom', { channel: 'router' });
    expect(classified).toMatchObject({ code: 'UNKNOWN', channel: 'router', retryable: false });
    expect(classified.message).toContain('boom');
    expect(toMarketDataError({ weird: true }).message).toContain('weird');
  });
});
