import { isMarketDataError } from '@marketdata/domain';
import { describe, expect, it } from 'vitest';
import { since, startScenario } from './support/scenario.js';

// REST answers that try to hurt the client: a 429 whose Retry-After overflows Node's timers (3 000 000 s, or 400
// digits), and a 120 MiB body. Every call must end within its deadline with a value or a typed error, no timer may
// overflow (no process warning), and memory stays bounded.

const WITHIN_MS = 3_000;

/** The outcome of one facade call: what it gave and how long it took. */
async function timed<T>(call: () => Promise<T>): Promise<{ readonly ms: number; readonly outcome: string }> {
  const startedAt = performance.now();
  try {
    const value = (await call()) as { readonly source?: string; readonly quality?: string };
    return { ms: since(startedAt), outcome: `${value.source}/${value.quality}` };
  } catch (error) {
    return { ms: since(startedAt), outcome: isMarketDataError(error) ? error.code : `untyped ${String(error)}` };
  }
}

describe('hostile REST answers', () => {
  it.each([
    ['3000000', '3000000'],
    ['a 400-digit number', '9'.repeat(400)],
  ])('a 429 with Retry-After %s: answered within 3 s, nothing overflows', async (label, retryAfter) => {
    const scenario = await startScenario(`Retry-After ${label}`);
    const md = scenario.open();
    await md.getTicker('KRW-ETH');
    scenario.sim.control.failRest('ticker', 429, 1, { retryAfter });
    const first = await timed(() => md.getTicker('KRW-BTC'));
    const second = await timed(() => md.getTicker('KRW-XRP'));
    scenario.figure('first call after the 429', `${first.outcome} in ${Math.round(first.ms)} ms`);
    scenario.figure('next call', `${second.outcome} in ${Math.round(second.ms)} ms`);
    for (const call of [first, second]) {
      expect(call.outcome).not.toMatch(/^untyped/);
      expect(call.ms).toBeLessThanOrEqual(WITHIN_MS);
    }
    const health = md.health();
    scenario.figure('health', `${health.status}: ${health.reasons.join(' | ')}`);
    await scenario.finish();
  });

  it('a 120 MiB body is cut off: a typed error or another channel within 3 s, memory bounded', async () => {
    const scenario = await startScenario('120 MiB body');
    const md = scenario.open();
    await md.getTicker('KRW-ETH');
    const rssBefore = process.memoryUsage().rss;
    scenario.sim.control.hugeBodies(120 * 1024 * 1024, 1, 'ticker');
    const call = await timed(() => md.getTicker('KRW-BTC', { source: 'rest' }));
    const rssGrown = process.memoryUsage().rss - rssBefore;
    scenario.figure('call with the huge body', `${call.outcome} in ${Math.round(call.ms)} ms`);
    scenario.figure('RSS grown during the call', rssGrown / 1_048_576, 'MB');
    expect(call.outcome).toBe('PAYLOAD_TOO_LARGE');
    expect(call.ms).toBeLessThanOrEqual(WITHIN_MS);
    expect(rssGrown).toBeLessThan(64 * 1024 * 1024);
    const bytesSent = scenario.sim.control.counters().hugeBodyBytesSent;
    scenario.figure('bytes the simulator managed to send', bytesSent / 1_048_576, 'MB');
    const next = await timed(() => md.getTicker('KRW-BTC'));
    expect(next.outcome).toMatch(/^(rest|websocket|cache)\//);
    await scenario.finish();
  });
});
