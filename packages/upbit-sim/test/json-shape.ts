/**
 * Reads JSON text into its shape: for every key path (array indexes written as `[]`), the JSON type and, for
 * numbers, the raw number text as written (which JSON.parse would throw away).
 */
export type JsonType = 'string' | 'number' | 'boolean' | 'null' | 'object' | 'array';

export interface Leaf {
  readonly type: JsonType;
  readonly raw: string;
}

export type Shape = Map<string, Leaf[]>;

export function shapeOf(text: string): Shape {
  const shape: Shape = new Map();
  let i = 0;
  const ws = (): void => {
    while (i < text.length && ' \t\r\n'.includes(text[i] as string)) i++;
  };
  const add = (path: string, type: JsonType, raw: string): void => {
    const list = shape.get(path) ?? [];
    list.push({ type, raw });
    shape.set(path, list);
  };
  const str = (): string => {
    const start = i;
    i++;
    while (text[i] !== '"') {
      if (text[i] === '\\') i++;
      i++;
      if (i >= text.length) throw new Error('unterminated string');
    }
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const value = (path: string): void => {
    ws();
    const c = text[i];
    if (c === '{') {
      add(path, 'object', '');
      i++;
      ws();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        ws();
        const key = str();
        ws();
        if (text[i] !== ':') throw new Error(`expected : at ${i}`);
        i++;
        value(`${path}.${key}`);
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return;
        }
        throw new Error(`expected , or } at ${i}`);
      }
    }
    if (c === '[') {
      add(path, 'array', '');
      i++;
      ws();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (;;) {
        value(`${path}[]`);
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return;
        }
        throw new Error(`expected , or ] at ${i}`);
      }
    }
    if (c === '"') {
      const start = i;
      str();
      add(path, 'string', text.slice(start, i));
      return;
    }
    const rest = text.slice(i);
    const literal = /^(true|false|null)/.exec(rest);
    if (literal !== null) {
      i += (literal[1] as string).length;
      add(path, literal[1] === 'null' ? 'null' : 'boolean', literal[1] as string);
      return;
    }
    const number = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(rest);
    if (number === null) throw new Error(`unexpected ${rest.slice(0, 20)}`);
    i += number[0].length;
    add(path, 'number', number[0]);
  };
  value('$');
  ws();
  if (i !== text.length) throw new Error(`trailing text at ${i}`);
  return shape;
}

/** Key paths of objects (not the containers), sorted. */
export function keyPaths(shape: Shape): string[] {
  return [...shape.keys()].filter((path) => path !== '$' && path !== '$[]').sort();
}

export type Spelling = 'python' | 'exact';

type Style = { readonly kind: 'int' | 'exp' | 'dec'; readonly scale: number | undefined };

function styleOf(raw: string, spelling: Spelling): Style {
  if (/[eE]/.test(raw)) return { kind: spelling === 'python' ? 'dec' : 'exp', scale: undefined };
  const dot = raw.indexOf('.');
  if (dot < 0) return { kind: 'int', scale: undefined };
  const decimals = raw.length - dot - 1;
  // A trailing zero proves a fixed BigDecimal scale; Python's float repr (re-serialized fixtures) proves nothing.
  return { kind: 'dec', scale: spelling === 'exact' && raw.endsWith('0') ? decimals : undefined };
}

function matches(raw: string, allowed: readonly Style[]): boolean {
  const own = styleOf(raw, 'exact');
  return allowed.some((style) => {
    if (style.kind !== own.kind) return false;
    if (style.scale === undefined) return true;
    const dot = raw.indexOf('.');
    return raw.length - dot - 1 === style.scale;
  });
}

export interface ShapeProblem {
  readonly path: string;
  readonly problem: string;
}

/**
 * Compares a simulator payload with recorded ones of the same kind: every number the simulator writes must
 * have a spelling the recordings show for that key (integer, exponent, or decimal with the same fixed scale
 * where the recording proves one), and every JSON type must match.
 */
export function compareSpelling(
  sim: Shape,
  fixtures: readonly { readonly shape: Shape; readonly spelling: Spelling }[],
): ShapeProblem[] {
  const problems: ShapeProblem[] = [];
  for (const [path, leaves] of sim) {
    const all = fixtures.flatMap((f) => (f.shape.get(path) ?? []).map((leaf) => ({ leaf, spelling: f.spelling })));
    // Byte-exact recordings decide where they exist; re-serialized ones only where nothing exact was recorded.
    const exact = all.filter((r) => r.spelling === 'exact');
    const recorded = exact.length > 0 ? exact : all;
    if (recorded.length === 0) continue;
    const types = new Set(recorded.map((r) => r.leaf.type));
    for (const leaf of leaves) {
      // A zero-padding slot or a null is a legitimate other type only where the recordings show it.
      if (!types.has(leaf.type)) {
        problems.push({ path, problem: `type ${leaf.type} (${leaf.raw}), recorded ${[...types].join('/')}` });
        continue;
      }
      if (leaf.type !== 'number') continue;
      const allowed = recorded.filter((r) => r.leaf.type === 'number').map((r) => styleOf(r.leaf.raw, r.spelling));
      if (!matches(leaf.raw, allowed)) {
        const examples = recorded.map((r) => r.leaf.raw).slice(0, 3);
        problems.push({ path, problem: `number ${leaf.raw} spelled unlike ${examples.join(', ')}` });
      }
    }
  }
  return problems;
}
