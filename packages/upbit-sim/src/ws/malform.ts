import type { Random } from '@marketdata/domain';

export type MalformKind = 'truncated' | 'wrong-type' | 'missing-field';

/**
 * Breaks a data frame the way a faulty feed might: cut in the middle (invalid JSON), a number replaced by a
 * string (wrong type), or the code field removed (missing field). Used by the malformed-frame fault.
 */
export function malformFrame(text: string, random: Random): { readonly text: string; readonly kind: MalformKind } {
  const pick = random.next();
  if (pick < 1 / 3) return { text: text.slice(0, Math.max(1, Math.floor(text.length / 2))), kind: 'truncated' };
  if (pick < 2 / 3) {
    const replaced = text.replace(/:(-?\d[\d.eE+-]*)/, ':"$1x"');
    if (replaced !== text) return { text: replaced, kind: 'wrong-type' };
  }
  const removed = text.replace(/"(code|cd)":"[^"]*",?/, '');
  return { text: removed, kind: 'missing-field' };
}
