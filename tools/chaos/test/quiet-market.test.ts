import { describe, expect, it } from 'vitest';
import { record, sleep, startScenario } from './support/scenario.js';

// A market that does not trade is not a stalled feed. With default settings its silence must not be labelled stale
// while the connection delivers other markets, and alone on its connection REST settles it: asked a few times, less
// and less often, never a stream stuck on fallback for a quiet market.

describe('a quiet market', () => {
  it('is not labelled stale while the connection delivers other markets', async () => {
    const scenario = await startScenario('quiet market beside a busy one');
    scenario.sim.control.freezeMarket('KRW-ADA', true);
    const md = scenario.open();
    const stream = record(md.watchTickers(['KRW-BTC', 'KRW-ADA']));
    await sleep(6_000);
    const health = md.health();
    const quiet = stream.got.filter((entry) => entry.ticker.symbol === 'KRW-ADA');
    scenario.figure('quiet market tickers handed out in 6 s', quiet.length);
    scenario.figure('health after 6 s', `${health.status} ${health.reasons.join(' | ')}`);
    expect(quiet.length).toBeGreaterThanOrEqual(1);
    expect(quiet.every((entry) => entry.ticker.quality === 'high')).toBe(true);
    expect(health).toMatchObject({ status: 'ok', fallbacks: [] });
    expect(scenario.sim.control.counters().requestsByGroup.ticker ?? 0).toBe(0);
    await stream.stop();
    await scenario.finish();
  });

  it('alone on its connection, is settled by REST with fewer and fewer requests', async () => {
    const scenario = await startScenario('quiet market alone');
    scenario.sim.control.freezeMarket('KRW-ADA', true);
    const md = scenario.open();
    const stream = record(md.watchTickers(['KRW-ADA']));
    const polls: number[] = [];
    const startedAt = performance.now();
    for (let elapsed = 0; elapsed < 15_000; elapsed += 250) {
      await sleep(250);
      const asked = scenario.sim.control.counters().requestsByGroup.ticker ?? 0;
      while (polls.length < asked) polls.push(Math.round(performance.now() - startedAt));
    }
    const health = md.health();
    scenario.figure('REST ticker requests in 15 s, at (ms)', polls.join(', '));
    scenario.figure('health after 15 s', `${health.status} ${health.reasons.join(' | ')}`);
    expect(polls.length).toBeGreaterThanOrEqual(1);
    expect(polls.length).toBeLessThanOrEqual(3);
    // The quiet market handed out its one state and nothing more: REST repeated it, no stand-in value was invented.
    expect(stream.got.length).toBe(1);
    expect(stream.disorder).toEqual([]);
    await stream.stop();
    await scenario.finish();
  });
});
