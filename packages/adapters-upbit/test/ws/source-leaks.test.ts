import { getEventListeners } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { BTC, ETH, type Harness, startHarness, until } from './support/harness.js';

let harness: Harness | undefined;

afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe('100 reconnects', () => {
  it('leave no listeners, sockets or timers behind and the consumer keeps receiving', async () => {
    harness = await startHarness({ backoff: { baseMs: 200, maxMs: 1_000, minMs: 50 } });
    const { source, server, clock, sockets } = harness;
    const stateEvents: string[] = [];
    source.observe({ onConnection: (event) => stateEvents.push(event.state), onGap: () => {} });
    const controller = new AbortController();
    const tickers = source.watchTickers([BTC, ETH], { signal: controller.signal })[Symbol.asyncIterator]();
    let received = 0;
    let consuming = true;
    const consumer = (async () => {
      while (consuming) {
        const next = await tickers.next();
        if (next.done === true) return;
        received++;
      }
    })();
    await until(() => received === 2);
    const baseline = {
      signalListeners: getEventListeners(controller.signal, 'abort').length,
      observers: source.diagnostics().observers,
    };

    for (let i = 1; i <= 100; i++) {
      const framesBefore = source.status().framesReceived;
      server.dropConnections();
      await until(() => source.status().nextAttemptAtMonotonic !== undefined);
      clock.advance(1_000);
      await until(() => source.state === 'open' && source.status().framesReceived >= framesBefore + 2);
    }
    await until(() => received >= 202);

    const status = source.status();
    expect(status.reconnects).toBe(100);
    expect(status.gapCount).toBe(100);
    expect(status.gaps).toHaveLength(100);
    expect(status.gaps.every((gap) => gap.endedAt !== undefined && gap.symbols.length === 2)).toBe(true);
    expect(stateEvents.filter((state) => state === 'reconnecting')).toHaveLength(100);
    expect(sockets).toHaveLength(101);

    // Every replaced socket is closed and keeps only the error swallower; the live one has one of each.
    const old = sockets.slice(0, -1);
    expect(old.every((socket) => socket.readyState === socket.CLOSED)).toBe(true);
    expect(old.every((socket) => socket.eventNames().join() === 'error' && socket.listenerCount('error') === 1)).toBe(
      true,
    );
    const live = sockets.at(-1);
    for (const event of ['open', 'message', 'close', 'error', 'ping', 'pong', 'unexpected-response'])
      expect(live?.listenerCount(event)).toBe(1);

    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(baseline.signalListeners);
    expect(source.diagnostics()).toEqual({
      listeners: 1,
      observers: baseline.observers,
      timers: 1, // the heartbeat
      lingeringSubscriptions: 0,
      pendingRequests: 0,
    });
    expect(clock.pendingTimerCount()).toBe(1);
    expect(server.connectionCount()).toBe(1);

    consuming = false;
    controller.abort();
    await consumer;
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    // The symbols linger 30 s, then the unused socket 10 s more; then nothing is left.
    expect(source.diagnostics().lingeringSubscriptions).toBe(2);
    await clock.advanceAsync(30_000);
    expect(source.state).toBe('open');
    await clock.advanceAsync(10_000);
    expect(source.state).toBe('idle');
    expect(clock.pendingTimerCount()).toBe(0);
  });
});
