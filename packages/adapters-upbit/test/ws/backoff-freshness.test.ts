import { createSeededRandom, parseMarketCode, type Random } from '@marketdata/domain';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../../src/ws/backoff.js';
import { FreshnessTracker } from '../../src/ws/freshness-tracker.js';
import { GapLog } from '../../src/ws/gap-log.js';
import { DEFAULT_WS_BACKOFF, DEFAULT_WS_FRESHNESS } from '../../src/ws/index.js';

const fixed = (value: number): Random => ({ next: () => value });
const BTC = parseMarketCode('KRW-BTC');
const QUIET = parseMarketCode('KRW-QUIET');

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
    const options = { baseMs: 500, maxMs: 30_000, minMs: 200 };
    const delays = [0, 1, 2, 3, 10].map((attempt) => backoffDelay(attempt, options, fixed(0.999)));
    expect(delays).toEqual([499, 999, 1998, 3996, 29970]);
  });

  it('by default stays under a second, so a stream is back soon after Upbit is', () => {
    const delays = [0, 1, 2, 3, 10, 30].map((attempt) => backoffDelay(attempt, DEFAULT_WS_BACKOFF, fixed(0.999)));
    expect(delays).toEqual([249, 499, 999, 999, 999, 999]);
  });

  it('spreads out with a seeded random', () => {
    const random = createSeededRandom(3);
    const delays = new Set(Array.from({ length: 20 }, () => backoffDelay(5, DEFAULT_WS_BACKOFF, random)));
    expect(delays.size).toBeGreaterThan(15);
  });
});

describe('FreshnessTracker', () => {
  it('a quiet market (one update a minute) is not stale after 10 s; a busy one (every 200 ms) is', () => {
    const tracker = new FreshnessTracker(DEFAULT_WS_FRESHNESS);
    let now = 0;
    tracker.track('ticker', BTC, now);
    tracker.track('ticker', QUIET, now);
    for (let i = 0; i < 600; i++) {
      now += 200;
      tracker.record('ticker', BTC, now, 1_000 + now, true);
      if (now % 60_000 === 0) tracker.record('ticker', QUIET, now, 1_000 + now, true);
    }
    const busyLast = now;
    // The quiet market last updated at 120 s; the busy one at 120 s too. 10 s pass in silence.
    now += 10_000;
    const busy = tracker.get('ticker', BTC, now, true);
    const quiet = tracker.get('ticker', QUIET, now, true);
    expect(busy).toMatchObject({ expectedIntervalMs: 250, suspectedStale: true, lastUpdateAt: 1_000 + busyLast });
    expect(quiet?.expectedIntervalMs).toBe(60_000);
    expect(quiet?.suspectedStale).toBe(false);
    // The quiet one becomes suspect only after several of its own intervals.
    expect(tracker.get('ticker', QUIET, busyLast + 6 * 60_000 + 1, true)?.suspectedStale).toBe(true);
  });

  it('learns from REALTIME only, and not across a reconnect', () => {
    const tracker = new FreshnessTracker(DEFAULT_WS_FRESHNESS);
    tracker.track('trade', BTC, 0);
    tracker.record('trade', BTC, 1_000, 1, false); // SNAPSHOT
    tracker.record('trade', BTC, 2_000, 2, true);
    tracker.record('trade', BTC, 3_000, 3, true); // interval 1 000
    tracker.newConnection();
    tracker.record('trade', BTC, 100_000, 4, true); // spans the outage: not measured
    expect(tracker.get('trade', BTC, 100_000, true)?.expectedIntervalMs).toBe(1_000);
  });

  it('everything is suspect while disconnected; unknown symbols are undefined', () => {
    const tracker = new FreshnessTracker(DEFAULT_WS_FRESHNESS);
    tracker.track('ticker', BTC, 0);
    tracker.record('ticker', BTC, 10, 10, true);
    expect(tracker.get('ticker', BTC, 11, false)?.suspectedStale).toBe(true);
    expect(tracker.get('ticker', BTC, 11, true)?.suspectedStale).toBe(false);
    expect(tracker.get('orderbook', BTC, 11, true)).toBeUndefined();
  });

  it('a symbol that never delivered turns suspect after the initial interval times the factor', () => {
    const tracker = new FreshnessTracker(DEFAULT_WS_FRESHNESS);
    tracker.track('ticker', BTC, 0);
    const limit = DEFAULT_WS_FRESHNESS.initialIntervalMs * DEFAULT_WS_FRESHNESS.staleFactor;
    expect(tracker.get('ticker', BTC, limit, true)).toMatchObject({ lastUpdateAt: undefined, suspectedStale: false });
    expect(tracker.get('ticker', BTC, limit + 1, true)?.suspectedStale).toBe(true);
  });
});

describe('GapLog', () => {
  it('one open gap at a time, closed with its end, bounded', () => {
    const log = new GapLog(2);
    expect(log.open(10, 'drop', [BTC])).toBeDefined();
    expect(log.open(11, 'again', [BTC])).toBeUndefined();
    expect(log.close(20)).toEqual({ startedAt: 10, endedAt: 20, reason: 'drop', symbols: [BTC] });
    log.open(30, 'b', []);
    log.close(31);
    log.open(40, 'c', []);
    expect(log.list().map((gap) => gap.reason)).toEqual(['b', 'c']);
    expect(log.count).toBe(3);
    expect(log.isOpen).toBe(true);
  });
});
