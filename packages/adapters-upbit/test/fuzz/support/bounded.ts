import vm from 'node:vm';

/**
 * Runs synchronous work with a hard limit: V8 interrupts it (a runaway regular expression included) once
 * `timeoutMs` has passed. Used for the 10 MB payloads, where a super-linear decoder would otherwise hang the whole
 * test run instead of failing one test. The limit is a hang detector with a wide margin, not a speed assertion.
 */
const context = vm.createContext({ work: undefined as (() => unknown) | undefined });

export class DidNotFinishError extends Error {
  constructor(timeoutMs: number) {
    super(`did not finish within ${timeoutMs} ms (interrupted; a linear decoder needs well under a second)`);
    this.name = 'DidNotFinishError';
  }
}

export function runBounded<T>(work: () => T, timeoutMs: number): T {
  context.work = work;
  try {
    return vm.runInContext('work()', context, { timeout: timeoutMs }) as T;
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') throw new DidNotFinishError(timeoutMs);
    throw error;
  } finally {
    context.work = undefined;
  }
}
