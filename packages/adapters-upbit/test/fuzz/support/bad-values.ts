import { isMarketCode } from '@marketdata/domain';
import fc from 'fast-check';
import type { JsonTree } from './json-text.js';
import type { FieldRef, FieldType } from './payload-kinds.js';

/**
 * The bad values the fuzz categories put into payloads: wrong types per field type, out-of-range numbers, spellings
 * of "not a number", nesting, invalid UTF-8. Each is one the adapter must refuse where the comment says so.
 */

/** JSON number grammar: a string spelling it is an accepted Upbit number (see shared/upbit-number.ts). */
const NUMBER_TEXT = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;
const INTEGER_TEXT = /^-?(?:0|[1-9]\d*)$/;

const smallObject = fc
  .dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 })
  .filter((value) => !('warning' in value)) as fc.Arbitrary<JsonTree>;
const smallArray = fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 4 }) as fc.Arbitrary<JsonTree>;
const anyString = fc.string({ unit: 'binary', maxLength: 24 });
const anyNumber = fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }));

function acceptedCode(text: string): boolean {
  // WebSocket order book codes may carry a unit suffix (`KRW-BTC.15`), which the decoder removes.
  return isMarketCode(text) || isMarketCode(text.replace(/\.\d+$/, ''));
}

/** Values of the wrong type for a field: every one must be refused. */
export function wrongValue(field: FieldRef): fc.Arbitrary<JsonTree> {
  const nullish = fc.constant<JsonTree>(null);
  const bool = fc.boolean() as fc.Arbitrary<JsonTree>;
  const containers = fc.oneof(fc.constant<JsonTree>({}), fc.constant<JsonTree>([]), smallObject, smallArray);
  const numbers = anyNumber as fc.Arbitrary<JsonTree>;
  const strings = (refused: (text: string) => boolean, extra: readonly string[] = []): fc.Arbitrary<JsonTree> =>
    fc.oneof(anyString.filter(refused), ...(extra.length > 0 ? [fc.constantFrom(...extra)] : []));
  const type: FieldType = field.type;
  switch (type) {
    case 'number':
    case 'nonNegative':
    case 'epochMs':
    case 'integer':
      return fc.oneof(
        nullish,
        bool,
        containers,
        strings((text) => !NUMBER_TEXT.test(text)),
      );
    case 'exactInteger':
      return fc.oneof(
        nullish,
        bool,
        containers,
        strings((text) => !INTEGER_TEXT.test(text), ['1.5', '1e5', '0x10']),
      );
    case 'marketCode':
      return fc.oneof(
        nullish,
        bool,
        containers,
        numbers,
        strings((text) => !acceptedCode(text), ['krw-btc', 'KRW_BTC', 'KRWBTC', ' KRW-BTC', 'KRW-BTC ', 'KRW-']),
      );
    case 'choice':
    case 'frameType': {
      const choices = field.choices ?? [];
      const others = ['rise', 'ask', 'snapshot', 'TICKER', 'ticker', 'trade', 'orderbook', ''].filter(
        (text) => !choices.includes(text),
      );
      return fc.oneof(
        nullish,
        bool,
        containers,
        numbers,
        strings((text) => !choices.includes(text), others),
      );
    }
    case 'dateText': {
      const accepts = field.accepts ?? /^$/;
      return fc.oneof(
        nullish,
        bool,
        containers,
        numbers,
        strings((text) => !accepts.test(text)),
      );
    }
    case 'text':
      return fc.oneof(nullish, bool, containers, numbers);
    case 'boolean':
      return fc.oneof(nullish, numbers, containers, fc.constantFrom<JsonTree>('true', 'false', ''));
    case 'object':
      return fc.oneof(
        nullish,
        bool,
        numbers,
        fc.constant<JsonTree>({}),
        smallObject,
        anyString as fc.Arbitrary<JsonTree>,
      );
    case 'list':
      return fc.oneof(
        nullish,
        bool,
        numbers,
        fc.constant<JsonTree>({}),
        smallObject,
        anyString as fc.Arbitrary<JsonTree>,
        fc.constantFrom<JsonTree>([1], [null], [[]], ['x'], [true]),
      );
  }
}

/** Numbers that overflow a double (→ Infinity) in every spelling Upbit's grammar allows. */
const overflowing = fc.oneof(
  fc.integer({ min: 309, max: 2_000 }).map((digits) => '9'.repeat(digits)),
  fc.integer({ min: 309, max: 2_000 }).map((digits) => `-${'9'.repeat(digits)}.5`),
  fc.integer({ min: 309, max: 100_000 }).map((exponent) => `1e${exponent}`),
  fc.integer({ min: 309, max: 100_000 }).map((exponent) => `-2.5E+${exponent}`),
  fc.constantFrom('2e308', '-2e308', '"1e400"', '"-1e999"', '1.8e308'),
);

/** Raw JSON text of out-of-range values for a numeric field: every one must be refused. */
export function outOfRange(type: FieldType): fc.Arbitrary<string> {
  const unsafeInteger = fc.bigInt({ min: 2n ** 53n + 1n, max: 10n ** 40n }).map((value) => value.toString());
  const fraction = fc.integer({ min: 1, max: 999 }).map((tail) => `1773240058930.${tail}`);
  switch (type) {
    case 'number':
      return overflowing;
    case 'nonNegative':
      return fc.oneof(
        overflowing,
        fc.double({ min: -1e300, max: -Number.MIN_VALUE, noNaN: true }).map((value) => String(value)),
      );
    case 'epochMs':
      return fc.oneof(overflowing, unsafeInteger, fraction, fc.constantFrom('0', '-1', '-1773240058930', '1e16'));
    case 'integer':
      return fc.oneof(overflowing, unsafeInteger, fc.constantFrom('1.5', '-0.5', '1e16'));
    case 'exactInteger':
      // Digits of any length are fine here (kept exact); a fraction or an exponent beyond 2^53 is not.
      return fc.oneof(
        fc.integer({ min: 309, max: 100_000 }).map((exponent) => `1e${exponent}`),
        fc.integer({ min: 16, max: 400 }).map((digits) => `${'9'.repeat(digits)}.5`),
        fc.constantFrom('1e20', '1.5', '17303368620470000.5', '17303368620470000.0', '"1e400"', '"1.5"'),
      );
    default:
      // Not a numeric field (a code, a flag): any number there is the wrong type.
      return overflowing;
  }
}

/** Spellings of "not a number" that some producers emit: none is a JSON number, none may be accepted. */
export const NOT_A_NUMBER_SPELLINGS: readonly string[] = [
  'NaN',
  '-NaN',
  'Infinity',
  '-Infinity',
  '+Infinity',
  'inf',
  'nan',
  'undefined',
  '+1',
  '.5',
  '5.',
  '01',
  '-01',
  '0x1F',
  '0b101',
  '0o17',
  '1_000',
  '1e',
  '1e+',
  '--1',
  '1.2.3',
  '١٢٣',
  '１２３',
  '∞',
  '"NaN"',
  '"-NaN"',
  '"Infinity"',
  '"-Infinity"',
  '"+Infinity"',
  '"inf"',
  '"nan"',
  '""',
  '" "',
  '" 1"',
  '"1 "',
  '"0x10"',
  '"1,000"',
  '"1_000"',
  '"+1"',
  '".5"',
  '"5."',
  '"01"',
  '"1e"',
  '"١٢٣"',
  '"１２３"',
  '"∞"',
  '"1e400"',
  '"-1e400"',
  '"null"',
  '"true"',
];

/** Nesting depth: mostly shallow, some thousands deep, a few up to 100,000 (JSON.parse itself copes). */
export const nestingDepth = fc.oneof(
  { weight: 50, arbitrary: fc.integer({ min: 2, max: 64 }) },
  { weight: 35, arbitrary: fc.integer({ min: 65, max: 4_096 }) },
  { weight: 13, arbitrary: fc.integer({ min: 4_097, max: 20_000 }) },
  { weight: 2, arbitrary: fc.integer({ min: 20_001, max: 100_000 }) },
);

export type NestingShape = 'arrays' | 'objects' | 'unclosed';

export function nested(shape: NestingShape, depth: number): string {
  if (shape === 'arrays') return '['.repeat(depth) + ']'.repeat(depth);
  if (shape === 'objects') return `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
  return '[{"a":'.repeat(Math.ceil(depth / 2));
}
/** Byte sequences that are not valid UTF-8 (decoded, each becomes U+FFFD). */
export const invalidUtf8 = fc
  .oneof(
    fc.constantFrom(
      [0xff],
      [0xfe],
      [0x80],
      [0xbf],
      [0xc0, 0x80],
      [0xe0, 0x80, 0xaf],
      [0xed, 0xa0, 0x80],
      [0xf8, 0x88, 0x80, 0x80, 0x80],
      [0xe2, 0x82],
      [0xf0, 0x9f, 0x98],
      [0xf4, 0x90, 0x80, 0x80],
    ),
    fc.uint8Array({ min: 0x80, max: 0xff, minLength: 1, maxLength: 8 }).map((bytes) => [0xc3, ...bytes]),
  )
  .map((bytes) => Uint8Array.from(bytes));

/** Invalid UTF-8, or a control character (never allowed raw in JSON text, not even inside a string). */
export const badBytes = fc.oneof(
  invalidUtf8,
  fc.constantFrom([0x00], [0x1b], [0x7f, 0x08]).map((bytes) => Uint8Array.from(bytes)),
);
