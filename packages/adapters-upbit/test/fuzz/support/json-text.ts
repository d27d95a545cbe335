/**
 * Building payload text for the fuzz cases. A parsed template is mutated as a tree and written back with
 * `toJsonText`; values that JSON.stringify cannot produce (`NaN`, `1e400`, a 10 MB digit run, unbalanced brackets)
 * are placed as `RawJson` and written verbatim.
 */
export type JsonTree = null | boolean | number | string | RawJson | readonly JsonTree[] | { [key: string]: JsonTree };
export type JsonPath = readonly (string | number)[];

/** Text written into the payload exactly as given (may be invalid JSON on purpose). */
export class RawJson {
  constructor(readonly text: string) {}
}

const utf8 = new TextEncoder();

export function utf8Bytes(text: string): Uint8Array {
  return utf8.encode(text);
}

/** Serializes a tree; every `RawJson` is replaced by its text. */
export function toJsonText(tree: JsonTree): string {
  const raws: string[] = [];
  const text = JSON.stringify(tree, (_key, value: unknown) => {
    if (value instanceof RawJson) {
      raws.push(value.text);
      return `@@raw:${raws.length - 1}@@`;
    }
    return value;
  });
  if (raws.length === 0) return text;
  // Split/join per marker instead of a regex replace: raw texts may be megabytes long and contain `$`.
  let out = text;
  raws.forEach((raw, index) => {
    out = out.split(`"@@raw:${index}@@"`).join(raw);
  });
  return out;
}

/**
 * Parses a recorded fixture into a tree. Trade `sequential_id` (beyond 2^53) is kept as its digit text so the tree
 * never holds a rounded number; Upbit payloads are otherwise plain JSON.
 */
export function parseTemplate(text: string): JsonTree {
  const protectedText = text.replace(/("(?:sequential_id|sid)"\s*:\s*)(\d+)/g, '$1"$2"');
  return JSON.parse(protectedText) as JsonTree;
}

function isRecord(value: JsonTree | undefined): value is { [key: string]: JsonTree } {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof RawJson);
}

/** A deep copy that keeps `RawJson` values as they are (structuredClone would turn them into plain objects). */
export function cloneTree(tree: JsonTree): JsonTree {
  if (Array.isArray(tree)) return (tree as readonly JsonTree[]).map(cloneTree);
  if (isRecord(tree)) return Object.fromEntries(Object.entries(tree).map(([key, value]) => [key, cloneTree(value)]));
  return tree;
}

function containerAt(tree: JsonTree, path: JsonPath): JsonTree {
  let node: JsonTree | undefined = tree;
  for (const step of path) {
    if (Array.isArray(node) && typeof step === 'number') node = (node as readonly JsonTree[])[step];
    else if (isRecord(node) && typeof step === 'string') node = node[step];
    else node = undefined;
    if (node === undefined) throw new Error(`template has nothing at ${JSON.stringify(path)}`);
  }
  return node;
}

/** A copy of `tree` with `key` of the object at `path` set to `value` (or removed when `value` is undefined). */
export function withField(tree: JsonTree, path: JsonPath, key: string, value: JsonTree | undefined): JsonTree {
  const copy = cloneTree(tree);
  const target = containerAt(copy, path);
  if (!isRecord(target)) throw new Error(`not an object at ${JSON.stringify(path)}`);
  if (value === undefined) delete target[key];
  else target[key] = value;
  return copy;
}

/** The value of `key` in the object at `path`. */
export function fieldValue(tree: JsonTree, path: JsonPath, key: string): JsonTree | undefined {
  const target = containerAt(tree, path);
  return isRecord(target) ? target[key] : undefined;
}

/** Keys of the object at `path`. */
export function keysAt(tree: JsonTree, path: JsonPath): readonly string[] {
  const target = containerAt(tree, path);
  return isRecord(target) ? Object.keys(target) : [];
}

/** A copy with the keys of the object at `path` in the given order (keys not listed follow in their old order). */
export function withKeyOrder(tree: JsonTree, path: JsonPath, order: readonly string[]): JsonTree {
  const copy = cloneTree(tree);
  const target = containerAt(copy, path);
  if (!isRecord(target)) return copy;
  const byKey = new Map(Object.entries(target));
  for (const key of byKey.keys()) delete target[key];
  for (const key of order) {
    const value = byKey.get(key);
    if (value === undefined) continue;
    target[key] = value;
    byKey.delete(key);
  }
  for (const [key, value] of byKey) target[key] = value;
  return copy;
}

/**
 * Offsets (in UTF-16 units of `text`) just after a structural character (`{ [ : ,`) outside strings. Inserting a
 * byte that is not JSON white space at such an offset always makes the text invalid JSON.
 */
export function structuralOffsets(text: string): readonly number[] {
  const offsets: number[] = [];
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (inString) {
      if (char === '\\') i++;
      else if (char === '"') inString = false;
      continue;
    }
    if (char === '"') inString = true;
    else if (char === '{' || char === '[' || char === ':' || char === ',') offsets.push(i + 1);
  }
  return offsets;
}

/** Byte offset of a UTF-16 offset in the UTF-8 encoding of `text`. */
export function utf8OffsetOf(text: string, offset: number): number {
  return utf8.encode(text.slice(0, offset)).length;
}

export function concatBytes(...parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** `bytes` with `insert` placed at byte `offset`. */
export function insertBytes(bytes: Uint8Array, offset: number, insert: Uint8Array): Uint8Array {
  return concatBytes(bytes.subarray(0, offset), insert, bytes.subarray(offset));
}

/**
 * Replaces the value of every `"key": value` pair (a scalar value) in recorded text, keeping every other byte as
 * recorded. Used to vary good frames without re-serializing Upbit's number spellings.
 */
export function replaceScalar(text: string, key: string, valueText: string): string {
  const pattern = new RegExp(`("${key}"\\s*:\\s*)("(?:[^"\\\\]|\\\\.)*"|[^,}\\]\\s]+)`, 'g');
  let replaced = 0;
  const out = text.replace(pattern, (_match, prefix: string) => {
    replaced++;
    return `${prefix}${valueText}`;
  });
  if (replaced === 0) throw new Error(`no "${key}" in template`);
  return out;
}

/** The recorded text with the first value of `key` replaced by `valueText` (kept verbatim). */
export function replaceFirstScalar(text: string, key: string, valueText: string): string {
  const pattern = new RegExp(`("${key}"\\s*:\\s*)("(?:[^"\\\\]|\\\\.)*"|[^,}\\]\\s]+)`);
  const match = pattern.exec(text);
  if (match === null) throw new Error(`no "${key}" in the recorded payload`);
  const start = match.index + (match[1]?.length ?? 0);
  return text.slice(0, start) + valueText + text.slice(start + (match[2]?.length ?? 0));
}

/** Where the first top-level object of the recorded text ends (its closing brace). */
export function firstObjectEnd(text: string): number {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (inString) {
      if (char === '\\') i++;
      else if (char === '"') inString = false;
    } else if (char === '"') inString = true;
    else if (char === '{') depth++;
    else if (char === '}' && --depth === 0) return i;
  }
  throw new Error('no complete object in the recorded payload');
}

/** The recorded text with an extra field inserted into its first top-level object, every recorded byte kept. */
export function withExtraField(text: string, fieldText: string): string {
  const end = firstObjectEnd(text);
  return `${text.slice(0, end)},${fieldText}${text.slice(end)}`;
}
