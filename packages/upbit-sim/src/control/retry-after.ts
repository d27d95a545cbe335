import { configError } from '../config-error.js';

/**
 * A `Retry-After` value for injected refusals: any header-safe text, absurd values included (`3000000`, a
 * 400-digit number, an HTTP date, `soon`) so clients are tested against what a real server might send.
 */
export function retryAfterText(value: string | number | undefined): string | undefined {
  if (value === undefined) return undefined;
  const text = typeof value === 'number' ? String(value) : value;
  if (typeof value === 'number' && !Number.isFinite(value)) {
    throw configError('retryAfter', `retryAfter must be finite, got ${value}`, value);
  }
  if (!/^[\x21-\x7e][\x20-\x7e]*$/.test(text) || text.length > 8192) {
    throw configError('retryAfter', 'retryAfter must be 1..8192 printable ASCII characters (no line breaks)', text);
  }
  return text;
}
