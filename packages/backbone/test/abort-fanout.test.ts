import { getEventListeners } from 'node:events';
import { FakeClock } from '@marketdata/domain/testing';
import { describe, expect, it } from 'vitest';
import { onAbort } from '../src/facade/abort-fanout.js';
import { callWithDeadline } from '../src/facade/call-with-deadline.js';

describe('one abort listener per signal', () => {
  it('fans one listener out to every waiting call, and calls each once with the reason', () => {
    const controller = new AbortController();
    const reasons: unknown[] = [];
    for (let i = 0; i < 50; i++) onAbort(controller.signal, (reason) => reasons.push(reason));
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
    controller.abort('closed');
    expect(reasons).toEqual(Array.from({ length: 50 }, () => 'closed'));
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('removes the signal listener with the last callback, and stopping twice is harmless', () => {
    const controller = new AbortController();
    const called: number[] = [];
    const stops = [0, 1, 2].map((index) => onAbort(controller.signal, () => called.push(index)));
    stops[0]?.();
    stops[0]?.();
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
    stops[1]?.();
    stops[2]?.();
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    // A new registration after that works again.
    onAbort(controller.signal, () => called.push(3));
    controller.abort();
    expect(called).toEqual([3]);
  });

  it('lets 100 deadline calls wait on one signal with one listener, none left once they settle', async () => {
    const clock = new FakeClock();
    const shared = new AbortController();
    const resolvers: (() => void)[] = [];
    const calls = Array.from({ length: 100 }, () =>
      callWithDeadline(
        { clock, timeoutMs: 1_000, signals: [shared.signal], channel: 'websocket', operation: 'getTicker' },
        () => new Promise<void>((resolve) => resolvers.push(resolve)),
      ),
    );
    expect(getEventListeners(shared.signal, 'abort')).toHaveLength(1);
    for (const resolve of resolvers) resolve();
    await Promise.all(calls);
    expect(getEventListeners(shared.signal, 'abort')).toHaveLength(0);
    expect(clock.pendingTimerCount()).toBe(0);
  });
});
