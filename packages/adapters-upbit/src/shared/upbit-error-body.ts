/**
 * Upbit's error body: `{"error":{"name":404,"message":"Code not found"}}`. `name` is a number for quotation errors
 * and a string elsewhere (`"not_found"`, `"invalid_access_key"`, WebSocket `"INVALID_PARAM"`); key order varies.
 */
export interface UpbitErrorBody {
  readonly name: string | number | undefined;
  readonly message: string | undefined;
}

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)[key]
    : undefined;
}

/** Reads Upbit's `error` object from a parsed body; undefined when the body is not one. */
export function readUpbitErrorBody(parsed: unknown): UpbitErrorBody | undefined {
  const error = field(parsed, 'error');
  if (typeof error !== 'object' || error === null) return undefined;
  const name = field(error, 'name');
  const message = field(error, 'message');
  return {
    name: typeof name === 'string' || typeof name === 'number' ? name : undefined,
    message: typeof message === 'string' ? message : undefined,
  };
}

/** Parses an error response body's text; undefined when it is not JSON or not Upbit's error shape. */
export function parseUpbitErrorBody(text: string): UpbitErrorBody | undefined {
  const trimmed = text.trim();
  if (!trimmed.startsWith('{')) return undefined;
  try {
    return readUpbitErrorBody(JSON.parse(trimmed));
  } catch {
    return undefined;
  }
}
