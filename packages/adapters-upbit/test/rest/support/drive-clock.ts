import { type Clock, createDeadline, type Deadline, TimeoutError } from '@marketdata/domain';
import type { FakeClock } from '@marketdata/domain/testing';

/**
 * A caller's deadline as the facade would hand it over: one signal that aborts with `TimeoutError` after `ms` on
 * `clock`. Dispose it when the call is done (its timer would otherwise stay pending).
 */
export function callerDeadline(clock: Clock, ms: number): Deadline {
  return createDeadline(clock, ms, () => new TimeoutError(`caller deadline of ${ms} ms`, { timeoutMs: ms }));
}

/** Lets real I/O callbacks (fetch, sockets) run: one turn of the event loop. */
export function ioTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export type Settled<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: unknown };

/**
 * Advances the fake clock in `stepMs` steps, letting I/O run between steps, until `promise` settles (or `maxSteps`
 * is reached, which fails the test). Returns the outcome instead of throwing, so tests can assert on errors.
 */
export async function settleWithClock<T>(
  promise: Promise<T>,
  clock: FakeClock,
  options: { readonly stepMs?: number; readonly maxSteps?: number; readonly ioTurns?: number } = {},
): Promise<Settled<T>> {
  const { stepMs = 10, maxSteps = 10_000, ioTurns = 1 } = options;
  let outcome: Settled<T> | undefined;
  promise.then(
    (value) => {
      outcome = { ok: true, value };
    },
    (error: unknown) => {
      outcome = { ok: false, error };
    },
  );
  for (let step = 0; step < maxSteps; step++) {
    for (let turn = 0; turn < ioTurns; turn++) await ioTurn();
    if (outcome !== undefined) return outcome;
    await clock.advanceAsync(stepMs);
  }
  throw new Error(`promise did not settle within ${maxSteps} steps of ${stepMs} ms`);
}

/** The error of a settled outcome (fails the test when it succeeded). */
export function errorOf<T>(outcome: Settled<T>): unknown {
  if (outcome.ok) throw new Error(`expected a failure, got ${JSON.stringify(outcome.value)}`);
  return outcome.error;
}

export function successOf<T>(outcome: Settled<T>): T {
  if (!outcome.ok) throw outcome.error;
  return outcome.value;
}
