import { DataValidationError, type ErrorContext } from '@marketdata/domain';

// Fast pre-check: an integer can only exceed 2^53 (9007199254740991, 16 digits) with 16+ digits right after a JSON
// delimiter. BigDecimal fractions (`.9616000000000000`) do not match, so most payloads skip the slow path.
const LONG_DIGITS = /[:[,\s]-?\d{16}/;
const MIN_UNSAFE_DIGITS = 16;

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

/**
 * One linear pass over the JSON text: strings are skipped (digits inside them are never touched) and every bare
 * integer literal too large for a double is wrapped in quotes. A regular expression did the same with backtracking,
 * which went quadratic (and overflowed) on large hostile payloads.
 */
function quoteUnsafeIntegers(text: string): string {
  const parts: string[] = [];
  let copiedUpTo = 0;
  let i = 0;
  const length = text.length;
  while (i < length) {
    const code = text.charCodeAt(i);
    if (code === 34) {
      // A string: skip to its closing quote, honouring escapes.
      i++;
      while (i < length) {
        const inner = text.charCodeAt(i);
        if (inner === 92) i += 2;
        else {
          i++;
          if (inner === 34) break;
        }
      }
      continue;
    }
    if (code !== 45 && !isDigit(code)) {
      i++;
      continue;
    }
    // A number token: sign, integer digits, then anything that makes it a fraction or an exponent.
    const start = i;
    if (code === 45) i++;
    const digitsStart = i;
    while (i < length && isDigit(text.charCodeAt(i))) i++;
    const digitsEnd = i;
    let integer = true;
    while (i < length) {
      const next = text.charCodeAt(i);
      if (next !== 46 && next !== 101 && next !== 69 && next !== 43 && next !== 45 && !isDigit(next)) break;
      integer = false;
      i++;
    }
    if (integer && digitsEnd - digitsStart >= MIN_UNSAFE_DIGITS) {
      const literal = text.slice(start, digitsEnd);
      if (!Number.isSafeInteger(Number(literal))) {
        parts.push(text.slice(copiedUpTo, start), '"', literal, '"');
        copiedUpTo = digitsEnd;
      }
    }
  }
  if (parts.length === 0) return text;
  parts.push(text.slice(copiedUpTo));
  return parts.join('');
}

/**
 * `JSON.parse`, except that integers beyond `Number.MAX_SAFE_INTEGER` (Upbit's trade `sequential_id`, ~1.7e16)
 * come back as their exact decimal text instead of a rounded number. Every other value is what `JSON.parse` gives.
 * Malformed or truncated JSON throws `DataValidationError` (path `$`) carrying the parser's message.
 */
export function parseJsonExact(text: string, context: ErrorContext = {}): unknown {
  try {
    const prepared = LONG_DIGITS.test(text) ? quoteUnsafeIntegers(text) : text;
    return JSON.parse(prepared);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new DataValidationError(`Malformed JSON (${text.length} chars): ${reason}`, {
      ...context,
      path: '$',
      value: text.length > 200 ? `${text.slice(0, 200)}…` : text,
      cause: error,
    });
  }
}
