import { DataValidationError, type ErrorContext } from '@marketdata/domain';

// Fast pre-check: an integer can only exceed 2^53 (9007199254740991, 16 digits) with 16+ digits right after a JSON
// delimiter. BigDecimal fractions (`.9616000000000000`) do not match, so most payloads skip the slow path.
const LONG_DIGITS = /[:[,\s]-?\d{16}/;
const MIN_UNSAFE_DIGITS = 16;

/**
 * False when the text cannot hold an integer beyond 2^53 (no run of 16 digits after a delimiter): `JSON.parse` of it
 * is then exactly what `parseJsonExact` gives, and a parse already made can be reused.
 */
export function mayHoldUnsafeIntegers(text: string): boolean {
  return LONG_DIGITS.test(text);
}

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
    const prepared = mayHoldUnsafeIntegers(text) ? quoteUnsafeIntegers(text) : text;
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

function isJsonSpace(code: number): boolean {
  return code === 32 || code === 10 || code === 13 || code === 9;
}

/** Reads the integer literal written as the value of one key from a JSON text (see `integerLiteralReader`). */
export type IntegerLiteralReader = (text: string) => string | undefined;

/**
 * A reader of the integer literal written as the value of `key` (e.g. a trade frame's `sequential_id`), straight from
 * the text, so that a value beyond 2^53 stays exact without scanning every number of the payload. It answers only
 * when that can be told for sure: the text holds no backslash and exactly one `"key"`, followed by `:` and an
 * integer literal. Otherwise undefined (the caller falls back to `parseJsonExact`).
 *
 * Why that is enough, for a text `JSON.parse` accepted whose top-level object has the key: with no backslash every
 * `"` delimits a string and every key is spelt as is, so the top-level key is one of the occurrences; a single
 * occurrence is therefore that key (a nested or duplicate key would make two), and what follows its `:` is its
 * value.
 */
export function integerLiteralReader(key: string): IntegerLiteralReader {
  // Searched without its opening quote: a pattern starting with `"` is slow to find in JSON, where quotes abound.
  const tail = `${key}"`;
  return (text) => {
    let keyAt = -1;
    for (let from = 0; ; ) {
      const at = text.indexOf(tail, from);
      if (at < 0) break;
      if (at > 0 && text.charCodeAt(at - 1) === 34) {
        if (keyAt >= 0) return undefined;
        keyAt = at - 1;
      }
      from = at + 1;
    }
    if (keyAt < 0 || text.indexOf('\\') >= 0) return undefined;
    return integerLiteralAfterColon(text, keyAt + tail.length + 1);
  };
}

/** The integer literal after `:` at or after `from` (JSON whitespace allowed around the colon), or undefined. */
function integerLiteralAfterColon(text: string, from: number): string | undefined {
  const length = text.length;
  let i = from;
  while (i < length && isJsonSpace(text.charCodeAt(i))) i++;
  if (text.charCodeAt(i) !== 58) return undefined; // ':'
  i++;
  while (i < length && isJsonSpace(text.charCodeAt(i))) i++;
  const start = i;
  if (text.charCodeAt(i) === 45) i++; // '-'
  const digitsStart = i;
  while (i < length && isDigit(text.charCodeAt(i))) i++;
  if (i === digitsStart) return undefined;
  const next = text.charCodeAt(i);
  // A fraction or an exponent makes it no integer literal (and a rounded one cannot be made exact).
  if (next === 46 || next === 101 || next === 69) return undefined;
  return detachedSlice(text, start, i);
}

/** Below this length V8 copies a substring; from it on, a substring is a view that keeps the whole text alive. */
const VIEW_MIN_LENGTH = 13;

/**
 * `text.slice(start, end)` that does not keep `text` alive: a trade kept for `getTrades` must not hold its whole
 * frame in memory through its 17-digit id. Short slices are copies; joined, they refer to those copies only, and
 * reading a character makes the join one flat string at once (so comparing ids later costs no copy).
 */
function detachedSlice(text: string, start: number, end: number): string {
  if (end - start < VIEW_MIN_LENGTH) return text.slice(start, end);
  let joined = '';
  for (let from = start; from < end; from += VIEW_MIN_LENGTH - 1) {
    joined += text.slice(from, Math.min(end, from + VIEW_MIN_LENGTH - 1));
  }
  joined.charCodeAt(0);
  return joined;
}
