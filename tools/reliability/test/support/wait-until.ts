import { setTimeout as sleep } from 'node:timers/promises';

/** Polls `condition` every `pollMs` until it holds (true) or `timeoutMs` passes (false). Never waits unbounded. */
export async function waitUntil(condition: () => boolean, timeoutMs: number, pollMs = 10): Promise<boolean> {
  const deadline = AbortSignal.timeout(timeoutMs);
  while (!condition()) {
    if (deadline.aborted) return false;
    await sleep(pollMs);
  }
  return true;
}
