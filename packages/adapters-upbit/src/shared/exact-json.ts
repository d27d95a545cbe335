import { DataValidationError, type ErrorContext } from '@marketdata/domain';

// Fast pre-check: an integer can only exceed 2^53 (9007199254740991, 16 digits) with 16+ digits right after a JSON
// delimiter. BigDecimal fractions (`.9616000000000000`) do not match, so most payloads skip the slow path.
const LONG_DIGITS = /[:[,\s]-?\d{16}/;
// Strings are matched (and left alone) so digits inside them are never touched; a bare integer of 16+ digits that
// is not part of a fraction or an exponent is captured.
const STRING_OR_LONG_INTEGER = /"(?:[^"\\]|\\.)*"|(?<![\d.eE+-])(-?\d{16,})(?![\d.eE])/g;

function quoteUnsafeInteger(match: string, integer: string | undefined): string {
  if (integer === undefined) return match;
  return Number.isSafeInteger(Number(integer)) ? match : `"${integer}"`;
}

/**
 * `JSON.parse`, except that integers beyond `Number.MAX_SAFE_INTEGER` (Upbit's trade `sequential_id`, ~1.7e16)
 * come back as their exact decimal text instead of a rounded number. Every other value is what `JSON.parse` gives.
 * Malformed or truncated JSON throws `DataValidationError` (path `$`) carrying the parser's message.
 */
export function parseJsonExact(text: string, context: ErrorContext = {}): unknown {
  const prepared = LONG_DIGITS.test(text) ? text.replace(STRING_OR_LONG_INTEGER, quoteUnsafeInteger) : text;
  try {
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
