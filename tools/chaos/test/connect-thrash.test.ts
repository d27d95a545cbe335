import { describe, expect, it } from 'vitest';
import { since, startScenario } from './support/scenario.js';

// Consumers that open and drop streams in a tight loop must not turn into connect storms (Upbit: 5 connects a second
// per IP, then 429, then 418) or subscription storms (5 requests a second and 100 a minute per connection).

const FIRST_TICK_WITHIN_MS = 3_000;
const THRASH_MARKETS = [
  'KRW-XRP',
  'KRW-BTC',
  'KRW-ICP',
  'KRW-ETH',
  'KRW-USDT',
  'KRW-FLOW',
  'KRW-ICX',
  'KRW-DOGE',
  'KRW-SOL',
  'KRW-BSV',
  'KRW-COMP',
  'KRW-ARDR',
  'KRW-SIGN',
  'KRW-KITE',
  'KRW-AKT',
  'KRW-SXP',
  'KRW-LA',
  'KRW-SAHARA',
  'KRW-SHIB',
  'KRW-SUI',
  'KRW-ADA',
  'KRW-ONG',
  'KRW-VTHO',
  'KRW-VIRTUAL',
  'KRW-ENSO',
  'KRW-IP',
  'KRW-FIL',
  'KRW-EDGE',
  'KRW-SEI',
  'KRW-MANTRA',
];

async function firstTick(stream: AsyncIterableIterator<unknown>): Promise<number> {
  const startedAt = performance.now();
  const timer = setTimeout(() => void stream.return?.(), FIRST_TICK_WITHIN_MS + 2_000);
  try {
    for await (const _ of stream) break;
  } finally {
    clearTimeout(timer);
  }
  return since(startedAt);
}

describe('streams opened and dropped in a loop', () => {
  it('100 x "take the first tick, then break": every one answered within 3 s, no connect storm', async () => {
    const scenario = await startScenario('first tick then break x100');
    const md = scenario.open();
    const waits: number[] = [];
    const startedAt = performance.now();
    for (let i = 0; i < 100; i++) waits.push(await firstTick(md.watchTickers(['KRW-BTC'])));
    const elapsed = since(startedAt);
    const counters = scenario.sim.control.counters();
    scenario.figure('iterations', waits.length);
    scenario.figure('longest wait for a first tick', Math.max(...waits), 'ms');
    scenario.figure('WebSocket connections opened', counters.wsConnections);
    scenario.figure('subscription requests received', counters.wsMessagesReceived);
    scenario.figure('loop took', elapsed, 'ms');
    expect(Math.max(...waits)).toBeLessThanOrEqual(FIRST_TICK_WITHIN_MS);
    expect(counters.wsConnections).toBeLessThanOrEqual(2);
    expect(counters.wsMessagesReceived).toBeLessThanOrEqual(5);
    await scenario.finish();
  });

  it('subscribe / unsubscribe thrash over 30 symbols for 10 s: requests paced, sockets reused', async () => {
    const scenario = await startScenario('subscription thrash', THRASH_MARKETS);
    const md = scenario.open();
    const startedAt = performance.now();
    let opened = 0;
    let longest = 0;
    while (since(startedAt) < 10_000) {
      // A new combination each time: a ticker stream over three symbols and a trade stream over another.
      const at = (offset: number): string => THRASH_MARKETS[(opened * 7 + offset) % THRASH_MARKETS.length] ?? '';
      longest = Math.max(longest, await firstTick(md.watchTickers([at(0), at(11), at(19)])));
      const trades = md.watchTrades([at(5)]);
      await trades.return?.();
      opened++;
    }
    const seconds = since(startedAt) / 1000;
    const counters = scenario.sim.control.counters();
    scenario.figure('streams opened and dropped', opened * 2);
    scenario.figure('socket opens per second', counters.wsConnections / seconds);
    scenario.figure('subscription requests per second', counters.wsMessagesReceived / seconds);
    scenario.figure('longest wait for a first tick', longest, 'ms');
    expect(longest).toBeLessThanOrEqual(FIRST_TICK_WITHIN_MS);
    expect(counters.wsConnections).toBeLessThanOrEqual(2);
    // Upbit allows 5 a second and 100 a minute per connection.
    expect(counters.wsMessagesReceived / seconds).toBeLessThanOrEqual(5);
    expect(counters.wsMessagesReceived).toBeLessThanOrEqual(100);
    await scenario.finish();
  });
});
