import { onAbort } from './abort-fanout.js';

/**
 * `work`, unless `signal` aborts first: then rejects at once with the signal's reason and calls `leave`, so work
 * shared with other callers can stop once nobody waits for it. One listener per signal however many calls wait on
 * it (`onAbort`). Without a signal, `work` itself.
 */
export function untilAborted<T>(work: Promise<T>, signal: AbortSignal | undefined, leave?: () => void): Promise<T> {
  if (signal === undefined) return work;
  if (signal.aborted) {
    work.catch(() => undefined);
    leave?.();
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const stopListening = onAbort(signal, (reason) => {
      leave?.();
      reject(reason);
    });
    work.then(
      (value) => {
        stopListening();
        resolve(value);
      },
      (error: unknown) => {
        stopListening();
        reject(error);
      },
    );
  });
}
