import type { Trade } from '@marketdata/domain';
import { describe, expect, it } from 'vitest';
import { MARKETS, since, sleep, startScenario } from './support/scenario.js';

// Trades the WebSocket misses (every connection dropped, 2% of frames unusable) are fetched from REST afterwards and
// delivered in order among the streamed ones, marked `backfilled`, none twice. The simulator's per-market trade
// sequence (the last four digits of `sequential_id`, a simulator convention) tells whether any is missing.

const SEQ_MODULO = 10_000;

describe('trades missed by the stream', () => {
  it('are backfilled from REST in order, none twice, through drops and unusable frames', async () => {
    const scenario = await startScenario('trade gaps backfilled');
    const { sim } = scenario;
    const md = scenario.open();
    const trades = md.watchTrades([...MARKETS]);
    const bySymbol = new Map<string, Trade[]>();
    const loop = (async () => {
      for await (const trade of trades) {
        const list = bySymbol.get(trade.symbol) ?? [];
        list.push(trade);
        bySymbol.set(trade.symbol, list);
      }
    })();
    await sleep(2_000);
    sim.control.setMalformedRatio(0.02);
    for (let drop = 0; drop < 3; drop++) {
      await sleep(2_000);
      sim.control.dropConnections();
    }
    await sleep(2_000);
    sim.control.setMalformedRatio(0);
    for (const code of MARKETS) sim.control.freezeMarket(code, true);
    const ends = new Map(MARKETS.map((code) => [code, sim.control.market(code)?.lastTradeSeq ?? 0]));
    const tailStartedAt = performance.now();
    const reached = (): boolean =>
      MARKETS.every((code) => {
        const last = bySymbol.get(code)?.at(-1);
        return last === undefined || Number(last.sequentialId.slice(-4)) === (ends.get(code) ?? 0) % SEQ_MODULO;
      });
    while (!reached() && since(tailStartedAt) < 15_000) await sleep(50);
    scenario.figure('tail until every owed trade arrived', since(tailStartedAt), 'ms');
    await trades.return?.();
    await loop;

    let delivered = 0;
    let backfilled = 0;
    const holes: string[] = [];
    for (const [code, list] of bySymbol) {
      delivered += list.length;
      backfilled += list.filter((trade) => trade.backfilled === true).length;
      for (let i = 1; i < list.length; i++) {
        const step =
          (Number(list[i]?.sequentialId.slice(-4)) - Number(list[i - 1]?.sequentialId.slice(-4)) + SEQ_MODULO) %
          SEQ_MODULO;
        if (step !== 1)
          holes.push(`${code} #${list[i - 1]?.sequentialId.slice(-4)} then #${list[i]?.sequentialId.slice(-4)}`);
      }
    }
    const counters = sim.control.counters();
    scenario.figure('trades delivered', delivered);
    scenario.figure('of them backfilled from REST', backfilled);
    scenario.figure('malformed frames sent', counters.malformedFramesSent);
    scenario.figure('holes or repeats in the per-market sequence', holes.length);
    scenario.figure('trade requests to REST', counters.requestsByGroup['crix-trades'] ?? 0);
    expect(backfilled).toBeGreaterThan(0);
    expect(holes).toEqual([]);
    expect(md.stats().streams.backfillsAbandoned).toBe(0);
    await scenario.finish();
  });
});
