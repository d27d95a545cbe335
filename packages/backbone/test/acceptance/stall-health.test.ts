import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../support/harness.js';

// A stall the streaming source reports: data stops, the connection stays open, heartbeats are still answered. With
// the default settings the one freshness judge must call it within 3 s, and every reader of freshness (health(), the
// router, graded values) must say so.

let harness: Harness | undefined;

afterEach(async () => {
  if (harness === undefined) return;
  await harness.md.close();
  expect(harness.clock.pendingTimerCount()).toBe(0);
  harness = undefined;
});

/** Makes the symbol hot (so the router holds demand for it) and streams it every `everyMs` for a while. */
async function busyOnWebSocket(h: Harness, symbol: string, everyMs: number): Promise<void> {
  await h.requestEvery(symbol, 100, 5);
  expect(h.websocket.subscribed.get(symbol)).toBe(1);
  for (let i = 0; i < 20; i++) {
    h.clock.advance(everyMs);
    h.push(symbol);
  }
}

describe('a stalled stream, with default settings', () => {
  it('turns health() degraded, naming the symbol, and grades its next value below high within 3 s', async () => {
    harness = createHarness();
    const { md, websocket, clock } = harness;
    await busyOnWebSocket(harness, 'KRW-BTC', 100);
    expect(md.health()).toMatchObject({ status: 'ok', reasons: [] });
    expect(await md.getTicker('KRW-BTC')).toMatchObject({ source: 'websocket', quality: 'high' });

    // The stall: no data, the socket open, heartbeats answered every 100 ms.
    let degradedAfter: number | undefined;
    let gradedBelowHighAfter: number | undefined;
    for (let elapsed = 100; elapsed <= 3_000 && gradedBelowHighAfter === undefined; elapsed += 100) {
      clock.advance(100);
      websocket.heartbeat();
      if (degradedAfter === undefined && md.health().status === 'degraded') degradedAfter = elapsed;
      const value = await md.getTicker('KRW-BTC', { source: 'websocket' });
      if (value.quality !== 'high') gradedBelowHighAfter = elapsed;
    }
    expect(websocket.status()).toMatchObject({ state: 'open', lastInboundMonotonic: clock.monotonic() });
    expect(degradedAfter).toBeDefined();
    expect(degradedAfter).toBeLessThanOrEqual(3_000);
    expect(gradedBelowHighAfter).toBe(degradedAfter);
    console.log(`stall at a 100 ms rhythm: degraded and graded low after ${degradedAfter} ms`);

    const health = md.health();
    expect(health.reasons).toEqual([
      expect.stringMatching(/^KRW-BTC ticker stale: last update \d+ ms ago, expected every 100 ms$/),
    ]);
    expect(health.channels.websocket?.staleFeeds).toHaveLength(1);
    const value = await md.getTicker('KRW-BTC', { source: 'websocket' });
    expect(value.quality).toBe('low');
    expect(value.qualityNotes).toEqual([expect.stringMatching(/^last update \d+ ms ago, expected every 100 ms$/)]);
    // The router reads the same judge: an `auto` request is confirmed by REST.
    expect((await md.getTicker('KRW-BTC')).source).toBe('rest');
    expect(md.stats().routing.decisions['websocket-stale-confirm-by-rest']).toBeGreaterThan(0);

    // Data flows again: fresh at once, health back to ok.
    harness.push('KRW-BTC');
    expect(md.health().status).toBe('ok');
    expect((await md.getTicker('KRW-BTC', { source: 'websocket' })).quality).toBe('high');
  });

  it('calls a symbol whose rhythm is not yet known stale 3 s after its last value, not before', async () => {
    harness = createHarness();
    const { md, clock } = harness;
    await harness.requestEvery('KRW-ETH', 100, 5);
    harness.push('KRW-ETH');
    clock.advance(3_000);
    expect(md.health().status).toBe('ok');
    expect((await md.getTicker('KRW-ETH', { source: 'websocket' })).quality).toBe('high');
    clock.advance(1);
    expect(md.health()).toMatchObject({ status: 'degraded' });
    expect(md.health().reasons[0]).toBe('KRW-ETH ticker stale: last update 3001 ms ago, expected every 1000 ms');
    expect((await md.getTicker('KRW-ETH', { source: 'websocket' })).quality).toBe('low');
  });

  it('says nothing about a symbol nobody wants any more', async () => {
    harness = createHarness();
    const { md, clock } = harness;
    await busyOnWebSocket(harness, 'KRW-SOL', 100);
    // No more requests: the symbol turns cold, its demand is released, and its silence is nobody's problem.
    clock.advance(20_000);
    expect(harness.websocket.subscribed.has('KRW-SOL')).toBe(false);
    expect(md.health()).toMatchObject({ status: 'ok', reasons: [] });
  });
});

describe('one stale rule in the backbone', () => {
  const src = fileURLToPath(new URL('../../src', import.meta.url));

  function sources(dir: string): string[] {
    return readdirSync(dir).flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
    });
  }

  it('lives in src/freshness only: no other file reads the stale settings or a second rhythm', () => {
    const offenders: string[] = [];
    const staleSettings =
      /\b(staleFactor|minStaleMs|defaultExpectedIntervalMs|minExpectedIntervalMs|maxExpectedIntervalMs)\b/;
    const gone =
      /\b(suspectedStale|SymbolFreshness|RhythmTracker|WallToMonotonic|updateInstants|sinceUpdateMs\s*>)|\.freshness\(/;
    for (const file of sources(src)) {
      const name = relative(src, file);
      const text = readFileSync(file, 'utf8');
      if (gone.test(text)) offenders.push(`${name}: ${gone.exec(text)?.[0]}`);
      if (name.startsWith('freshness') || name.startsWith('config')) continue;
      if (staleSettings.test(text)) offenders.push(`${name}: ${staleSettings.exec(text)?.[0]}`);
    }
    expect(offenders).toEqual([]);
  });
});
