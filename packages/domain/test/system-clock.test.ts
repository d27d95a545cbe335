import { describe, expect, it } from 'vitest';
import { createSystemClock, systemRandom } from '../src/index.js';

describe('systemClock', () => {
  it('runs timers in order and cancels cleared ones', async () => {
    const clock = createSystemClock();
    const fired: string[] = [];
    await new Promise<void>((resolve) => {
      clock.setTimeout(() => fired.push('b'), 20);
      clock.setTimeout(() => fired.push('a'), 1);
      const cancelled = clock.setTimeout(() => fired.push('never'), 5);
      clock.clearTimeout(cancelled);
      clock.clearTimeout(undefined);
      clock.setTimeout(resolve, 40);
    });
    expect(fired).toEqual(['a', 'b']);
  });

  it('gives wall time in epoch ms and a monotonic time that does not go backwards', () => {
    const clock = createSystemClock();
    expect(Math.abs(clock.now() - Date.now())).toBeLessThan(1_000);
    let last = clock.monotonic();
    for (let i = 0; i < 1_000; i++) {
      const next = clock.monotonic();
      expect(next).toBeGreaterThanOrEqual(last);
      last = next;
    }
  });
});

describe('systemRandom', () => {
  it('returns floats in [0, 1)', () => {
    for (let i = 0; i < 1_000; i++) {
      const value = systemRandom.next();
      expect(value).toBeGreaterThanOrEqual(0);
      expect(value).toBeLessThan(1);
    }
  });
});
