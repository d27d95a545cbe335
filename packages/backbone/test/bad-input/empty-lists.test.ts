import { isDataValidationError } from '@marketdata/domain';
import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../support/harness.js';
import { failureOf, ioCount } from './helpers.js';

// Empty symbol lists. The behaviour checked here is what the facade implements, judged as what an experienced user
// expects:
// - `getTickers([])` answers `[]` at once, like `Promise.all([])`: a batch of nothing is a valid, empty batch (a caller
//   filtering a watch list down to nothing should not need a special case).
// - `watch*([])` throws `DataValidationError` synchronously: a stream of nothing would never yield and never end, so a
//   consumer's `for await` would hang silently; refusing it loudly is the useful answer.

let harness: Harness | undefined;

afterEach(async () => {
  if (harness === undefined) return;
  await harness.md.close();
  expect(harness.clock.pendingTimerCount()).toBe(0);
  harness = undefined;
});

describe('empty symbol lists', () => {
  it('getTickers([]) answers an empty list without any request, in every source mode', async () => {
    harness = createHarness();
    const { md } = harness;
    for (const source of ['auto', 'rest', 'websocket', 'realtime', 'historical'] as const) {
      expect(await md.getTickers([], { source })).toEqual([]);
    }
    expect(ioCount(harness)).toBe(0);
    expect(md.stats().requests).toEqual({ rest: 0, websocket: 0 });
    expect(md.stats().errors.total).toBe(0);
    expect(md.health().status).toBe('ok');
  });

  it('getTickers([]) still validates its options', async () => {
    harness = createHarness();
    const error = await failureOf(() => harness?.md.getTickers([], { source: 'fast' as 'auto' }));
    expect(error).toSatisfy(isDataValidationError);
  });

  it('watchTickers([]), watchOrderBooks([]) and watchTrades([]) throw DataValidationError naming the list', async () => {
    harness = createHarness();
    const { md } = harness;
    const opens: [string, () => unknown][] = [
      ['watchTickers', () => md.watchTickers([])],
      ['watchOrderBooks', () => md.watchOrderBooks([])],
      ['watchTrades', () => md.watchTrades([])],
    ];
    for (const [operation, open] of opens) {
      // Thrown synchronously, before an iterator exists: nothing to clean up for the caller.
      expect(open).toThrow(/needs at least one symbol/);
      const error = await failureOf(open);
      expect(error).toSatisfy(isDataValidationError);
      expect(error).toMatchObject({ path: 'symbols', operation, channel: 'api', retryable: false });
    }
    expect(ioCount(harness)).toBe(0);
    expect(md.stats().streams.active).toBe(0);
  });
});
