import type { Trade } from '@marketdata/domain';
import { afterEach, describe, expect, it } from 'vitest';
import { BTC, type Harness, startHarness, until } from './support/harness.js';

// The adapter's own heartbeat and backoff defaults (most other tests pin the slower ones they were written for): a
// WebSocket ping every second, a socket silent for 2 s after one is dead, reconnects within half a second.

let harness: Harness | undefined;

afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

/** No heartbeat or backoff options at all: what `createUpbitWebSocketSource({ url })` gets. */
const ADAPTER_DEFAULTS = {
  heartbeat: undefined,
  pingIntervalMs: undefined,
  livenessTimeoutMs: undefined,
  backoff: undefined,
} as const;

describe('heartbeat and backoff defaults', () => {
  it('ping every second; answered pongs keep a quiet socket open for good', async () => {
    harness = await startHarness(ADAPTER_DEFAULTS);
    const { source, server, clock } = harness;
    source.subscribe('ticker', [BTC]);
    await until(() => source.status().framesReceived === 1);
    for (let i = 1; i <= 30; i++) {
      clock.advance(1_000);
      await until(() => server.wsPings === i);
      await until(() => source.status().lastInboundMonotonic === clock.monotonic());
    }
    expect(source.state).toBe('open');
    expect(source.status().reconnects).toBe(0);
    expect(server.pings).toBe(0);
  });

  it('a socket that answers nothing is dead within 3 s, the gap from its last frame, and replaced within 0.5 s', async () => {
    harness = await startHarness(ADAPTER_DEFAULTS);
    const { source, server, clock } = harness;
    const trades: Trade[] = [];
    source.listen('trade', [BTC], { onRecord: (trade) => trades.push(trade) });
    await until(() => server.requests.length === 1);
    server.publish('trade', 'KRW-BTC');
    await until(() => trades.length === 1);
    const lastFrameAt = clock.monotonic();
    server.stall(true);
    let deadAfter: number | undefined;
    for (let elapsed = 100; elapsed <= 4_000 && deadAfter === undefined; elapsed += 100) {
      clock.advance(100);
      await until(() => true);
      if (source.state !== 'open') deadAfter = elapsed;
    }
    expect(deadAfter).toBeDefined();
    expect(deadAfter).toBeLessThanOrEqual(3_000);
    expect(source.status().gaps[0]).toMatchObject({ startedAtMonotonic: lastFrameAt });
    server.stall(false);
    const reconnectingAt = clock.monotonic();
    await harness.pump(500, 50);
    await until(() => source.state === 'open');
    expect(harness.connectTimes.at(-1) ?? Number.POSITIVE_INFINITY).toBeLessThanOrEqual(reconnectingAt + 500);
  });
});
