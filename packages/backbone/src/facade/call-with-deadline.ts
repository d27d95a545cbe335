import { type Clock, TimeoutError } from '@marketdata/domain';
import { onAbort } from './abort-fanout.js';

export interface DeadlineOptions {
  readonly clock: Clock;
  readonly timeoutMs: number;
  /** Abort sources besides the timeout (the facade's lifetime, the caller's signal). */
  readonly signals: readonly (AbortSignal | undefined)[];
  readonly channel: 'rest' | 'websocket';
  readonly operation: string;
}

/**
 * Runs `operation` with a deadline on the injected clock. The operation gets a signal that aborts on timeout or
 * when any of the given signals aborts; the returned promise rejects at once in either case (a source that ignores
 * its signal cannot hold the caller). The timer and listeners are always removed, so nothing dangles. Listening goes
 * through one shared listener per signal, so any number of calls may wait on the same signal.
 */
export function callWithDeadline<T>(
  options: DeadlineOptions,
  operation: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  return new Promise<T>((resolve, reject) => {
    const cleanups: (() => void)[] = [];
    let settled = false;
    const finish = (settle: () => void): void => {
      if (settled) return;
      settled = true;
      for (const cleanup of cleanups) cleanup();
      settle();
    };
    const abort = (reason: unknown): void => {
      finish(() => reject(reason));
      controller.abort(reason);
    };
    for (const signal of options.signals) {
      if (signal === undefined) continue;
      if (signal.aborted) {
        abort(signal.reason);
        return;
      }
      cleanups.push(onAbort(signal, abort));
    }
    const timer = options.clock.setTimeout(() => {
      abort(
        new TimeoutError(`${options.channel} ${options.operation} took longer than ${options.timeoutMs} ms`, {
          channel: options.channel,
          operation: options.operation,
          timeoutMs: options.timeoutMs,
        }),
      );
    }, options.timeoutMs);
    cleanups.push(() => options.clock.clearTimeout(timer));
    let pending: Promise<T>;
    try {
      pending = operation(controller.signal);
    } catch (error) {
      finish(() => reject(error));
      return;
    }
    pending.then(
      (value) => finish(() => resolve(value)),
      (error: unknown) => finish(() => reject(error)),
    );
  });
}
