import { type ConfigError, isConfigError } from '@marketdata/domain';
import { FakeClock } from '@marketdata/domain/testing';
import { describe, expect, it } from 'vitest';
import { createMarketData, type MarketDataOptions } from '../src/index.js';
import { FakeRestSource, FakeStreamingSource } from './support/fake-sources.js';

function configErrorOf(options: unknown): ConfigError {
  try {
    createMarketData(options as MarketDataOptions);
  } catch (error) {
    if (isConfigError(error)) return error;
    throw error;
  }
  throw new Error('accepted');
}

describe('createMarketData options', () => {
  it('names the methods a REST source lacks', () => {
    const clock = new FakeClock();
    const rest = { getTicker: () => undefined, watchTickers: () => undefined, close: () => undefined };
    const error = configErrorOf({ rest, clock });
    expect(error.issues).toEqual([expect.objectContaining({ path: 'rest' })]);
    expect(error.issues[0]?.message).toMatch(/missing or not a function: getTickers$/);
  });

  it('checks a websocket source, the clock and the logger by shape, when given', () => {
    const clock = new FakeClock();
    const rest = new FakeRestSource(clock);
    const websocket = new FakeStreamingSource(clock);
    const withoutObserve = Object.assign(Object.create(websocket) as object, { observe: 42 });
    const error = configErrorOf({ rest, websocket: withoutObserve, clock: {}, logger: 'console' });
    expect(error.issues.map((issue) => issue.path)).toEqual(['websocket', 'clock', 'logger']);
    expect(error.issues[0]?.message).toMatch(/observe$/);
    expect(error.issues[2]?.message).toMatch(/got string/);
  });

  it("checks the REST source's market directory by shape, when it has one", () => {
    const clock = new FakeClock();
    const rest = Object.assign(new FakeRestSource(clock), { directory: { isListed: () => true } });
    const error = configErrorOf({ rest, clock });
    expect(error.issues).toEqual([expect.objectContaining({ path: 'rest.directory' })]);
    expect(error.issues[0]?.message).toMatch(/missing or not a function: ready, isFresh, view$/);
  });

  it('lists source and configuration problems together in one ConfigError', () => {
    const error = configErrorOf({ rest: null, config: { restTimeoutMs: -1 } });
    expect(error.issues.map((issue) => issue.path)).toEqual(['rest', 'restTimeoutMs']);
    expect(error.message).toContain('(2 problems)');
  });

  it('accepts the fakes, with and without a websocket', async () => {
    const clock = new FakeClock();
    for (const websocket of [undefined, new FakeStreamingSource(clock)]) {
      const md = createMarketData({ rest: new FakeRestSource(clock), websocket, clock });
      await md.close();
    }
    expect(clock.pendingTimerCount()).toBe(0);
  });
});
