import { type Clock, isMarketDataError, systemClock } from '@marketdata/domain';
import { describe, expect, it } from 'vitest';
import { startScenario } from './support/scenario.js';

// The router decides on a cache entry that is fresh for it, and the entry expires before it is served: this must
// never turn into `ChannelUnavailableError` while REST is healthy (it did: the decision and the serve read the cache
// twice). With default settings the window exists for a quiet symbol, whose expected interval is clamped to 60 s,
// the cache TTL: its entry is "fresh" for the router until the very moment it expires.
//
// Time is virtual here so the test need not wait minutes: the simulator's and the facade's clocks are the system
// clock plus offsets the test moves forward (never back), and while a call is under test every read of the
// facade's monotonic clock also moves it 1 ms on (a slow event loop between reads). Timers are the system's.

const QUIET = 'KRW-XRP';
const SWEEPS = 40;

interface VirtualTime {
  wallOffset: number;
  monotonicOffset: number;
  stepPerRead: number;
  stepped: number;
}

function offsetClock(time: VirtualTime, stepping: boolean): Clock {
  return {
    now: () => Date.now() + time.wallOffset,
    monotonic: () => {
      if (stepping) time.stepped += time.stepPerRead;
      return performance.now() + time.monotonicOffset + (stepping ? time.stepped : 0);
    },
    setTimeout: (callback, delayMs) => systemClock.setTimeout(callback, delayMs),
    clearTimeout: (handle) => systemClock.clearTimeout(handle),
  };
}

describe('a cache entry expiring between the decision and the serve', () => {
  it('is served as read or fetched again, never ChannelUnavailableError, while REST is healthy', async () => {
    const time: VirtualTime = { wallOffset: 0, monotonicOffset: 0, stepPerRead: 0, stepped: 0 };
    const scenario = await startScenario(
      'cache race at the TTL',
      ['KRW-BTC', 'KRW-ETH', QUIET],
      offsetClock(time, false),
    );
    const { sim } = scenario;
    for (const code of ['KRW-BTC', 'KRW-ETH', QUIET]) sim.control.freezeMarket(code, true);
    const md = scenario.open({ clock: offsetClock(time, true) });

    // The quiet symbol's rhythm: two trades 61 s apart, seen by REST (its expected interval becomes 60 s).
    sim.control.jumpPrice(QUIET, 1.001);
    await md.getTicker(QUIET, { source: 'rest' });
    time.wallOffset += 61_000;
    time.monotonicOffset += 61_000;
    sim.control.jumpPrice(QUIET, 1.001);
    await md.getTicker(QUIET, { source: 'rest' });
    expect((await md.getTicker(QUIET)).source).toBe('cache');

    const outcomes = new Map<string, number>();
    for (let sweep = 0; sweep < SWEEPS; sweep++) {
      // A fresh entry, then the clock moved to just before its TTL; the call under test crosses it somewhere.
      time.monotonicOffset += 61_000;
      await md.getTicker(QUIET, { source: 'rest' });
      time.monotonicOffset += 60_000 - sweep * 0.5;
      time.stepPerRead = 1;
      let outcome: string;
      try {
        outcome = (await md.getTicker(QUIET)).source;
      } catch (error) {
        outcome = isMarketDataError(error) ? `${error.code}: ${error.message}` : String(error);
      } finally {
        time.stepPerRead = 0;
      }
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
    }
    scenario.figure('calls at the TTL boundary', SWEEPS);
    scenario.figure('outcomes', JSON.stringify(Object.fromEntries(outcomes)));
    expect([...outcomes.keys()].sort()).toEqual(['cache', 'rest']);
    expect(md.health().channels.rest.state).toBe('enabled');
    await scenario.finish();
  });
});
