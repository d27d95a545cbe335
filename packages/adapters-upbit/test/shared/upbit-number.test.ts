import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeExactIntegerText, decodeUpbitNumber, decodeUpbitSafeInteger } from '../../src/shared/index.js';

describe('decodeUpbitNumber', () => {
  it.each([
    [JSON.parse('163248000.00000000'), 163248000],
    [JSON.parse('0E-8'), 0],
    [JSON.parse('1.16539E8'), 116539000],
    [JSON.parse('7.9276E-4'), 0.00079276],
    ['73578.65500000', 73578.655],
    ['0E-8', 0],
    ['-0.0014380796', -0.0014380796],
    ['1.16539E8', 116539000],
  ])('accepts %s', (input, expected) => {
    expect(decodeUpbitNumber(input)).toBe(expected);
  });

  it.each([
    ['abc'],
    [''],
    [' 1'],
    ['1 '],
    ['0x10'],
    ['NaN'],
    ['Infinity'],
    ['01'],
    ['1.'],
    [null],
    [true],
    [{}],
    [Number.NaN],
    [Number.POSITIVE_INFINITY],
    ['1e999'],
  ])('refuses %s', (input) => {
    expect(decodeUpbitNumber(input)).toBeUndefined();
  });

  it('reads any finite number written as JSON text the same as JSON.parse (property)', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (value) => {
        const text = JSON.stringify(value);
        expect(decodeUpbitNumber(text)).toBe(JSON.parse(text));
      }),
    );
  });
});

describe('integers', () => {
  it('decodeUpbitSafeInteger accepts 1.0 and "1710328237828", refuses 1.5', () => {
    expect(decodeUpbitSafeInteger(1.0)).toBe(1);
    expect(decodeUpbitSafeInteger('1710328237828')).toBe(1710328237828);
    expect(decodeUpbitSafeInteger(1.5)).toBeUndefined();
  });

  it('decodeExactIntegerText keeps digit text, refuses an already rounded unsafe number', () => {
    expect(decodeExactIntegerText('17103275719220001')).toBe('17103275719220001');
    expect(decodeExactIntegerText(42)).toBe('42');
    expect(decodeExactIntegerText(17732400590950000)).toBeUndefined();
    expect(decodeExactIntegerText('1.5')).toBeUndefined();
  });
});
