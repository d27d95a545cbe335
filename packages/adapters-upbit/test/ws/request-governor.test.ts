import { createSeededRandom, type SubscriptionHandle } from '@marketdata/domain';
import { afterEach, describe, expect, it } from 'vitest';
import { subscriptionSet } from '../../src/ws/protocol/subscription-request.js';
import { codes, type Harness, ioPause, maxInWindow, startHarness, until } from './support/harness.js';
import type { ParsedSubscription } from './support/local-upbit-server.js';

// Upbit limits data requests per connection: 5 per second and 100 per minute. A subscribe/unsubscribe thrash used
// to send ~400 subscription messages a second. Requests are counted where Upbit would see them: at the server, on
// the test's FakeClock. Default settings throughout.

let harness: Harness | undefined;

afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const POOL = codes(400);

/** Fake time moves `ms`; after each step the test waits until the server has every request the source sent. */
async function thrash(h: Harness, ms: number, handles: SubscriptionHandle[], seed: number): Promise<void> {
  const random = createSeededRandom(seed);
  const stepMs = 50;
  for (let elapsed = 0; elapsed < ms; elapsed += stepMs) {
    // Each step takes a symbol never or not recently held (a new set), and lets go of an older one.
    for (let i = 0; i < 3; i++) {
      const kind = (['ticker', 'trade', 'orderbook'] as const)[Math.floor(random.next() * 3)] ?? 'ticker';
      const symbol = POOL[Math.floor(random.next() * POOL.length)] ?? POOL[0];
      if (symbol !== undefined) handles.push(h.source.subscribe(kind, [symbol]));
      if (handles.length > 20) handles.splice(Math.floor(random.next() * handles.length), 1)[0]?.release();
    }
    h.clock.advance(stepMs);
    await ioPause(1);
    await until(() => h.server.requests.length === h.source.status().requestsSent);
  }
}

function codesOf(request: ParsedSubscription | undefined): unknown {
  return request?.codes;
}

describe('subscription changes are paced per connection', () => {
  it('a 10 s subscribe/unsubscribe thrash sends at most 5 requests in any second; the last set is the final demand', async () => {
    harness = await startHarness({}, { snapshots: false });
    const { source, server } = harness;
    const base = source.subscribe(
      'ticker',
      [POOL[0] ?? codes(1)[0]].filter((code) => code !== undefined),
    );
    const handles: SubscriptionHandle[] = [];
    await thrash(harness, 10_000, handles, 7);
    const times = server.requestTimes;
    expect(times.length).toBeGreaterThan(20); // it did send, paced
    expect(maxInWindow(times, 1_000)).toBeLessThanOrEqual(5);
    expect(maxInWindow(times, 60_000)).toBeLessThanOrEqual(100);
    expect(server.totalConnections).toBe(1);

    // Demand stops changing: once the budget allows, the latest complete set is sent, exactly once.
    await harness.pump(2_000, 50);
    await until(
      () => JSON.stringify(codesOf(server.parsedRequests().at(-1))) === JSON.stringify(source.status().subscriptions),
    );
    const sent = server.requests.length;
    await harness.pump(5_000, 250);
    expect(server.requests).toHaveLength(sent);

    // After the linger, only what is still held stays on the wire, and that is the last set sent.
    for (const handle of handles.splice(0)) handle.release();
    await harness.pump(32_000, 250);
    await until(() => server.requests.length === source.status().requestsSent);
    const held = source.status().subscriptions;
    expect(held).toEqual(subscriptionSet({ ticker: ['KRW-M000'] }));
    expect(codesOf(server.parsedRequests().at(-1))).toEqual(held);
    expect(maxInWindow(server.requestTimes, 1_000)).toBeLessThanOrEqual(5);
    base.release();
  });

  it('a 70 s thrash stays within 100 requests in any minute', async () => {
    harness = await startHarness({}, { snapshots: false });
    const { server } = harness;
    const handles: SubscriptionHandle[] = [];
    await thrash(harness, 70_000, handles, 11);
    const times = server.requestTimes;
    expect(times.length).toBeGreaterThan(100); // more than a minute's worth in all: the minute limit had to act
    expect(maxInWindow(times, 60_000)).toBeLessThanOrEqual(100);
    expect(maxInWindow(times, 1_000)).toBeLessThanOrEqual(5);
  }, 60_000);

  it('changes in one tick are one request; an unchanged set is never re-sent', async () => {
    harness = await startHarness({}, { snapshots: false });
    const { source, server } = harness;
    const [a, b, c] = codes(3) as [(typeof POOL)[0], (typeof POOL)[0], (typeof POOL)[0]];
    source.subscribe('ticker', [a]);
    source.subscribe('trade', [b]);
    source.subscribe('orderbook', [c]);
    await until(() => server.requests.length === 1);
    source.subscribe('ticker', [a]).release(); // held anyway: nothing changes on the wire
    await harness.pump(1_000, 100);
    expect(server.requests).toHaveLength(1);
  });
});
