import type { Random } from '@marketdata/domain';

/** Reconnect backoff of the WebSocket source (full jitter with a floor). */
export interface WebSocketBackoffOptions {
  /** Cap of the first retry; doubles per failed attempt. */
  readonly baseMs: number;
  /** Largest cap. */
  readonly maxMs: number;
  /** Floor of every delay, so full jitter never produces a 0 ms reconnect loop. */
  readonly minMs: number;
  /**
   * The failure count (and with it the delay) starts over only once a socket has carried data for this long.
   * Releasing, re-subscribing or a socket that dies right after its first frame never reset it.
   */
  readonly resetAfterMs: number;
}

// minMs 200: even a server that accepts and drops at once sees at most 5 connects per second from one source (and the
// process-wide governor keeps every source together at 5). maxMs 500: after an outage the stream is back within half
// a second of Upbit being reachable again (a 30 s cap would leave a market-data consumer blind for up to 30 s), at a
// cost of two to five connect attempts a second while it is down (429/418 answers hold every attempt far longer).
// resetAfterMs 5 000: a socket that lives that long with data is a working connection, not a flapping one.
export const DEFAULT_WEBSOCKET_BACKOFF: WebSocketBackoffOptions = {
  baseMs: 250,
  maxMs: 500,
  minMs: 200,
  resetAfterMs: 5_000,
};

/**
 * Exponential backoff with full jitter (AWS architecture blog): a uniform draw in [0, min(max, base * 2^attempt)),
 * raised to `minMs`. `attempt` counts consecutive failures, starting at 0.
 */
export function backoffDelay(attempt: number, options: WebSocketBackoffOptions, random: Random): number {
  const exponent = Math.min(Math.max(0, attempt), 30);
  const cap = Math.min(options.maxMs, options.baseMs * 2 ** exponent);
  return Math.max(options.minMs, Math.floor(random.next() * cap));
}
