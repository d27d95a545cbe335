import { flushMicrotasks } from '@marketdata/domain/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../support/harness.js';

let harness: Harness | undefined;

afterEach(async () => {
  if (harness === undefined) return;
  await harness.md.close();
  expect(harness.clock.pendingTimerCount()).toBe(0);
  harness = undefined;
});

describe('one conflation step, counted once', () => {
  it("counts a slow consumer's replaced updates in its own queue only; a prompt consumer loses none", async () => {
    harness = createHarness();
    const { md, websocket } = harness;
    const slow = md.watchTickers(['KRW-BTC']);
    const prompt = md.watchTickers(['KRW-BTC']);
    const received: number[] = [];
    const reading = (async () => {
      for await (const ticker of prompt) {
        received.push(ticker.price);
        if (received.length === 5) return;
      }
    })();
    for (const price of [1, 2, 3, 4, 5]) {
      harness.push('KRW-BTC', { price: 103_400_000 + price, high: 104_000_000 });
      await flushMicrotasks();
    }
    await reading;
    expect(received).toHaveLength(5);

    const stats = md.stats();
    expect(stats.streams.conflated).toBe(4);
    // The streaming source pushes every record to the listener, with no queue (and no count) of its own.
    expect(stats.websocket).not.toHaveProperty('conflated');
    expect(websocket.status()).not.toHaveProperty('conflated');
    const latest = await slow.next();
    expect(latest.done === false && latest.value.price).toBe(103_400_005);
    expect(md.stats().streams.delivered.ticker).toBe(6);
    await slow.return?.();
  });
});
