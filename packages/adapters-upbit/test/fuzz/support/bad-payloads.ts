import fc from 'fast-check';
import {
  badBytes,
  type NestingShape,
  NOT_A_NUMBER_SPELLINGS,
  nested,
  nestingDepth,
  outOfRange,
  wrongValue,
} from './bad-values.js';
import {
  fieldValue,
  insertBytes,
  type JsonTree,
  RawJson,
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
  if (value instanceof RawJson)
    return value.text.length > 40 ? `${value.text.slice(0, 40)}… (${value.text.length})` : value.text;
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

const NUMERIC: readonly FieldType[] = ['number', 'nonNegative', 'epochMs', 'integer', 'exactInteger'];

/**
 * Fields to put numbers in. A kind without numeric fields (the market list) gets them in its non-text fields,
 * where any number is the wrong type.
 */
function numericFields(kind: PayloadKind): readonly FieldRef[] {
  const numeric = kind.fields.filter((field) => NUMERIC.includes(field.type));
  return numeric.length > 0 ? numeric : kind.fields.filter((field) => field.type !== 'text');
}

// ---- categories ------------------------------------------------------------------------------------------------

function truncated(kind: PayloadKind): fc.Arbitrary<BadCase> {
  const bytes = utf8Bytes(kind.text);
  return fc
    .nat({ max: bytes.length - 1 })
    .map((length) => badCase('truncated', `first ${length} of ${bytes.length} bytes`, bytes.subarray(0, length), true));
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
  return fc.constantFrom(...numericFields(kind)).chain((field) =>
    outOfRange(field.type).map((raw) => {
      const value = new RawJson(raw);
      return badCase('huge number', `${fieldName(field)} = ${describeValue(value)}`, mutated(kind, field, value), true);
    }),
  );
}

function notANumber(kind: PayloadKind): fc.Arbitrary<BadCase> {
  return fc
    .tuple(fc.constantFrom(...numericFields(kind)), fc.constantFrom(...NOT_A_NUMBER_SPELLINGS))
    .map(([field, raw]) =>
      badCase('NaN/Infinity spelling', `${fieldName(field)} = ${raw}`, mutated(kind, field, new RawJson(raw)), true),
    );
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
      badCase(
        'wrong encoding',
        `UTF-16${bigEndian ? 'BE' : 'LE'}${bom ? ' with BOM' : ''}`,
        utf16(kind.text, bigEndian, bom),
        true,
      ),
    );
  const betweenTokens = fc
    .tuple(fc.constantFrom(...structural), badBytes)
    .map(([offset, insert]) =>
      badCase(
        'wrong encoding',
        `bytes ${[...insert]} between tokens at ${offset}`,
        insertBytes(bytes, offset, insert),
        true,
      ),
    );
  const inCode = fc
    .tuple(fc.constantFrom(...inCodes), badBytes)
    .map(([offset, insert]) =>
      badCase(
        'wrong encoding',
        `bytes ${[...insert]} inside the market code at ${offset}`,
        insertBytes(bytes, offset, insert),
        true,
      ),
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
      return badCase(
        'binary garbage',
        `first ${length} bytes, then garbage`,
        insertBytes(bytes.subarray(0, length), length, tail),
        true,
      );
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
