import fc from 'fast-check';
import { invalidUtf8, nested, nestingDepth } from './bad-values.js';
import {
  cloneTree,
  fieldValue,
  insertBytes,
  type JsonPath,
  type JsonTree,
  keysAt,
  RawJson,
  toJsonText,
  utf8Bytes,
  withField,
  withKeyOrder,
} from './json-text.js';
import type { FieldRef, PayloadKind } from './payload-kinds.js';

/**
 * Changes a good payload must survive (the adapter tolerates unknown fields and every number spelling Upbit uses):
 * unknown extra fields holding anything (deep nesting, odd text, invalid UTF-8), numbers re-spelt with the same
 * value, keys in another order. A payload with only these changes must decode to exactly the original values.
 */
export interface NoisyPayload {
  readonly notes: readonly string[];
  readonly bytes: Uint8Array;
}

type Edit = (tree: JsonTree) => { readonly tree: JsonTree; readonly note: string };

const EXTRA_KEY = 'x_fuzz_extra';
const BYTES_KEY = 'x_fuzz_bytes';

function addUnknown(objects: readonly JsonPath[]): fc.Arbitrary<Edit> {
  const value = fc.oneof(
    fc.jsonValue({ maxDepth: 4 }) as fc.Arbitrary<JsonTree>,
    fc.string({ unit: 'binary', maxLength: 200 }) as fc.Arbitrary<JsonTree>,
    fc
      .tuple(fc.constantFrom<'arrays' | 'objects'>('arrays', 'objects'), nestingDepth)
      .map(([shape, depth]) => new RawJson(nested(shape, depth)) as JsonTree),
  );
  return fc.tuple(fc.constantFrom(...objects), fc.nat(99), value).map(
    ([path, index, extra]): Edit =>
      (tree) => ({
        tree: withField(tree, path, `${EXTRA_KEY}_${index}`, extra),
        note: `unknown field at ${path.join('.') || '$'}`,
      }),
  );
}

/** Same value, other spelling: BigDecimal zeros, exponent form (either case), or a JSON string. */
function respellings(value: number): readonly string[] {
  const plain = String(value);
  const spellings = [value.toExponential(), value.toExponential().toUpperCase(), `"${plain}"`];
  if (!/e/i.test(plain)) spellings.push(plain.includes('.') ? `${plain}0000` : `${plain}.00000000`);
  return spellings;
}

function respell(fields: readonly FieldRef[]): fc.Arbitrary<Edit> {
  return fc.tuple(fc.constantFrom(...fields), fc.nat(3)).map(
    ([field, choice]): Edit =>
      (tree) => {
        const value = fieldValue(tree, field.path, field.key);
        if (typeof value !== 'number') return { tree, note: 'no re-spelling' };
        const options = respellings(value);
        const spelling = options[choice % options.length] ?? String(value);
        return {
          tree: withField(tree, field.path, field.key, new RawJson(spelling)),
          note: `${field.key} spelt ${spelling}`,
        };
      },
  );
}

function reorder(objects: readonly JsonPath[], tree: JsonTree): fc.Arbitrary<Edit> {
  return fc.constantFrom(...objects).chain((path) => {
    const keys = keysAt(tree, path);
    return fc.shuffledSubarray([...keys], { minLength: keys.length, maxLength: keys.length }).map(
      (order): Edit =>
        (current) => ({ tree: withKeyOrder(current, path, order), note: `keys reordered at ${path.join('.') || '$'}` }),
    );
  });
}

/** Good payloads with harmless noise, for the kind's recorded payload. */
export function harmlessNoise(kind: PayloadKind): fc.Arbitrary<NoisyPayload> {
  const numeric = kind.fields.filter((field) => ['number', 'nonNegative', 'epochMs', 'integer'].includes(field.type));
  const edits = [addUnknown(kind.objects), reorder(kind.objects, kind.tree)];
  if (numeric.length > 0) edits.push(respell(numeric));
  const edit = fc.oneof(...edits);
  return fc
    .tuple(fc.array(edit, { minLength: 1, maxLength: 4 }), fc.option(invalidUtf8, { nil: undefined }))
    .map(([chosen, badBytes]) => {
      let tree = cloneTree(kind.tree);
      const notes: string[] = [];
      for (const apply of chosen) {
        const result = apply(tree);
        tree = result.tree;
        notes.push(result.note);
      }
      if (badBytes === undefined) return { notes, bytes: utf8Bytes(toJsonText(tree)) };
      // Invalid UTF-8 inside a string nobody reads: decoded as U+FFFD, the payload stays good.
      const [objectPath] = kind.objects;
      const text = toJsonText(withField(tree, objectPath ?? [], BYTES_KEY, 'ab'));
      const at = utf8Bytes(text.slice(0, text.indexOf(`"${BYTES_KEY}":"a`) + BYTES_KEY.length + 5)).length;
      notes.push(`bytes ${[...badBytes]} inside an unknown string`);
      return { notes, bytes: insertBytes(utf8Bytes(text), at, badBytes) };
    })
    .map((payload) => ({
      ...payload,
      [fc.toStringMethod]: () => `${payload.notes.join('; ')} (${payload.bytes.length} bytes)`,
    }));
}
