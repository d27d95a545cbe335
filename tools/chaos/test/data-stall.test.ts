import { describe, expect, it } from 'vitest';
import { record, sleep, startScenario } from './support/scenario.js';

// The server keeps answering heartbeats (`PING` → `{"status":"UP"}`, pings → pongs) but sends no data. With the
// default settings the freshness judge must notice the silence of a hot symbol and label it below high within 3 s;
// an `auto` stream must continue from REST within 3 s and return to the WebSocket once data flows again.

const WITHIN_MS = 3_000;

describe('data stops, heartbeats go on', () => {
  it('labels the hot symbol stale and continues from REST within 3 s, then returns to the WebSocket', async () => {
    const scenario = await startScenario('data stall');
    const { sim } = scenario;
    const md = scenario.open();
    const stream = record(md.watchTickers(['KRW-BTC', 'KRW-ETH']));
    // Warm up: the rhythm of the busy markets is learned on the stream.
    await sleep(2_000);
    expect(stream.got.filter((entry) => entry.ticker.source === 'websocket').length).toBeGreaterThan(10);
    expect(md.health().status).toBe('ok');

    sim.control.stallData(true);
    const stalledAt = performance.now();
    const marker = stream.got.length;
    let labelledAt: number | undefined;
    let degradedAt: number | undefined;
    while (
      performance.now() - stalledAt < WITHIN_MS + 2_000 &&
      (labelledAt === undefined || degradedAt === undefined)
    ) {
      const value = await md.getTicker('KRW-BTC', { source: 'websocket' });
      if (labelledAt === undefined && value.quality !== 'high') labelledAt = performance.now();
      if (degradedAt === undefined && md.health().status === 'degraded') degradedAt = performance.now();
      await sleep(50);
    }
    const fallbackAt = await stream.waitFor((t) => t.source === 'rest', WITHIN_MS + 2_000, marker);
    expect(labelledAt, 'labelled below high').toBeDefined();
    expect(fallbackAt, 'a REST tick').toBeDefined();
    scenario.figure('time to labelled stale', (labelledAt ?? 0) - stalledAt, 'ms');
    scenario.figure('time to health degraded', (degradedAt ?? 0) - stalledAt, 'ms');
    scenario.figure('time to first fallback tick', (fallbackAt ?? 0) - stalledAt, 'ms');
    expect((labelledAt ?? 0) - stalledAt).toBeLessThanOrEqual(WITHIN_MS);
    expect((fallbackAt ?? 0) - stalledAt).toBeLessThanOrEqual(WITHIN_MS);
    const fallback = stream.got.slice(marker).find((entry) => entry.ticker.source === 'rest')?.ticker;
    expect(fallback?.quality).toBe('medium');
    expect(fallback?.qualityNotes[0]).toMatch(/^fallback from websocket: KRW-(BTC|ETH): last update \d+ ms ago/);
    const health = md.health();
    expect(health.status).toBe('degraded');
    expect(health.channels.websocket?.connection).toBe('open');
    expect(health.reasons).toContainEqual(expect.stringMatching(/ticker stale: last update/));
    expect(health.reasons).toContainEqual(expect.stringMatching(/^watchTickers on rest fallback for KRW-/));
    scenario.figure('health', health.reasons.join(' | '));

    // Once REST stands in, nothing is handed out as high until data flows again.
    await sleep(1_500);
    const during = stream.got.filter((entry) => entry.at >= (fallbackAt ?? 0));
    expect(during.length).toBeGreaterThan(0);
    expect(during.filter((entry) => entry.ticker.quality === 'high').map((entry) => entry.ticker.source)).toEqual([]);

    sim.control.stallData(false);
    const resumedAt = performance.now();
    const backAt = await stream.waitFor((t) => t.source === 'websocket', WITHIN_MS, stream.got.length);
    expect(backAt, 'back on the WebSocket').toBeDefined();
    scenario.figure('back on the WebSocket after data resumed', (backAt ?? 0) - resumedAt, 'ms');
    await sleep(500);
    expect(md.health()).toMatchObject({ status: 'ok', fallbacks: [] });
    expect(stream.error.value).toBeUndefined();
    expect(stream.disorder, 'no repeat or older ticker across a switch').toEqual([]);
    await stream.stop();
    await scenario.finish();
  });
});
