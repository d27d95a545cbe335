import { describe, expect, it } from 'vitest';
import { InvalidMarketCodeError, isMarketCode, parseMarketCode, splitMarketCode } from '../src/index.js';

describe('MarketCode', () => {
  it.each(['KRW-BTC', 'BTC-ETH', 'USDT-BTC', 'KRW-1INCH', 'KRW-USDS'])('accepts %s', (code) => {
    expect(parseMarketCode(code)).toBe(code);
    expect(isMarketCode(code)).toBe(true);
  });

  it.each([
    ['krw-btc', 'upper case'],
    ['KRW-btc', 'upper case'],
    ['KRWBTC', 'QUOTE-BASE'],
    [' KRW-BTC', 'white space'],
    ['KRW-', 'QUOTE-BASE'],
    ['KRW-BTC-ETH', 'QUOTE-BASE'],
    ['', 'QUOTE-BASE'],
    [42, 'expected a string'],
    [null, 'null'],
  ])('rejects %j with a typed error mentioning %s', (input, reason) => {
    expect(isMarketCode(input)).toBe(false);
    try {
      parseMarketCode(input);
      expect.unreachable('should have thrown');
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidMarketCodeError);
      const typed = error as InvalidMarketCodeError;
      expect(typed.path).toBe('symbol');
      expect(typed.value).toBe(input);
      expect(typed.message).toContain(reason);
    }
  });

  it('describes inputs JSON cannot serialise instead of crashing', () => {
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    for (const input of [10n, circular, Object.create(null) as object, Symbol('x')]) {
      expect(() => parseMarketCode(input)).toThrow(InvalidMarketCodeError);
    }
    expect(() => parseMarketCode(10n)).toThrow('Invalid market code 10n: expected a string, got bigint');
  });

  it('splits into quote and base', () => {
    expect(splitMarketCode(parseMarketCode('USDT-BTC'))).toEqual({ quote: 'USDT', base: 'BTC' });
  });
});
