import { isDataValidationError } from '@marketdata/domain';
import { fixtureText } from '@marketdata/fixtures';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseJsonExact } from '../../src/shared/index.js';

function hasUnsafeInteger(value: unknown): boolean {
  if (typeof value === 'number') return Number.isInteger(value) && !Number.isSafeInteger(value);
  if (typeof value === 'object' && value !== null) return Object.values(value).some(hasUnsafeInteger);
  return false;
}

describe('parseJsonExact', () => {
  it('keeps the REST trade sequential_id exact where JSON.parse rounds it', () => {
    const text = fixtureText('rest-trades-ticks-krw-btc.json');
    const parsed = parseJsonExact(text) as { sequential_id: unknown; timestamp: unknown }[];
    expect(parsed[0]?.sequential_id).toBe('17732400590950000');
    expect(parsed[0]?.timestamp).toBe(1773240059095);
  });

  it('keeps WebSocket trade sequential_ids as their exact text (recorded frames)', () => {
    const text = fixtureText('ws-trade-json-list-docs.json');
    const raw = [...text.matchAll(/"sequential_id"\s*:\s*(\d+)/g)].map((match) => match[1]);
    expect(raw).toHaveLength(2);
    const parsed = parseJsonExact(text) as { sequential_id: unknown }[];
    expect(parsed.map((frame) => frame.sequential_id)).toEqual(raw);
  });

  it('keeps an odd id beyond 2^53 exact, which JSON.parse rounds', () => {
    const text = '{"sequential_id":17303368620470001}';
    expect(String((JSON.parse(text) as { sequential_id: number }).sequential_id)).not.toBe('17303368620470001');
    expect(parseJsonExact(text)).toEqual({ sequential_id: '17303368620470001' });
  });

  it('leaves BigDecimal fractions with 16+ digits as numbers (not confused with big integers)', () => {
    const text = fixtureText('rest-ticker-krw-btc-eth.json');
    const parsed = parseJsonExact(text);
    expect(parsed).toEqual(JSON.parse(text));
    const first = (parsed as { acc_trade_price: unknown }[])[0];
    expect(first?.acc_trade_price).toBe(137728155832.9616);
  });

  it('does not touch digits inside strings, exponents or safe 16-digit integers', () => {
    const text =
      '{"s":"12345678901234567890","e":1.5E12345678901234567,"n":-12345678901234567890,"safe":1000000000000000,"k\\"":"a\\"12345678901234567"}';
    const parsed = parseJsonExact(text.replace('1.5E12345678901234567', '1.5E2')) as Record<string, unknown>;
    expect(parsed.s).toBe('12345678901234567890');
    expect(parsed.e).toBe(150);
    expect(parsed.n).toBe('-12345678901234567890');
    expect(parsed.safe).toBe(1000000000000000);
    expect(parsed['k"']).toBe('a"12345678901234567');
  });

  it('throws DataValidationError at $ for truncated JSON (recorded truncated body)', () => {
    const text = fixtureText('rest-market-all-truncated.txt');
    try {
      parseJsonExact(text, { channel: 'rest', operation: 'getMarkets' });
      expect.unreachable();
    } catch (error) {
      expect(isDataValidationError(error)).toBe(true);
      expect((error as { path: string }).path).toBe('$');
      expect((error as { operation: string }).operation).toBe('getMarkets');
    }
  });

  it('agrees with JSON.parse on any JSON without unsafe integers (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = JSON.stringify(value);
        fc.pre(!hasUnsafeInteger(value));
        expect(parseJsonExact(text)).toEqual(JSON.parse(text));
      }),
      { numRuns: 300 },
    );
  });

  it('returns every unsafe integer as its exact text (property)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 2n ** 53n, max: 10n ** 30n }), fc.boolean(), (big, negative) => {
        const digits = (negative ? -big : big).toString();
        expect(parseJsonExact(`{"a":[1,${digits},"x"]}`)).toEqual({ a: [1, digits, 'x'] });
      }),
      { numRuns: 200 },
    );
  });
});
