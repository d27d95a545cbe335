import {
  type Clock,
  isBlockedError,
  isClosedError,
  isRateLimitError,
  type Logger,
  sleep,
  toMarketDataError,
} from '@marketdata/domain';

export interface PollLoopOptions<T> {
  readonly clock: Clock;
  readonly logger: Logger;
  /** Time from the start of one poll to the start of the next. */
  readonly intervalMs: number;
  /** Ends the loop (caller abort or source close). */
  readonly signal: AbortSignal;
  /**
   * One poll, given the loop's signal (its requests stop when the loop ends); what it returns is yielded in order.
   * Throwing `StopPolling` ends the loop with its cause.
   */
  readonly poll: (signal: AbortSignal) => Promise<readonly T[]>;
}

/** Thrown by a poll when nothing is left to watch: the loop rethrows `cause` (or just ends without one). */
export class StopPolling extends Error {
  constructor(override readonly cause: unknown) {
    super('polling stopped');
  }
}

/**
 * Repeats `poll` every `intervalMs` on the injected clock and yields what it returns. A failed poll is logged and
 * the loop goes on (a bad answer never ends a stream); after a 429 or 418 it first waits out Upbit's pause. The loop
 * ends when the signal aborts or the client is closed. Requests still go through the group pacer, so a short
 * interval can only slow down to the budget, never exceed it.
 */
export async function* pollLoop<T>(options: PollLoopOptions<T>): AsyncGenerator<T, void, undefined> {
  const { clock, logger, intervalMs, signal, poll } = options;
  while (!signal.aborted) {
    const startedAt = clock.monotonic();
    let waitMs = intervalMs;
    let items: readonly T[] = [];
    try {
      items = await poll(signal);
    } catch (error) {
      if (error instanceof StopPolling) {
        if (error.cause === undefined) return;
        throw error.cause;
      }
      if (signal.aborted || isClosedError(error)) return;
      const failure = toMarketDataError(error, { channel: 'rest' });
      if (isBlockedError(failure)) waitMs = Math.max(waitMs, failure.coolDownMs);
      if (isRateLimitError(failure)) waitMs = Math.max(waitMs, failure.retryAfterMs);
      logger.warn('REST poll failed; polling goes on', { error: failure.message, code: failure.code, waitMs });
    }
    for (const item of items) yield item;
    const elapsed = clock.monotonic() - startedAt;
    try {
      await sleep(clock, Math.max(0, waitMs - elapsed), signal);
    } catch {
      return;
    }
  }
}
