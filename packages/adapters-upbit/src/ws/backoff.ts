import type { Random } from '@marketdata/domain';

export interface WsBackoffOptions {
  /** Cap of the first retry; doubles per failed attempt. */
  readonly baseMs: number;
  /** Largest cap. */
  readonly maxMs: number;
  /** Floor of every delay, so full jitter never produces a 0 ms reconnect loop. */
  readonly minMs: number;
}

// minMs 200: even a server that accepts and drops at once sees at most 5 connects per second, Upbit's documented
// WebSocket connect limit. maxMs 1 000: after an outage the stream is back within about a second of Upbit being
// reachable again (a 30 s cap would leave a market-data consumer blind for up to 30 s), at a cost of one connect
// attempt per second while it is down.
export const DEFAULT_WS_BACKOFF: WsBackoffOptions = { baseMs: 250, maxMs: 1_000, minMs: 200 };

/**
 * Exponential backoff with full jitter (AWS architecture blog): a uniform draw in [0, min(max, base * 2^attempt)),
 * raised to `minMs`. `attempt` counts consecutive failures, starting at 0.
 */
export function backoffDelay(attempt: number, options: WsBackoffOptions, random: Random): number {
  const exponent = Math.min(Math.max(0, attempt), 30);
  const cap = Math.min(options.maxMs, options.baseMs * 2 ** exponent);
  return Math.max(options.minMs, Math.floor(random.next() * cap));
}
