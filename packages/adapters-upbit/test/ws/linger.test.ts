import type { ChannelTicker } from '@marketdata/domain';
import { afterEach, describe, expect, it } from 'vitest';
import { frameText } from './support/frame-templates.js';
import { BTC, ETH, type Harness, ioPause, startHarness, until } from './support/harness.js';

// What stays on the wire after a release (lingerMs, default 30 s), what happens to an unused socket
// (idleSocketLingerMs, default 10 s), and the backoff that survives both.

let harness: Harness | undefined;

afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

function listenTo(h: Harness, seen: ChannelTicker[], symbols = [BTC]): { release(): void } {
  return h.source.listen('ticker', symbols, { onRecord: (ticker) => seen.push(ticker) });
}

describe('a released symbol lingers', () => {
  it('re-listened within lingerMs: answered from the held record at once, no request sent', async () => {
    harness = await startHarness();
    const { source, server, clock } = harness;
    const seen: ChannelTicker[] = [];
    listenTo(harness, seen).release(); // nothing held yet: the SNAPSHOT arrives while it lingers
    await until(() => source.latest('ticker', BTC) !== undefined);
    clock.advance(29_999);
    const again: ChannelTicker[] = [];
    const handle = listenTo(harness, again);
    expect(again).toEqual([source.latest('ticker', BTC)]);
    await ioPause(20);
    expect(server.requests).toHaveLength(1);
    handle.release();
    clock.advance(29_999);
    expect(source.status().subscriptions.ticker).toEqual(['KRW-BTC']); // the linger restarted with the release
  });

  it('after lingerMs it leaves the wire: facts and records go, and the next set is sent without it', async () => {
    harness = await startHarness();
    const { source, server, clock } = harness;
    source.subscribe('ticker', [ETH]);
    const seen: ChannelTicker[] = [];
    const handle = listenTo(harness, seen);
    await until(() => seen.length === 1 && server.requests.length === 1);
    handle.release();
    clock.advance(29_999);
    expect(source.arrivals('ticker', BTC)).toBeDefined();
    clock.advance(1);
    expect(source.arrivals('ticker', BTC)).toBeUndefined();
    expect(source.latest('ticker', BTC)).toBeUndefined();
    await until(() => server.requests.length === 2);
    expect(server.parsedRequests()[1]?.codes.ticker).toEqual(['KRW-ETH']);
    // A late frame for it is no arrival of anything wanted.
    const arrivals: string[] = [];
    source.observe({ onArrival: (_kind, symbol) => arrivals.push(symbol) });
    const framesBefore = source.status().framesReceived;
    server.sendRaw(frameText('ticker', 'SIMPLE', 'KRW-BTC'));
    server.publish('ticker', 'KRW-ETH');
    await until(() => source.status().framesReceived >= framesBefore + 2);
    expect(arrivals).toContain('KRW-ETH');
    expect(arrivals).not.toContain('KRW-BTC');
    expect(source.status().malformedFrames).toBe(0); // a well-formed frame, just not wanted
  });
});

describe('an unused socket lingers', () => {
  it('nothing wanted: the socket stays open (heartbeats going) for idleSocketLingerMs and is reused', async () => {
    harness = await startHarness({ lingerMs: 0 });
    const { source, server, pump } = harness;
    const seen: ChannelTicker[] = [];
    const first = listenTo(harness, seen);
    await until(() => seen.length === 1);
    first.release();
    await pump(9_000, 500);
    expect(source.state).toBe('open');
    const handle = listenTo(harness, seen, [ETH]);
    await until(() => server.requests.length === 2);
    expect(server.totalConnections).toBe(1);
    expect(source.status().connectAttempts).toBe(1);
    handle.release();
    await pump(9_999, 500);
    expect(source.state).toBe('open');
    await pump(1, 1);
    expect(source.state).toBe('idle');
    await until(() => server.connectionCount() === 0);
    // Wanted again later: a new socket.
    listenTo(harness, seen, [ETH]);
    await until(() => source.state === 'open' && server.totalConnections === 2);
  });
});

describe('the reconnect backoff survives release and idle', () => {
  it('only a socket that carried data for resetAfterMs resets it', async () => {
    // A fixed draw (0.99 of the cap) makes each delay exact: 247, 495, then 990 ms (the 1 s cap).
    harness = await startHarness({ lingerMs: 0, random: { next: () => 0.99 } });
    const { source, server, clock, pump } = harness;
    server.dropAfterSnapshot = true;
    const seen: ChannelTicker[] = [];
    let handle = listenTo(harness, seen);
    const delays: number[] = [];
    for (let drop = 0; drop < 3; drop++) {
      await until(() => source.status().nextAttemptAtMonotonic !== undefined);
      delays.push((source.status().nextAttemptAtMonotonic ?? 0) - clock.monotonic());
      if (drop < 2) clock.advance(delays.at(-1) ?? 0);
    }
    expect(delays).toEqual([247, 495, 990]);
    // Released while waiting: nothing is wanted, the machine goes idle...
    handle.release();
    await ioPause();
    expect(source.state).toBe('idle');
    const connectsBefore = server.upgradeTimes.length;
    // ...and wanted again at once: it waits out the same backoff instead of connecting at once.
    handle = listenTo(harness, seen);
    await ioPause();
    expect(source.state).toBe('reconnecting');
    clock.advance(989);
    await ioPause(20);
    expect(server.upgradeTimes).toHaveLength(connectsBefore);
    clock.advance(1);
    await until(() => server.upgradeTimes.length === connectsBefore + 1);
    // The socket died again right after its SNAPSHOT: still at the cap, not back to the start.
    await until(() => source.status().nextAttemptAtMonotonic !== undefined);
    expect((source.status().nextAttemptAtMonotonic ?? 0) - clock.monotonic()).toBe(990);

    // A socket that carries data for 5 s resets it.
    server.dropAfterSnapshot = false;
    clock.advance(990);
    await until(() => source.state === 'open');
    await pump(5_000, 500);
    server.publish('ticker', 'KRW-BTC');
    await until(() => seen.at(-1)?.streamType === 'REALTIME');
    server.dropConnections();
    await until(() => source.status().nextAttemptAtMonotonic !== undefined);
    expect((source.status().nextAttemptAtMonotonic ?? 0) - clock.monotonic()).toBe(247);
    handle.release();
  });
});
