import { isMarketCode } from '@marketdata/domain';

/**
 * Checks that an accepted value is usable: every number finite, the symbol a valid market code, a trade's
 * `sequentialId` exact digits. Returns the first problem, or undefined.
 */
export function problemWith(value: unknown, path = '$'): string | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : `${path} is ${value}`;
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const problem = problemWith(item, `${path}[${index}]`);
      if (problem !== undefined) return problem;
    }
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Record<string, unknown>;
  if ('symbol' in record && !isMarketCode(record.symbol)) return `${path}.symbol is ${String(record.symbol)}`;
  if ('sequentialId' in record && !/^-?\d+$/.test(String(record.sequentialId))) {
    return `${path}.sequentialId is ${String(record.sequentialId)}`;
  }
  for (const [key, item] of Object.entries(record)) {
    const problem = problemWith(item, `${path}.${key}`);
    if (problem !== undefined) return problem;
  }
  return undefined;
}
