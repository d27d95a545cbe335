import { createSeededRandom } from '@marketdata/domain';
import { FakeClock, MemoryLogger } from '@marketdata/domain/testing';
import { createRestBudgets } from '../../../src/rest/http/rest-budgets.js';
import { UpbitRestClient, type UpbitRestClientOptions } from '../../../src/rest/index.js';
import { type FakeHandler, fakeUpbitFetch } from './fake-upbit-fetch.js';

export interface ClientHarness {
  readonly clock: FakeClock;
  readonly logger: MemoryLogger;
  readonly fetch: ReturnType<typeof fakeUpbitFetch>;
  readonly client: UpbitRestClient;
}

/**
 * A client on a fake clock, seeded jitter, a fake fetch answering from `handler`, and budgets of its own (the
 * process-wide sharing is tested on its own).
 */
export function clientHarness(handler: FakeHandler, options: UpbitRestClientOptions = {}): ClientHarness {
  const clock = new FakeClock();
  const logger = new MemoryLogger();
  const fetch = fakeUpbitFetch(handler, clock);
  const budgets = createRestBudgets();
  const client = new UpbitRestClient({ clock, logger, random: createSeededRandom(7), fetch, budgets, ...options });
  return { clock, logger, fetch, client };
}

/** The largest number of calls inside any window of `windowMs` (send times in ms). */
export function maxInWindow(times: readonly number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  let start = 0;
  for (let end = 0; end < sorted.length; end++) {
    while ((sorted[end] ?? 0) - (sorted[start] ?? 0) >= windowMs) start++;
    best = Math.max(best, end - start + 1);
  }
  return best;
}
