/**
 * The REST budget of one host (Upbit counts per IP and group). Every client in the process that talks to the same
 * origin shares one budget, so these settings belong to the host: clients sharing it must agree on them.
 */
export interface RestRateLimitOptions {
  /** Requests allowed per group per window. Upbit documents 10 per second per IP per group. */
  readonly requestsPerWindow: number;
  readonly windowMs: number;
  /**
   * Added to the window (the effective window is `windowMs + safetyMarginMs`). A slot already stays taken until a
   * window after its request's answer, which covers any delay between send and arrival at Upbit; this margin only
   * covers what that cannot: a request cut off by a timeout that still reaches Upbit after we gave up, and clocks
   * that do not tick at exactly the same rate.
   */
  readonly safetyMarginMs: number;
  /** Callers waiting for budget, per group; one more gets `QueueFullError` at once. */
  readonly maxQueue: number;
  /**
   * The longest a 429 may pause a group, whatever Upbit's `Retry-After` says or however many 429s came in a row.
   * Upbit is not known to send `Retry-After` on a 429; if it ever does, it is honoured up to this.
   */
  readonly maxRateLimitPauseMs: number;
  /**
   * A caller waits out a 429 pause of its group only while the pause is no longer than this; a longer pause (Upbit
   * kept answering 429, or a large `Retry-After`) fails it at once with `RateLimitError` (`retryAfterMs` says when to
   * come back), so that it can use another channel or a cached value instead of sitting out its whole deadline.
   */
  readonly maxPauseWaitMs: number;
  /**
   * First cool-down after a 418, doubled on each repeat up to `maxBlockCoolDownMs`, which also bounds a 418's
   * `Retry-After`. Upbit's real block duration is unknown (no 418 has been published), so these are our guesses.
   */
  readonly blockCoolDownMs: number;
  readonly maxBlockCoolDownMs: number;
}

/** The REST adapter's default pacing: within Upbit's published quotation limits, with a safety margin. */
export const DEFAULT_REST_RATE_LIMIT: RestRateLimitOptions = {
  requestsPerWindow: 10,
  windowMs: 1000,
  safetyMarginMs: 50,
  maxQueue: 500,
  maxRateLimitPauseMs: 60_000,
  maxPauseWaitMs: 6_000,
  blockCoolDownMs: 60_000,
  maxBlockCoolDownMs: 3_600_000,
};
