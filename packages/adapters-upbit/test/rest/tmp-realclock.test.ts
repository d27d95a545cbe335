import { startUpbitSim } from '@marketdata/upbit-sim';
import { expect, it } from 'vitest';
import { createUpbitRestSource } from '../../src/rest/index.js';
import type { MarketCode } from '@marketdata/domain';

it('real clock pacing: 80 trade requests + 80 order books at once', async () => {
  const sim = await startUpbitSim({ adminPort: false, seed: 7 });
  const source = createUpbitRestSource({ baseUrl: sim.restUrl });
  const codes = sim.control.marketCodes().slice(0, 80) as MarketCode[];
  // Busy the event loop now and then, like a loaded process.
  const busy = setInterval(() => { const end = performance.now() + 40; while (performance.now() < end); }, 70);
  const t0 = performance.now();
  await Promise.all([...codes.map((c) => source.getTrades(c, { count: 1 })), ...codes.map((c) => source.getOrderBook(c))]);
  clearInterval(busy);
  const c = sim.control.counters();
  console.log('RESULT', c.requestsByGroup, c.responsesByStatus, Math.round(performance.now() - t0), 'ms');
  expect(c.sent429).toBe(0);
  await source.close();
  await sim.close();
}, 60_000);
