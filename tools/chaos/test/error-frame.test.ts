import { describe, expect, it } from 'vitest';
import { record, sleep, startScenario } from './support/scenario.js';

// Upbit answers the subscription with an error frame, then closes with 1000 — every time. The same refused request
// must not be re-sent forever (it was, 2.4 times a second): it is given up after a few tries, the listeners hear a
// typed error, and an `auto` stream goes on from REST within 3 s.

const WITHIN_MS = 3_000;

describe('an error frame answers every subscription', () => {
  it('gives the refused request up, continues from REST within 3 s, and names the refusal in health()', async () => {
    const scenario = await startScenario('error frame then close 1000');
    const { sim } = scenario;
    sim.control.rejectSubscriptions({ name: 'INVALID_PARAM', message: 'Refused by the test' });
    const md = scenario.open();
    const startedAt = performance.now();
    const stream = record(md.watchTickers(['KRW-BTC']));
    const fallbackAt = await stream.waitFor((t) => t.source === 'rest', WITHIN_MS + 2_000);
    expect(fallbackAt, 'a REST tick').toBeDefined();
    scenario.figure('time to first fallback tick', (fallbackAt ?? 0) - startedAt, 'ms');
    expect((fallbackAt ?? 0) - startedAt).toBeLessThanOrEqual(WITHIN_MS);
    const fallback = stream.got.find((entry) => entry.ticker.source === 'rest')?.ticker;
    expect(fallback?.qualityNotes[0]).toMatch(/^fallback from websocket: UpstreamError: .*INVALID_PARAM/);

    // 15 s on: the refused request was sent a bounded number of times, then never again; REST keeps the stream up.
    await sleep(15_000);
    const counters = sim.control.counters();
    scenario.figure('subscription requests in 15 s', counters.wsMessagesReceived);
    scenario.figure('requests refused with an error frame', counters.wsSubscriptionsRejected);
    scenario.figure('WebSocket connections opened', counters.wsConnections);
    expect(counters.wsSubscriptionsRejected).toBeLessThanOrEqual(3);
    expect(counters.wsMessagesReceived).toBeLessThanOrEqual(3);
    expect(counters.wsConnections).toBeLessThanOrEqual(4);
    const rest = stream.got.filter((entry) => entry.ticker.source === 'rest');
    scenario.figure('REST ticks handed out in 15 s', rest.length);
    expect(rest.length).toBeGreaterThan(5);
    const health = md.health();
    scenario.figure('health', health.reasons.join(' | '));
    expect(health.status).toBe('degraded');
    expect(health.reasons).toContainEqual(expect.stringMatching(/^watchTickers on rest fallback for KRW-BTC/));
    expect(stream.error.value).toBeUndefined();
    expect(stream.disorder, 'no repeat or older ticker across a switch').toEqual([]);
    await stream.stop();
    await scenario.finish();
  });

  it('ends a strict WebSocket stream with the typed refusal', async () => {
    const scenario = await startScenario('error frame, strict stream');
    scenario.sim.control.rejectSubscriptions({ name: 'INVALID_PARAM', message: 'Refused by the test' });
    const md = scenario.open();
    const startedAt = performance.now();
    const stream = record(md.watchTickers(['KRW-BTC'], { source: 'websocket', strict: true }));
    await stream.waitFor(() => false, WITHIN_MS);
    const error = stream.error.value as { readonly code?: string; readonly upstreamName?: string } | undefined;
    scenario.figure('strict stream ended with', `${error?.code} ${error?.upstreamName}`);
    expect(error).toMatchObject({ code: 'UPSTREAM', upstreamName: 'INVALID_PARAM' });
    expect(stream.got).toEqual([]);
    scenario.figure('ended after', performance.now() - startedAt, 'ms');
    expect(stream.disorder, 'no repeat or older ticker across a switch').toEqual([]);
    await stream.stop();
    await scenario.finish();
  });
});
