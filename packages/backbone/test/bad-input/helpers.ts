import type { Harness } from '../support/harness.js';

/**
 * What an untyped JavaScript caller can pass where TypeScript would refuse it. The cast is the point of the tests
 * that use it: the facade must answer such input with a typed error, not crash.
 */
export function untyped<T>(value: unknown): T {
  return value as T;
}

/** Runs `call` and returns what it threw or rejected with, or `undefined` when it succeeded. */
export async function failureOf(call: () => unknown): Promise<unknown> {
  try {
    await call();
  } catch (error) {
    return error;
  }
  return undefined;
}

/** Everything the fake sources were asked (calls and subscriptions): zero means nothing reached I/O. */
export function ioCount(harness: Harness): number {
  return harness.rest.calls.length + harness.websocket.calls.length + harness.websocket.subscribeCalls.length;
}
