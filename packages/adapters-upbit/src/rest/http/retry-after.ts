import { clampMs } from './timer-delay.js';

const DELAY_SECONDS = /^\d+(?:\.\d+)?$/;

/**
 * `Retry-After` (RFC 9110: whole seconds, or an HTTP date) in ms, clamped to [0, `maxMs`]; undefined when absent or
 * unreadable. Upbit is not known to send it on 429 (its 418 reportedly carries the block time in an unpublished
 * form), so whatever comes is distrusted: any number of digits (a 400-digit value is Infinity, clamped), fractions
 * tolerated, a negative or non-numeric value ignored, a date in the past is 0. The result always fits a timer.
 */
export function parseRetryAfterMs(header: string | null | undefined, nowMs: number, maxMs: number): number | undefined {
  if (header === null || header === undefined) return undefined;
  const text = header.trim();
  if (DELAY_SECONDS.test(text)) return clampMs(Number(text) * 1000, maxMs);
  // An HTTP date has a weekday or month name; this keeps `Date.parse` from reading `-5` or `2026` as a year.
  if (!/[A-Za-z]/.test(text)) return undefined;
  const at = Date.parse(text);
  return Number.isFinite(at) ? clampMs(at - nowMs, maxMs) : undefined;
}
