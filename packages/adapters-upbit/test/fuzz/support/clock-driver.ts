import type { FakeClock } from '@marketdata/domain/testing';
import { ioTurn } from '../../support/process-failures.js';

export type Settled<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: unknown };

/**
 * Settles promises whose progress needs fake time (pacing, retry backoff, timeouts on the injected clock): lets I/O
 * run, then advances the clock a step, until every promise has settled. Fails after `maxSteps` (a hang).
 */
export async function settleWithClock<T>(
  promises: readonly Promise<T>[],
  clock: FakeClock,
  stepMs = 50,
  maxSteps = 20_000,
): Promise<readonly Settled<T>[]> {
  const outcomes: (Settled<T> | undefined)[] = promises.map(() => undefined);
  promises.forEach((promise, index) => {
    promise.then(
      (value) => {
        outcomes[index] = { ok: true, value };
      },
      (error: unknown) => {
        outcomes[index] = { ok: false, error };
      },
    );
  });
  for (let step = 0; step < maxSteps; step++) {
    await ioTurn();
    if (outcomes.every((outcome) => outcome !== undefined)) return outcomes as Settled<T>[];
    await clock.advanceAsync(stepMs);
  }
  throw new Error(`requests did not settle within ${maxSteps} steps of ${stepMs} ms of fake time`);
}
