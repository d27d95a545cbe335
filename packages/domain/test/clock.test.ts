import { describe, expect, it } from 'vitest';
import { sleep } from '../src/index.js';
import { FakeClock } from '../src/testing.js';

describe('FakeClock', () => {
  it('fires timers in due order and moves both clocks', () => {
    const clock = new FakeClock({ now: 1_000_000, monotonic: 5 });
    const fired: string[] = [];
    clock.setTimeout(() => fired.push(`b@${clock.monotonic()}`), 20);
    clock.setTimeout(() => fired.push(`a@${clock.monotonic()}`), 10);
    clock.setTimeout(() => fired.push('late'), 100);
    clock.advance(50);
    expect(fired).toEqual(['a@15', 'b@25']);
    expect(clock.now()).toBe(1_000_050);
    expect(clock.monotonic()).toBe(55);
    expect(clock.pendingTimerCount()).toBe(1);
  });

  it('cancels timers', () => {
    const clock = new FakeClock();
    let fired = false;
    const handle = clock.setTimeout(() => {
      fired = true;
    }, 10);
    clock.clearTimeout(handle);
    clock.advance(20);
    expect(fired).toBe(false);
    expect(clock.pendingTimerCount()).toBe(0);
  });

  it('fires timers scheduled by timers within the same advance', () => {
    const clock = new FakeClock();
    const ticks: number[] = [];
    const tick = (): void => {
      ticks.push(clock.monotonic());
      if (ticks.length < 3) clock.setTimeout(tick, 10);
    };
    clock.setTimeout(tick, 10);
    clock.advance(100);
    expect(ticks).toEqual([10, 20, 30]);
  });

  it('jumps wall time without moving monotonic time or firing timers', () => {
    const clock = new FakeClock({ now: 10_000 });
    let fired = false;
    clock.setTimeout(() => {
      fired = true;
    }, 10);
    clock.jumpWall(-5_000);
    expect(clock.now()).toBe(5_000);
    expect(clock.monotonic()).toBe(0);
    expect(fired).toBe(false);
  });

  it('drives sleep() and lets awaiting code continue', async () => {
    const clock = new FakeClock();
    const order: string[] = [];
    const task = (async () => {
      await sleep(clock, 100);
      order.push('first');
      await sleep(clock, 100);
      order.push('second');
    })();
    await clock.advanceAsync(150);
    expect(order).toEqual(['first']);
    await clock.advanceAsync(100);
    await task;
    expect(order).toEqual(['first', 'second']);
  });

  it('aborts sleep() and clears its timer', async () => {
    const clock = new FakeClock();
    const controller = new AbortController();
    const pending = sleep(clock, 1_000, controller.signal);
    controller.abort(new Error('stop'));
    await expect(pending).rejects.toThrow('stop');
    expect(clock.pendingTimerCount()).toBe(0);
    await expect(sleep(clock, 10, controller.signal)).rejects.toThrow('stop');
  });
});
