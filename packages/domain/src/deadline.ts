import { onAbort } from './abort-fanout.js';
import type { Clock, TimerHandle } from './ports/clock.js';

/** A signal that aborts at a deadline on the injected clock, or when any parent signal aborts. */
export interface Deadline {
  readonly signal: AbortSignal;
  /** Clears the timer and the parent listeners. Call it when the work is done, whatever the outcome. */
  dispose(): void;
}

/**
 * One deadline as one `AbortSignal`: aborts with `timeoutReason()` after `timeoutMs` on `clock`, or with a
 * parent's reason as soon as one aborts. No timer when `timeoutMs` is undefined.
 */
export function createDeadline(
  clock: Clock,
  timeoutMs: number | undefined,
  timeoutReason: () => unknown,
  parents: readonly (AbortSignal | undefined)[] = [],
): Deadline {
  const controller = new AbortController();
  const cleanups: (() => void)[] = [];
  let timer: TimerHandle | undefined;
  const dispose = (): void => {
    clock.clearTimeout(timer);
    timer = undefined;
    for (const cleanup of cleanups.splice(0)) cleanup();
  };
  const abort = (reason: unknown): void => {
    dispose();
    controller.abort(reason);
  };
  for (const parent of parents) {
    if (parent === undefined) continue;
    if (parent.aborted) {
      abort(parent.reason);
      return { signal: controller.signal, dispose };
    }
    cleanups.push(onAbort(parent, abort));
  }
  if (timeoutMs !== undefined) timer = clock.setTimeout(() => abort(timeoutReason()), timeoutMs);
  return { signal: controller.signal, dispose };
}
