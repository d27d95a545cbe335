import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { onAbort } from '../src/abort-fanout.js';
import { createDeadline } from '../src/deadline.js';
import { FakeClock } from '../src/testing.js';

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

  it('lets 100 deadlines wait on one signal with one listener, none left once disposed', () => {
    const clock = new FakeClock();
    const shared = new AbortController();
    const deadlines = Array.from({ length: 100 }, () =>
      createDeadline(clock, 1_000, () => new Error('late'), [shared.signal]),
    );
    expect(getEventListeners(shared.signal, 'abort')).toHaveLength(1);
    for (const deadline of deadlines) deadline.dispose();
    expect(getEventListeners(shared.signal, 'abort')).toHaveLength(0);
    expect(clock.pendingTimerCount()).toBe(0);
  });

  it('aborts with the timeout reason at the deadline, or at once with an aborted parent', () => {
    const clock = new FakeClock();
    const late = new Error('late');
    const deadline = createDeadline(clock, 1_000, () => late);
    clock.advance(999);
    expect(deadline.signal.aborted).toBe(false);
    clock.advance(1);
    expect(deadline.signal.reason).toBe(late);
    const parent = new AbortController();
    parent.abort('gone');
    expect(createDeadline(clock, 1_000, () => late, [parent.signal]).signal.reason).toBe('gone');
    expect(clock.pendingTimerCount()).toBe(0);
  });
});
