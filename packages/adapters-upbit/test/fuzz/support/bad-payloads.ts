import { isMarketCode } from '@marketdata/domain';
import fc from 'fast-check';
import {
  type JsonTree,
  RawJson,
  fieldValue,
  insertBytes,
  structuralOffsets,
  toJsonText,
  utf8Bytes,
  utf8OffsetOf,
  withField,
} from './json-text.js';
import type { FieldRef, FieldType, PayloadKind } from './payload-kinds.js';

/**
 * fast-check generators of bad payloads, one per category, all derived from a kind's recorded payload. Each case
 * says whether the adapter must refuse it (`mustFail`): true when the damage is certain to break a field the
 * adapter reads or the JSON itself; false when the damage may land somewhere harmless (a stray byte inside a name),
 * in which case the payload may be accepted but must then decode to usable values.
 */
export const CATEGORIES = [
  'truncated',
  'missing field',
  'wrong type',
  'huge number',
  'NaN/Infinity spelling',
  'deep nesting',
  'wrong encoding',
  'binary garbage',
] as const;
export type Category = (typeof CATEGORIES)[number];

export interface BadCase {
  readonly category: Category;
  readonly note: string;
  readonly bytes: Uint8Array;
  readonly mustFail: boolean;
}

const previewDecoder = new TextDecoder('utf-8');

function preview(bytes: Uint8Array): string {
  const text = previewDecoder.decode(bytes.subarray(0, 160));
  return JSON.stringify(bytes.length > 160 ? `${text}…` : text);
}

function describeValue(value: JsonTree): string {
  if (value instanceof RawJson) return value.text.length > 40 ? `${value.text.slice(0, 40)}… (${value.text.length})` : value.text;
  const text = JSON.stringify(value);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

export function badCase(category: Category, note: string, bytes: Uint8Array, mustFail: boolean): BadCase {
  // fast-check prints counterexamples with this: a short description instead of a dump of every byte.
  return {
    category,
    note,
    bytes,
    mustFail,
    [fc.toStringMethod]: () =>
      `${category}: ${note} (${bytes.length} bytes, ${mustFail ? 'must fail' : 'may pass'}) ${preview(bytes)}`,
  } as BadCase;
}

function fieldName(field: FieldRef): string {
  return [...field.path, field.key].join('.');
}

function mutated(kind: PayloadKind, field: FieldRef, value: JsonTree | undefined): Uint8Array {
  return utf8Bytes(toJsonText(withField(kind.tree, field.path, field.key, value)));
}

// ---- values ----------------------------------------------------------------------------------------------------

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
      return fc.oneof(nullish, bool, containers, strings((text) => !NUMBER_TEXT.test(text)));
    case 'exactInteger':
      return fc.oneof(nullish, bool, containers, strings((text) => !INTEGER_TEXT.test(text), ['1.5', '1e5', '0x10']));
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
      return fc.oneof(nullish, bool, containers, numbers, strings((text) => !choices.includes(text), others));
    }
    case 'dateText': {
      const accepts = field.accepts ?? /^$/;
      return fc.oneof(nullish, bool, containers, numbers, strings((text) => !accepts.test(text)));
    }
    case 'text':
      return fc.oneof(nullish, bool, containers, numbers);
    case 'boolean':
      return fc.oneof(nullish, numbers, containers, fc.constantFrom<JsonTree>('true', 'false', ''));
    case 'object':
      return fc.oneof(nullish, bool, numbers, fc.constant<JsonTree>({}), smallObject, anyString as fc.Arbitrary<JsonTree>);
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

const NUMERIC: readonly FieldType[] = ['number', 'nonNegative', 'epochMs', 'integer', 'exactInteger'];

/**
 * Fields to put numbers in. A kind without numeric fields (the market list) gets them in its non-text fields,
 * where any number is the wrong type.
 */
function numericFields(kind: PayloadKind): readonly FieldRef[] {
  const numeric = kind.fields.filter((field) => NUMERIC.includes(field.type));
  return numeric.length > 0 ? numeric : kind.fields.filter((field) => field.type !== 'text');
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

// ---- categories ------------------------------------------------------------------------------------------------

function truncated(kind: PayloadKind): fc.Arbitrary<BadCase> {
  const bytes = utf8Bytes(kind.text);
  return fc
    .nat({ max: bytes.length - 1 })
    .map((length) =>
      badCase('truncated', `first ${length} of ${bytes.length} bytes`, bytes.subarray(0, length), true),
    );
}

function missingField(kind: PayloadKind): fc.Arbitrary<BadCase> {
  const required = kind.fields.filter((field) => !field.optional);
  return fc
    .constantFrom(...required)
    .map((field) => badCase('missing field', `${fieldName(field)} removed`, mutated(kind, field, undefined), true));
}

function wrongType(kind: PayloadKind): fc.Arbitrary<BadCase> {
  return fc
    .constantFrom(...kind.fields)
    .chain((field) =>
      wrongValue(field).map((value) =>
        badCase('wrong type', `${fieldName(field)} = ${describeValue(value)}`, mutated(kind, field, value), true),
      ),
    );
}

function hugeNumber(kind: PayloadKind): fc.Arbitrary<BadCase> {
  return fc
    .constantFrom(...numericFields(kind))
    .chain((field) =>
      outOfRange(field.type).map((raw) => {
        const value = new RawJson(raw);
        return badCase('huge number', `${fieldName(field)} = ${describeValue(value)}`, mutated(kind, field, value), true);
      }),
    );
}

function notANumber(kind: PayloadKind): fc.Arbitrary<BadCase> {
  return fc.tuple(fc.constantFrom(...numericFields(kind)), fc.constantFrom(...NOT_A_NUMBER_SPELLINGS)).map(
    ([field, raw]) => badCase('NaN/Infinity spelling', `${fieldName(field)} = ${raw}`, mutated(kind, field, new RawJson(raw)), true),
  );
}

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
  if (shape === 'objects') return '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
  return '[{"a":'.repeat(Math.ceil(depth / 2));
}

const nestingShape = fc.constantFrom<NestingShape>('arrays', 'objects', 'unclosed');

function deepNesting(kind: PayloadKind): fc.Arbitrary<BadCase> {
  const inField = fc
    .tuple(fc.constantFrom(...kind.fields), nestingShape, nestingDepth)
    .map(([field, shape, depth]) =>
      badCase(
        'deep nesting',
        `${fieldName(field)} = ${shape} ${depth} deep`,
        mutated(kind, field, new RawJson(nested(shape, depth))),
        true,
      ),
    );
  // The whole payload replaced: a list of lists for REST is still refused (its items are not objects).
  const whole = fc
    .tuple(nestingShape, nestingDepth)
    .map(([shape, depth]) =>
      badCase('deep nesting', `whole payload = ${shape} ${depth} deep`, utf8Bytes(nested(shape, depth)), true),
    );
  return fc.oneof({ weight: 4, arbitrary: inField }, { weight: 1, arbitrary: whole });
}

/** Byte sequences that are not valid UTF-8 (decoded, each becomes U+FFFD). */
export const invalidUtf8 = fc.oneof(
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
).map((bytes) => Uint8Array.from(bytes));

/** Invalid UTF-8, or a control character (never allowed raw in JSON text, not even inside a string). */
const badBytes = fc.oneof(invalidUtf8, fc.constantFrom([0x00], [0x1b], [0x7f, 0x08]).map((bytes) => Uint8Array.from(bytes)));

function utf16(text: string, bigEndian: boolean, bom: boolean): Uint8Array {
  const little = Buffer.from(`${bom ? '\ufeff' : ''}${text}`, 'utf16le');
  if (!bigEndian) return Uint8Array.from(little);
  const big = Uint8Array.from(little);
  for (let i = 0; i + 1 < big.length; i += 2) [big[i], big[i + 1]] = [big[i + 1] ?? 0, big[i] ?? 0];
  return big;
}

/** Byte offsets inside the market code strings of a payload (after the opening quote, up to the closing one). */
function codeOffsets(kind: PayloadKind): readonly number[] {
  const offsets: number[] = [];
  for (const field of kind.fields.filter((candidate) => candidate.type === 'marketCode')) {
    const code = fieldValue(kind.tree, field.path, field.key);
    if (typeof code !== 'string') continue;
    const pattern = new RegExp(`"${field.key}"\\s*:\\s*"${code}"`, 'g');
    for (const match of kind.text.matchAll(pattern)) {
      const start = (match.index ?? 0) + match[0].length - code.length - 1;
      for (let i = 0; i <= code.length; i++) offsets.push(utf8OffsetOf(kind.text, start + i));
    }
  }
  return [...new Set(offsets)];
}

function wrongEncoding(kind: PayloadKind): fc.Arbitrary<BadCase> {
  const bytes = utf8Bytes(kind.text);
  const structural = structuralOffsets(kind.text).map((offset) => utf8OffsetOf(kind.text, offset));
  const inCodes = codeOffsets(kind);
  const asUtf16 = fc
    .tuple(fc.boolean(), fc.boolean())
    .map(([bigEndian, bom]) =>
      badCase('wrong encoding', `UTF-16${bigEndian ? 'BE' : 'LE'}${bom ? ' with BOM' : ''}`, utf16(kind.text, bigEndian, bom), true),
    );
  const betweenTokens = fc
    .tuple(fc.constantFrom(...structural), badBytes)
    .map(([offset, insert]) =>
      badCase('wrong encoding', `bytes ${[...insert]} between tokens at ${offset}`, insertBytes(bytes, offset, insert), true),
    );
  const inCode = fc
    .tuple(fc.constantFrom(...inCodes), badBytes)
    .map(([offset, insert]) =>
      badCase('wrong encoding', `bytes ${[...insert]} inside the market code at ${offset}`, insertBytes(bytes, offset, insert), true),
    );
  // Anywhere: may land inside a string the adapter does not read (then the payload is still good).
  const anywhere = fc
    .tuple(fc.nat({ max: bytes.length }), badBytes)
    .map(([offset, insert]) =>
      badCase('wrong encoding', `bytes ${[...insert]} at ${offset}`, insertBytes(bytes, offset, insert), false),
    );
  // Latin-1 instead of UTF-8: Korean names turn into stray bytes (the payload itself may stay usable).
  const latin1 = fc.constant(
    badCase('wrong encoding', 'written as Latin-1', Uint8Array.from(Buffer.from(kind.text, 'latin1')), false),
  );
  return fc.oneof(asUtf16, betweenTokens, inCode, anywhere, latin1);
}

const EMPTY_LIST = /^\s*\[\s*\]\s*$/;

function isEmptyList(bytes: Uint8Array): boolean {
  return EMPTY_LIST.test(previewDecoder.decode(bytes));
}

function binaryGarbage(kind: PayloadKind): fc.Arbitrary<BadCase> {
  const bytes = utf8Bytes(kind.text);
  // An empty list `[]` is a valid (empty) REST answer; random bytes spelling it are not "bad".
  const random = fc
    .uint8Array({ maxLength: 2_048 })
    .map((garbage) => badCase('binary garbage', 'random bytes', garbage, !isEmptyList(garbage)));
  // The payload's start, then garbage without `]` or `}`: the payload can never be complete.
  const prefixed = fc
    .tuple(fc.nat({ max: bytes.length - 1 }), fc.uint8Array({ minLength: 1, maxLength: 512 }))
    .map(([length, garbage]) => {
      const tail = garbage.map((byte) => (byte === 0x5d || byte === 0x7d ? 0x20 : byte));
      return badCase('binary garbage', `first ${length} bytes, then garbage`, insertBytes(bytes.subarray(0, length), length, tail), true);
    });
  const json = fc
    .jsonValue({ maxDepth: 3 })
    .filter((value) => !isReservedWsShape(value))
    .map((value) => {
      const text = utf8Bytes(JSON.stringify(value));
      return badCase('binary garbage', 'random JSON value', text, !isEmptyList(text));
    });
  return fc.oneof({ weight: 3, arbitrary: random }, { weight: 2, arbitrary: prefixed }, { weight: 2, arbitrary: json });
}

/** WebSocket status (`{"status":"UP"}`) and error (`{"error":{...}}`) messages are not data frames; left out. */
function isReservedWsShape(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(isReservedWsShape);
  return typeof value === 'object' && value !== null && ('error' in value || 'status' in value);
}

export function categoryArbitrary(kind: PayloadKind, category: Category): fc.Arbitrary<BadCase> {
  switch (category) {
    case 'truncated':
      return truncated(kind);
    case 'missing field':
      return missingField(kind);
    case 'wrong type':
      return wrongType(kind);
    case 'huge number':
      return hugeNumber(kind);
    case 'NaN/Infinity spelling':
      return notANumber(kind);
    case 'deep nesting':
      return deepNesting(kind);
    case 'wrong encoding':
      return wrongEncoding(kind);
    case 'binary garbage':
      return binaryGarbage(kind);
  }
}
