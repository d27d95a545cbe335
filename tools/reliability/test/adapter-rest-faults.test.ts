import { createUpbitRestSource, type FetchFunction } from '@marketdata/adapters-upbit';
import { isNetworkError, isTimeoutError, parseMarketCode } from '@marketdata/domain';
import { afterEach, describe, expect, it } from 'vitest';
import { containerGate, useSimContainers } from './support/container-gate.js';
import { trackUnhandledRejections } from './support/unhandled-rejections.js';
import { wallNow } from './support/wall-clock.js';

// The REST source against the simulator in a container: a stalled server (pause) must cost a typed TimeoutError
// per attempt after attemptTimeoutMs, a dead one (stop) a typed NetworkError after the bounded retries, and the
// source must answer again as soon as the server is back (unpause, start). Real clock, short timeouts. No caller
// signal here: the attempts and retries alone bound each call.

const gate = await containerGate();

const SYMBOL = parseMarketCode('KRW-BTC');
const ATTEMPT_TIMEOUT_MS = 500;
const MAX_RETRIES = 2;
const REST_BACKOFF = { baseDelayMs: 50, maxDelayMs: 200 };
const ATTEMPTS = MAX_RETRIES + 1;
// Timer lateness and scheduling on a loaded 2-core machine; the bounds below are the adapter's own plus this.
const SLACK_MS = 300;
// Tolerance for comparing the adapter's timer with wall readings (a timer may fire a millisecond or two early).
const TIMER_SLACK_MS = 5;
// A refused connection fails at once; well under the timeout means it was not a hang.
const REFUSED_WITHIN_MS = 100;
// The adapter's worst case for a whole call: every attempt, plus the largest backoff before each retry.
const WORST_BACKOFF_MS = MAX_RETRIES * REST_BACKOFF.maxDelayMs;

interface FetchCall {
  readonly startedAt: number;
  settledAt: number | undefined;
}

/** `fetch` as the adapter would use it, timing each HTTP attempt (when it started, when fetch settled). */
function timedFetch(calls: FetchCall[]): FetchFunction {
  return async (input, init) => {
    const call: FetchCall = { startedAt: wallNow(), settledAt: undefined };
    calls.push(call);
    try {
      return await globalThis.fetch(input, init);
    } finally {
      call.settledAt = wallNow();
    }
  };
}

function durations(calls: readonly FetchCall[]): readonly number[] {
  return calls.map((call) => (call.settledAt ?? Number.NaN) - call.startedAt);
}

describe.skipIf(gate.skip)('REST source against the simulator container under faults', () => {
  const startSim = useSimContainers(gate);
  const cleanups: (() => Promise<void> | void)[] = [];

  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it('pause: TimeoutError per attempt; stop: NetworkError after bounded retries; unpause and start: answers again', async () => {
    const rejections = trackUnhandledRejections();
    cleanups.push(() => rejections.stop());
    const sim = await startSim({ extraArgs: ['--markets', SYMBOL], pinHostPorts: true });
    const calls: FetchCall[] = [];
    const source = createUpbitRestSource({
      url: sim.restUrl,
      attemptTimeoutMs: ATTEMPT_TIMEOUT_MS,
      maxRetries: MAX_RETRIES,
      backoff: REST_BACKOFF,
      fetch: timedFetch(calls),
    });
    cleanups.push(() => source.close());
    expect((await source.getTicker(SYMBOL)).symbol).toBe(SYMBOL);

    // Stall: every attempt hangs until attemptTimeoutMs, then the next one after a backoff; the last error is typed.
    await sim.pause();
    let before = calls.length;
    let calledAt = wallNow();
    const stalled = await source.getTicker(SYMBOL).then(
      () => undefined,
      (error: unknown) => error,
    );
    const stalledMs = wallNow() - calledAt;
    const stalledAttempts = durations(calls.slice(before));
    console.log(`[reliability] REST pause: ${String(stalled)} after ${stalledMs} ms, attempts ${stalledAttempts} ms`);
    expect(isTimeoutError(stalled), String(stalled)).toBe(true);
    if (!isTimeoutError(stalled)) return;
    expect(stalled.timeoutMs).toBe(ATTEMPT_TIMEOUT_MS);
    expect(stalledAttempts).toHaveLength(ATTEMPTS);
    for (const ms of stalledAttempts) {
      expect(ms).toBeGreaterThanOrEqual(ATTEMPT_TIMEOUT_MS - TIMER_SLACK_MS);
      expect(ms).toBeLessThanOrEqual(ATTEMPT_TIMEOUT_MS + SLACK_MS);
    }
    expect(stalledMs).toBeLessThanOrEqual(ATTEMPTS * ATTEMPT_TIMEOUT_MS + WORST_BACKOFF_MS + SLACK_MS);

    await sim.unpause();
    expect((await source.getTicker(SYMBOL)).symbol, 'answers again after unpause').toBe(SYMBOL);

    // Death: every attempt is refused at once; after the bounded retries the error is a typed NetworkError.
    await sim.stop();
    before = calls.length;
    calledAt = wallNow();
    const refused = await source.getTicker(SYMBOL).then(
      () => undefined,
      (error: unknown) => error,
    );
    const refusedMs = wallNow() - calledAt;
    const refusedAttempts = durations(calls.slice(before));
    console.log(`[reliability] REST stop: ${String(refused)} after ${refusedMs} ms, attempts ${refusedAttempts} ms`);
    expect(isNetworkError(refused), String(refused)).toBe(true);
    expect(refusedAttempts).toHaveLength(ATTEMPTS);
    for (const ms of refusedAttempts) expect(ms).toBeLessThanOrEqual(REFUSED_WITHIN_MS);
    expect(refusedMs).toBeLessThanOrEqual(WORST_BACKOFF_MS + ATTEMPTS * REFUSED_WITHIN_MS + SLACK_MS);

    await sim.start();
    const startedAt = wallNow();
    const back = await source.getTicker(SYMBOL);
    expect(back.symbol, 'answers again after start').toBe(SYMBOL);
    // A fresh answer from the restarted server, not something kept from before.
    expect(back.receivedAt).toBeGreaterThanOrEqual(startedAt);
    expect(rejections.reasons).toEqual([]);
  });
});
