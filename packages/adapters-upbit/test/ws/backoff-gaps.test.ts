import { createSeededRandom, parseMarketCode, type Random } from '@marketdata/domain';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backoffDelay, DEFAULT_WEBSOCKET_BACKOFF as DEFAULT_WS_BACKOFF } from '../../src/ws/backoff.js';
import { GapLog } from '../../src/ws/gap-log.js';

const fixed = (value: number): Random => ({ next: () => value });
const BTC = parseMarketCode('KRW-BTC');

describe('backoffDelay', () => {
  it('is full jitter under an exponential cap, bounded, never below the floor', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 100 }),
        fc.double({ min: 0, max: 0.999999, noNaN: true }),
        (attempt, draw) => {
          const delay = backoffDelay(attempt, DEFAULT_WS_BACKOFF, fixed(draw));
          const cap = Math.min(DEFAULT_WS_BACKOFF.maxMs, DEFAULT_WS_BACKOFF.baseMs * 2 ** attempt);
          expect(delay).toBeGreaterThanOrEqual(DEFAULT_WS_BACKOFF.minMs);
          expect(delay).toBeLessThanOrEqual(Math.max(cap, DEFAULT_WS_BACKOFF.minMs));
        },
      ),
    );
  });

  it('never returns 0 even when the random draw is 0', () => {
    expect(backoffDelay(0, DEFAULT_WS_BACKOFF, fixed(0))).toBe(DEFAULT_WS_BACKOFF.minMs);
  });

  it('grows with attempts (upper end of the draw)', () => {
    const options = { baseMs: 500, maxMs: 30_000, minMs: 200, resetAfterMs: 5_000 };
    const delays = [0, 1, 2, 3, 10].map((attempt) => backoffDelay(attempt, options, fixed(0.999)));
    expect(delays).toEqual([499, 999, 1998, 3996, 29970]);
  });

  it('by default stays under half a second, so a stream is back within half a second of Upbit', () => {
    const delays = [0, 1, 2, 3, 10, 30].map((attempt) => backoffDelay(attempt, DEFAULT_WS_BACKOFF, fixed(0.999)));
    expect(delays).toEqual([249, 499, 499, 499, 499, 499]);
  });

  it('spreads out with a seeded random', () => {
    const random = createSeededRandom(3);
    const options = { ...DEFAULT_WS_BACKOFF, maxMs: 1_000 };
    const delays = new Set(Array.from({ length: 20 }, () => backoffDelay(5, options, random)));
    expect(delays.size).toBeGreaterThan(15);
  });
});

describe('GapLog', () => {
  it('one open gap at a time, closed with its end on both clocks, bounded', () => {
    const log = new GapLog(2);
    expect(log.open({ wall: 10, monotonic: 1 }, 'drop', [BTC])).toBeDefined();
    expect(log.open({ wall: 11, monotonic: 2 }, 'again', [BTC])).toBeUndefined();
    expect(log.close({ wall: 20, monotonic: 11 })).toEqual({
      startedAt: 10,
      endedAt: 20,
      startedAtMonotonic: 1,
      endedAtMonotonic: 11,
      reason: 'drop',
      symbols: [BTC],
    });
    log.open({ wall: 30, monotonic: 21 }, 'b', []);
    log.close({ wall: 31, monotonic: 22 });
    log.open({ wall: 40, monotonic: 31 }, 'c', []);
    expect(log.list().map((gap) => gap.reason)).toEqual(['b', 'c']);
    expect(log.count).toBe(3);
    expect(log.isOpen).toBe(true);
  });
});
