import { describe, expect, it } from 'vitest';
import { bigDecimalText, javaDoubleText, plainText, scaledText, simpleText } from '../src/format/number-text.js';

describe('number spelling', () => {
  it('scaledText writes BigDecimal text with trailing zeros, as the recorded payloads', () => {
    expect(scaledText(163248000, 8)).toBe('163248000.00000000');
    expect(scaledText(0.001728386, 10)).toBe('0.0017283860');
    expect(scaledText(137728155832.9616, 16)).toBe('137728155832.9616000000000000');
    expect(scaledText(-282000, 8)).toBe('-282000.00000000');
    expect(scaledText(0.1 + 0.2, 8)).toBe('0.30000000');
    expect(scaledText(6.89e-7, 8)).toBe('0.00000069');
  });

  it('javaDoubleText follows Double.toString (the WebSocket orderbook spelling)', () => {
    expect(javaDoubleText(116539000)).toBe('1.16539E8');
    expect(javaDoubleText(0.00079276)).toBe('7.9276E-4');
    expect(javaDoubleText(0.0005)).toBe('5.0E-4');
    expect(javaDoubleText(5252000)).toBe('5252000.0');
    expect(javaDoubleText(0.06288509)).toBe('0.06288509');
    expect(javaDoubleText(10_000_000)).toBe('1.0E7');
  });

  it('plainText never uses an exponent and drops trailing zeros', () => {
    expect(plainText(116606000)).toBe('116606000');
    expect(plainText(0.00000689)).toBe('0.00000689');
    expect(plainText(0.004)).toBe('0.004');
    expect(plainText(0)).toBe('0');
  });

  it('zero spellings: 0E-8 for a scaled zero, 0.0 in SIMPLE', () => {
    expect(bigDecimalText(0, 8)).toBe('0E-8');
    expect(bigDecimalText(1.5, 8)).toBe('1.50000000');
    expect(simpleText(0)).toBe('0.0');
    expect(simpleText(148500000)).toBe('148500000.0');
    expect(simpleText(0.0602652)).toBe('0.0602652');
  });

  it('every spelling is valid JSON that parses to the same number', () => {
    for (const value of [116539000, 0.00079276, 0.0005, 1e-8, 123456.789, 0.1 + 0.2]) {
      for (const text of [javaDoubleText(value), plainText(value), scaledText(value, 8), simpleText(value)]) {
        expect(JSON.parse(text)).toBeCloseTo(value, 8);
      }
    }
  });
});
