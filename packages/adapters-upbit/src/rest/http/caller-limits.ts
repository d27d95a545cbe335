import { type Clock, TimeoutError } from '@marketdata/domain';

export interface CallerLimits {
  readonly signal?: AbortSignal | undefined;
  /** Whole-call deadline (queueing, retries and backoff included). */
  readonly timeoutMs?: number | undefined;
  readonly operation: string;
}

/**
 * Waits for `work` but gives up on the caller's abort (rejecting with the signal's reason) or deadline
 * (`TimeoutError`). `leave` is called when the caller gives up, so shared work can be cancelled.
 */
export function awaitWithLimits<T>(
  work: Promise<T>,
  limits: CallerLimits,
  clock: Clock,
  leave: () => void,
): Promise<T> {
  const { signal, timeoutMs } = limits;
  if (signal === undefined && timeoutMs === undefined) return work;
  return new Promise<T>((resolve, reject) => {
    let done = false;
    const finish = (): boolean => {
      if (done) return false;
      done = true;
      clock.clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      return true;
    };
    const giveUp = (reason: unknown): void => {
      if (!finish()) return;
      leave();
      reject(reason);
    };
    const onAbort = (): void => giveUp(signal?.reason);
    const timer =
      timeoutMs === undefined
        ? undefined
        : clock.setTimeout(
            () =>
              giveUp(
                new TimeoutError(`${limits.operation} did not complete within ${timeoutMs} ms`, {
                  channel: 'rest',
                  operation: limits.operation,
                  timeoutMs,
                }),
              ),
            timeoutMs,
          );
    if (signal?.aborted) {
      onAbort();
      return;
    }
    signal?.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        if (finish()) resolve(value);
      },
      (error: unknown) => {
        if (finish()) reject(error);
      },
    );
  });
}
