import { describe, expect, it } from 'vitest';
import { record, since, sleep, startScenario } from './support/scenario.js';

// The WebSocket endpoint refuses every connection, or answers every upgrade with 418, while REST is healthy. An
// `auto` ticker stream must continue from REST within 3 s, labelled a fallback, with health() naming the reason, and
// return to the WebSocket once it is served again.

const FALLBACK_WITHIN_MS = 3_000;

describe('the WebSocket refuses, REST is healthy', () => {
  it.each([
    ['refuses every connection (TCP reset)', 'reset'],
    ['never answers the upgrade', 'hang'],
  ] as const)('%s: the stream continues from REST within 3 s and returns to the WebSocket', async (_, mode) => {
    const scenario = await startScenario(`websocket ${mode}`);
    const { sim } = scenario;
    sim.control.breakWsConnects(mode);
    const md = scenario.open();
    const startedAt = performance.now();
    const stream = record(md.watchTickers(['KRW-BTC']));
    const fallbackAt = await stream.waitFor((t) => t.source === 'rest', FALLBACK_WITHIN_MS + 2_000);
    expect(fallbackAt, 'a REST tick').toBeDefined();
    const firstFallbackMs = (fallbackAt ?? 0) - startedAt;
    scenario.figure('time to first fallback tick', firstFallbackMs, 'ms');
    expect(firstFallbackMs).toBeLessThanOrEqual(FALLBACK_WITHIN_MS);
    const fallback = stream.got.find((entry) => entry.ticker.source === 'rest')?.ticker;
    expect(fallback).toMatchObject({ quality: 'medium' });
    expect(fallback?.qualityNotes[0]).toMatch(/^fallback from websocket: /);
    const health = md.health();
    expect(health.status).toBe('degraded');
    expect(health.reasons).toContainEqual(expect.stringMatching(/^watchTickers on rest fallback for KRW-BTC/));
    scenario.figure('health', health.reasons.join(' | '));

    // The endpoint serves again: the stream is back on the WebSocket within a few seconds (reconnect backoff).
    sim.control.breakWsConnects('off');
    const restoredAt = performance.now();
    const marker = stream.got.length;
    const backAt = await stream.waitFor((t) => t.source === 'websocket', 10_000, marker);
    expect(backAt, 'back on the WebSocket').toBeDefined();
    scenario.figure('back on the WebSocket after the endpoint serves again', (backAt ?? 0) - restoredAt, 'ms');
    expect(md.health().fallbacks).toEqual([]);
    expect(stream.error.value).toBeUndefined();
    expect(stream.disorder, 'no repeat or older ticker across a switch').toEqual([]);
    await stream.stop();
    await scenario.finish();
  });

  it('answers every upgrade with 418: the stream continues from REST within 3 s, typed refusal in health()', async () => {
    const scenario = await startScenario('websocket 418');
    const { sim } = scenario;
    // Upbit's 418 carries a block time nobody has published; one second here, so the return can be seen.
    sim.control.failWsUpgrades(418, Number.POSITIVE_INFINITY, { retryAfter: '1' });
    const md = scenario.open();
    const startedAt = performance.now();
    const stream = record(md.watchTickers(['KRW-BTC', 'KRW-ETH']));
    const fallbackAt = await stream.waitFor((t) => t.source === 'rest', FALLBACK_WITHIN_MS + 2_000);
    expect(fallbackAt, 'a REST tick').toBeDefined();
    scenario.figure('time to first fallback tick', (fallbackAt ?? 0) - startedAt, 'ms');
    expect((fallbackAt ?? 0) - startedAt).toBeLessThanOrEqual(FALLBACK_WITHIN_MS);
    const health = md.health();
    expect(health.channels.websocket?.refusal).toMatch(/^blocked: .*418/);
    expect(health.reasons).toContainEqual(expect.stringMatching(/^watchTickers on rest fallback for .*418/));

    // Held for the block time: the connects stay far below Upbit's limit meanwhile.
    await sleep(3_000);
    const during = sim.control.counters();
    scenario.figure('upgrades tried in 3 s of a 418 block', during.wsConnectAttempts);
    expect(during.wsConnectAttempts).toBeLessThanOrEqual(4);

    sim.control.failWsUpgrades(418, 0);
    const restoredAt = performance.now();
    const backAt = await stream.waitFor((t) => t.source === 'websocket', 10_000, stream.got.length);
    expect(backAt, 'back on the WebSocket').toBeDefined();
    scenario.figure('back on the WebSocket after the block', (backAt ?? 0) - restoredAt, 'ms');
    scenario.figure('stream ran', since(startedAt), 'ms');
    expect(stream.disorder, 'no repeat or older ticker across a switch').toEqual([]);
    await stream.stop();
    await scenario.finish();
  });
});
