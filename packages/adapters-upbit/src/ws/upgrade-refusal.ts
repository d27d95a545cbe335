import {
  BlockedError,
  type MarketDataError,
  NetworkError,
  RateLimitError,
  type RefusalKind,
  TimeoutError,
  toMarketDataError,
  UpstreamError,
} from '@marketdata/domain';

/** Node timers take at most 2^31 - 1 ms; a longer delay fires after 1 ms with a TimeoutOverflowWarning. */
export const MAX_TIMER_MS = 2_147_483_647;

/** The least a 429 or 418 holds every connect to the host: Upbit counts connects per second. */
const MIN_HOLD_MS = 1_000;

export interface RefusalPolicy {
  /** First hold after a 418 when the answer names none; doubles per 418 in a row. */
  readonly blockCoolDownMs: number;
  /** No hold (a Retry-After included) is ever longer. At most `MAX_TIMER_MS`. */
  readonly maxBlockCoolDownMs: number;
}

/** Why a connect attempt failed, and for how long it holds every connect to the host (429/418 only). */
export interface ConnectRefusal {
  readonly kind: RefusalKind;
  readonly error: MarketDataError;
  readonly holdMs: number | undefined;
}

const context = { channel: 'websocket', operation: 'connect' } as const;

/**
 * A `Retry-After` value (delta-seconds or an HTTP-date, RFC 9110) in ms, never above `capMs`; undefined when absent
 * or unreadable. Absurd values (`3000000`, 400 digits) come out as the cap, never as an overflowing timer.
 */
export function retryAfterMs(value: string | undefined, nowWall: number, capMs: number): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) {
    const seconds = text.length > 15 ? Number.POSITIVE_INFINITY : Number(text);
    return Math.min(capMs, seconds * 1_000);
  }
  // Only an HTTP-date (`Wed, 21 Oct 2015 07:28:00 GMT`) is read as a date: Date.parse takes '-5' for a year.
  const date = /[A-Za-z]/.test(text) ? Date.parse(text) : Number.NaN;
  if (Number.isNaN(date)) return undefined;
  return Math.min(capMs, Math.max(0, date - nowWall));
}

const clamp = (value: number, low: number, high: number): number => Math.min(high, Math.max(low, value));

/**
 * A non-101 answer to the upgrade. What Upbit answers an over-limit connect with is not on record: we assume it
 * answers like REST (429, then 418 with a growing block) and read a `Retry-After` if there is one.
 * `repeats` counts this kind of answer in a row from the host (this one included): the hold escalates with it.
 */
export function upgradeRefusal(
  status: number,
  retryAfter: string | undefined,
  repeats: number,
  policy: RefusalPolicy,
  nowWall: number,
): ConnectRefusal {
  const cap = Math.min(policy.maxBlockCoolDownMs, MAX_TIMER_MS);
  const told = retryAfterMs(retryAfter, nowWall, cap);
  const escalation = 2 ** Math.min(Math.max(0, repeats - 1), 30);
  if (status === 429) {
    const rateCap = Math.max(MIN_HOLD_MS, Math.min(policy.blockCoolDownMs, cap));
    const holdMs = clamp(told ?? MIN_HOLD_MS * escalation, MIN_HOLD_MS, rateCap);
    const error = new RateLimitError('Upbit refused the WebSocket connect with 429 (too many connects)', {
      ...context,
      retryAfterMs: holdMs,
      group: 'websocket',
    });
    return { kind: 'rate-limited', error, holdMs };
  }
  if (status === 418) {
    const holdMs = clamp(told ?? policy.blockCoolDownMs * escalation, MIN_HOLD_MS, Math.max(MIN_HOLD_MS, cap));
    const error = new BlockedError('Upbit refused the WebSocket connect with 418 (IP blocked)', {
      ...context,
      coolDownMs: holdMs,
      group: 'websocket',
    });
    return { kind: 'blocked', error, holdMs };
  }
  const error = new UpstreamError(`Upbit answered the WebSocket upgrade with HTTP ${status}`, {
    ...context,
    status,
    retryable: true,
  });
  return { kind: 'upgrade-rejected', error, holdMs: undefined };
}

/** The socket failed before it opened: refused, reset, DNS, TLS. */
export function unreachable(cause: unknown, reason: string): ConnectRefusal {
  const classified = toMarketDataError(cause, context);
  const error =
    classified.code === 'NETWORK'
      ? classified
      : new NetworkError(`WebSocket connect failed: ${reason}`, { ...context, cause });
  return { kind: 'unreachable', error, holdMs: undefined };
}

/** The upgrade was never answered within the connect timeout. */
export function connectTimedOut(timeoutMs: number): ConnectRefusal {
  const error = new TimeoutError(`WebSocket connect timed out after ${timeoutMs} ms`, { ...context, timeoutMs });
  return { kind: 'unreachable', error, holdMs: undefined };
}
