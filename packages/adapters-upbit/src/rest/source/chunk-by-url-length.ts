/**
 * Splits `items` into runs whose request URL (`urlLength(run)`) stays within `maxUrlLength`. An item too long on
 * its own still gets a run of its own, so nothing is ever dropped.
 */
export function chunkByUrlLength<T>(
  items: readonly T[],
  maxUrlLength: number,
  urlLength: (run: readonly T[]) => number,
): readonly (readonly T[])[] {
  const chunks: T[][] = [];
  let current: T[] = [];
  for (const item of items) {
    const candidate = [...current, item];
    if (current.length > 0 && urlLength(candidate) > maxUrlLength) {
      chunks.push(current);
      current = [item];
    } else {
      current = candidate;
    }
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}
