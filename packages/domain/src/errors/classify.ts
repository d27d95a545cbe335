import { DataValidationError, NetworkError, TimeoutError } from './error-classes.js';
import { type ErrorContext, isMarketDataError, MarketDataError } from './market-data-error.js';

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'ETIMEDOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_CONNECT_TIMEOUT',
]);

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

/** The first system error code found along the `cause` chain (fetch wraps socket errors in a TypeError). */
function systemCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current !== undefined && current !== null; depth++) {
    const code = field(current, 'code');
    if (typeof code === 'string' && NETWORK_CODES.has(code)) return code;
    current = field(current, 'cause');
  }
  return undefined;
}

function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'string') return error;
  try {
    return JSON.stringify(error) ?? String(error);
  } catch {
    return String(error);
  }
}

/**
 * Classifies anything thrown into the error family. Errors already in the family pass through unchanged; the
 * context only fills what they lack is not rewritten, so the original channel and operation are kept.
 */
export function toMarketDataError(error: unknown, context: ErrorContext = {}): MarketDataError {
  if (isMarketDataError(error)) return error;
  const options = { ...context, cause: error };
  const name = field(error, 'name');
  const message = messageOf(error);

  if (name === 'TimeoutError' || name === 'AbortError') {
    const timeoutMs = field(error, 'timeoutMs');
    return new TimeoutError(`Timed out: ${message}`, {
      ...options,
      timeoutMs: typeof timeoutMs === 'number' ? timeoutMs : 0,
    });
  }
  const code = systemCode(error);
  if (code !== undefined) return new NetworkError(`Network error (${code}): ${message}`, options);
  if (error instanceof TypeError && /fetch failed|network|socket/i.test(message)) {
    return new NetworkError(`Network error: ${message}`, options);
  }
  if (error instanceof SyntaxError) {
    return new DataValidationError(`Malformed JSON: ${message}`, { ...options, path: '$' });
  }
  // Schema libraries (valibot's ValiError and the like) carry an `issues` list with paths.
  const issues = field(error, 'issues');
  if (Array.isArray(issues) && issues.length > 0) {
    const first: unknown = issues[0];
    const rawPath = field(first, 'path');
    const path = Array.isArray(rawPath)
      ? rawPath.map((item) => String(field(item, 'key') ?? item)).join('.') || '$'
      : '$';
    return new DataValidationError(`Invalid data at ${path}: ${messageOf(field(first, 'message'))}`, {
      ...options,
      path,
      value: field(first, 'input'),
    });
  }
  return new MarketDataError(`Unexpected error: ${message}`, options);
}
