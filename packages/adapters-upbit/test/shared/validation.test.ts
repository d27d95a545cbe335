import { isDataValidationError } from '@marketdata/domain';
import { fixtureText } from '@marketdata/fixtures';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { parseUpbitErrorBody, parseWithSchema, upbitExactInteger, upbitNumber } from '../../src/shared/index.js';

const schema = v.array(v.object({ market: v.string(), trade_price: upbitNumber, sequential_id: upbitExactInteger }));

describe('parseWithSchema', () => {
  it('names the path and the value of a mistyped field', () => {
    const input = [{ market: 'KRW-BTC', trade_price: 'abc', sequential_id: '1' }];
    try {
      parseWithSchema(schema, input, { channel: 'rest', operation: 'getTrades' });
      expect.unreachable();
    } catch (error) {
      expect(isDataValidationError(error)).toBe(true);
      const e = error as { path: string; value: unknown; message: string; channel: string };
      expect(e.path).toBe('$[0].trade_price');
      expect(e.value).toBe('abc');
      expect(e.message).toContain('$[0].trade_price');
      expect(e.channel).toBe('rest');
    }
  });

  it('names a missing field', () => {
    expect(() => parseWithSchema(schema, [{ market: 'KRW-BTC', sequential_id: '1' }])).toThrow(
      /\$\[0\]\.trade_price.*missing/,
    );
  });

  it('tolerates unknown fields', () => {
    expect(parseWithSchema(schema, [{ market: 'X', trade_price: 1, sequential_id: 2, extra: true }])).toEqual([
      { market: 'X', trade_price: 1, sequential_id: '2' },
    ]);
  });
});

describe('parseUpbitErrorBody', () => {
  it('reads numeric and string names from recorded bodies', () => {
    expect(parseUpbitErrorBody(fixtureText('rest-error-404-code-not-found.json'))).toEqual({
      name: 404,
      message: 'Code not found',
    });
    expect(parseUpbitErrorBody(fixtureText('rest-error-429-unverified.json'))).toEqual({
      name: 'too_many_requests',
      message: 'Too many API requests.',
    });
  });
  it('returns undefined for the plain-text 429 body', () => {
    expect(parseUpbitErrorBody('Too many API requests.')).toBeUndefined();
  });
});
