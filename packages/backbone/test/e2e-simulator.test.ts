import { createUpbitRestSource, createUpbitWebSocketSource } from '@marketdata/adapters-upbit';
import { isUnknownSymbolError } from '@marketdata/domain';
import { MemoryLogger } from '@marketdata/domain/testing';
import { startUpbitSim, type UpbitSim } from '@marketdata/upbit-sim';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createMarketData, type MarketData } from '../src/index.js';
import { relativeDifference } from '../src/unifier/quality-checks.js';

// End to end on the real adapters against the local simulator, on the real clock (loopback only, random port).
const MARKETS = ['KRW-BTC', 'KRW-ETH', 'KRW-SOL'] as const;

let sim: UpbitSim | undefined;
let md: MarketData | undefined;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown): void => {
  unhandled.push(reason);
};
process.on('unhandledRejection', onUnhandled);
afterAll(() => {
  process.off('unhandledRejection', onUnhandled);
});

afterEach(async () => {
  await md?.close();
  await sim?.close();
  md = undefined;
  sim = undefined;
  expect(unhandled).toEqual([]);
});

async function start(): Promise<{ md: MarketData; sim: UpbitSim; logger: MemoryLogger }> {
  const logger = new MemoryLogger();
  sim = await startUpbitSim({ adminPort: false, markets: MARKETS, seed: 7 });
  const rest = createUpbitRestSource({ url: sim.restUrl, logger: logger.child({ channel: 'rest' }) });
  const websocket = createUpbitWebSocketSource({ url: sim.wsUrl, logger: logger.child({ channel: 'websocket' }) });
  md = createMarketData({ rest, websocket, logger });
  return { md, sim, logger };
}

describe('end to end on the simulator', () => {
  it('REST and WebSocket answers for the same symbol at the same moment differ by less than 0.1%', async () => {
    const { md: marketData } = await start();
    // Let the WebSocket hold a snapshot of every market first.
    for (const symbol of MARKETS) await marketData.getTicker(symbol, { source: 'websocket' });

    const differences: number[] = [];
    for (let round = 0; round < 5; round++) {
      for (const symbol of MARKETS) {
        const [rest, websocket] = await Promise.all([
          marketData.getTicker(symbol, { source: 'rest' }),
          marketData.getTicker(symbol, { source: 'websocket' }),
        ]);
        expect(rest.symbol).toBe(symbol);
        expect(rest.source).toBe('rest');
        expect(websocket.source).toBe('websocket');
        expect(rest.price).toBeGreaterThan(0);
        differences.push(relativeDifference(rest.price, websocket.price));
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const worst = Math.max(...differences);
    console.log(
      `REST vs WebSocket: ${differences.length} pairs, max difference ${(worst * 100).toFixed(4)}%, ` +
        `${differences.filter((difference) => difference === 0).length} identical`,
    );
    expect(differences).toHaveLength(15);
    expect(worst).toBeLessThan(0.001);
    const stats = marketData.stats();
    expect(stats.quality.issues['channel-disagreement']).toBe(0);
    expect(stats.quality.issues['price-outside-day-range']).toBe(0);
    expect(stats.quality.issues['future-timestamp']).toBe(0);
    expect(stats.errors.total).toBe(0);
  });

  it('moves a hot symbol to the WebSocket subscription at the simulator and answers batches per symbol', async () => {
    const { md: marketData, sim: simulator } = await start();
    const sources: string[] = [];
    // Requests every 50 ms: hot after the fifth; the adapter's stream then has to deliver the snapshot.
    for (let i = 0; i < 60 && sources.at(-1) !== 'websocket'; i++) {
      sources.push((await marketData.getTicker('KRW-BTC')).source);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(sources.slice(0, 4).every((source) => source === 'rest' || source === 'cache')).toBe(true);
    expect(sources.at(-1)).toBe('websocket');
    expect(
      simulator.control
        .subscriptions()
        .some((subscription) => subscription.type === 'ticker' && subscription.codes.includes('KRW-BTC')),
    ).toBe(true);
    expect(marketData.stats().routing.subscriptions.promotions).toBe(1);

    const results = await marketData.getTickers(['KRW-ETH', 'KRW-NOPE', 'KRW-SOL']);
    expect(results.map((result) => result.ok)).toEqual([true, false, true]);
    const unknown = results[1];
    expect(unknown?.ok === false && isUnknownSymbolError(unknown.error)).toBe(true);
    expect(marketData.health().status).toBe('ok');
  });
});
