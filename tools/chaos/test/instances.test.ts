import type { MarketData } from '@marketdata/backbone';
import { isMarketDataError } from '@marketdata/domain';
import { describe, expect, it } from 'vitest';
import { MARKETS, record, since, sleep, startScenario } from './support/scenario.js';

// Three `MarketData` instances in one process for 30 s, each streaming tickers and trades, asking hot and cold
// symbols every 100 ms (one of them straight from REST) and REST batches every 500 ms: together they ask REST for
// more than Upbit's 10 a second. Upbit counts per IP: together they must stay within one budget
// (no 429, no 418), and connect no more than 5 times in any second.

const SECONDS = 30;
const INSTANCES = 3;

interface Load {
  calls: number;
  answered: number;
  readonly errors: Map<string, number>;
}

function keepAsking(md: MarketData, load: Load, stop: AbortSignal): Promise<void> {
  const ask = async (call: () => Promise<unknown>): Promise<void> => {
    load.calls++;
    try {
      await call();
      load.answered++;
    } catch (error) {
      const code = isMarketDataError(error) ? error.code : 'untyped';
      load.errors.set(code, (load.errors.get(code) ?? 0) + 1);
    }
  };
  return (async () => {
    for (let round = 0; !stop.aborted; round++) {
      const cold = MARKETS[round % MARKETS.length] ?? 'KRW-ADA';
      const pending = [
        ask(() => md.getTicker('KRW-BTC')),
        ask(() => md.getTicker(cold)),
        // Straight to REST, whatever is cached or streamed: each instance alone would ask ~10 a second.
        ask(() => md.getTicker(cold, { source: 'rest' })),
      ];
      if (round % 5 === 0) pending.push(ask(() => md.getTickers([...MARKETS], { source: 'rest' })));
      await Promise.all(pending);
      await sleep(100);
    }
  })();
}

describe(`${INSTANCES} MarketData instances in one process`, () => {
  it(`share one REST budget and one connect governor for ${SECONDS} s: no 429, no 418, at most 5 connects a second`, async () => {
    const scenario = await startScenario(`${INSTANCES} instances for ${SECONDS} s`);
    const stop = new AbortController();
    const loads: Load[] = [];
    const loops: Promise<void>[] = [];
    const streams: ReturnType<typeof record>[] = [];
    const trades: AsyncIterableIterator<unknown>[] = [];
    const startedAt = performance.now();
    for (let i = 0; i < INSTANCES; i++) {
      const md = scenario.open();
      const load: Load = { calls: 0, answered: 0, errors: new Map() };
      loads.push(load);
      streams.push(record(md.watchTickers([...MARKETS])));
      const tradeStream = md.watchTrades(['KRW-BTC', 'KRW-ETH']);
      trades.push(tradeStream);
      loops.push(
        (async () => {
          for await (const _ of tradeStream) if (stop.signal.aborted) break;
        })(),
      );
      loops.push(keepAsking(md, load, stop.signal));
    }
    await sleep(SECONDS * 1000);
    stop.abort();
    await Promise.all(trades.map((stream) => stream.return?.()));
    await Promise.all(loops);
    const ran = since(startedAt) / 1000;
    const calls = loads.reduce((sum, load) => sum + load.calls, 0);
    const answered = loads.reduce((sum, load) => sum + load.answered, 0);
    const errors: Record<string, number> = {};
    for (const load of loads) for (const [code, count] of load.errors) errors[code] = (errors[code] ?? 0) + count;
    const counters = scenario.sim.control.counters();
    scenario.figure('facade calls', calls);
    scenario.figure('answered', answered);
    scenario.figure('call errors', JSON.stringify(errors));
    scenario.figure('REST requests per second, by group', JSON.stringify(perSecond(counters.requestsByGroup, ran)));
    scenario.figure(
      'tickers streamed',
      streams.reduce((sum, stream) => sum + stream.got.length, 0),
    );
    expect(answered / calls).toBeGreaterThan(0.99);
    for (const stream of streams) {
      expect(stream.error.value).toBeUndefined();
      expect(stream.got.length).toBeGreaterThan(SECONDS);
      await stream.stop();
    }
    await scenario.finish();
  });
});

function perSecond(counts: Readonly<Record<string, number>>, seconds: number): Record<string, number> {
  return Object.fromEntries(
    Object.entries(counts).map(([group, count]) => [group, Math.round((count / seconds) * 10) / 10]),
  );
}
