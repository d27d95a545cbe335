import { isUnknownSymbolError, type MarketCode } from '@marketdata/domain';
import { DEFAULT_RATE_LIMITS } from '@marketdata/upbit-sim';
import { afterEach, describe, expect, it } from 'vitest';
import { chunkByUrlLength } from '../../src/rest/source/chunk-by-url-length.js';
import { callerDeadline, settleWithClock, successOf } from './support/drive-clock.js';
import { type SimHarness, type SimHarnessOptions, startSimHarness } from './support/sim-harness.js';

let harness: SimHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

async function start(options: SimHarnessOptions = {}): Promise<SimHarness> {
  harness = await startSimHarness(options);
  return harness;
}

const requests = (h: SimHarness, group: string): number => h.sim.control.counters().requestsByGroup[group] ?? 0;
const settle = <T>(h: SimHarness, promise: Promise<T>) => settleWithClock(promise, h.clock, { stepMs: 5, ioTurns: 3 });
/** Lets fake time pass with real I/O in between, to see whether anything still reaches the simulator. */
const idle = (h: SimHarness, ms: number) =>
  settleWithClock(new Promise((resolve) => h.clock.setTimeout(() => resolve(undefined), ms)), h.clock, {
    stepMs: 50,
    ioTurns: 3,
    maxSteps: ms / 50 + 10,
  });

/** `count` codes: every tenth one listed by the simulator, the others unknown to it. */
function mostlyUnknown(h: SimHarness, count: number, prefix: string): MarketCode[] {
  const listed = h.sim.control.marketCodes();
  return Array.from({ length: count }, (_, index) =>
    index % 10 === 0 ? (listed[(index / 10) % listed.length] as string) : `KRW-${prefix}${index}`,
  ) as MarketCode[];
}

describe('unknown symbols against the simulator (404 for the whole batch when any code is unknown)', () => {
  it('1,000 codes, 900 unknown: every one answered, in a few requests within the budget, no 429/418', async () => {
    const h = await start();
    const input = mostlyUnknown(h, 1000, 'ZZ');
    const listed = new Set(h.sim.control.marketCodes());
    for (const code of input) if (listed.has(code)) h.sim.control.freezeMarket(code, true);
    const timeoutMs = 5000;
    const deadline = callerDeadline(h.clock, timeoutMs);

    const results = successOf(await settle(h, h.source.getTickers(input, { signal: deadline.signal })));
    deadline.dispose();

    expect(results.map((result) => result.symbol)).toEqual(input);
    for (const result of results) {
      if (listed.has(result.symbol)) {
        expect(result.ok, result.symbol).toBe(true);
        if (result.ok) expect(result.value.price).toBe(h.sim.control.market(result.symbol)?.tradePrice);
      } else {
        expect(result.ok).toBe(false);
        if (!result.ok) {
          expect(isUnknownSymbolError(result.error), result.symbol).toBe(true);
          expect(result.error).toMatchObject({ symbol: result.symbol, status: 404, upstreamMessage: 'Code not found' });
        }
      }
    }
    const urlChunks = chunkByUrlLength(
      input,
      2000,
      (run) => h.source.client.urlFor('/v1/ticker', { markets: run }).length,
    ).length;
    const tickerRequests = requests(h, 'ticker');
    // Each URL-length chunk: the 404, then once more with its listed codes only. One market list for all.
    expect(tickerRequests).toBeLessThanOrEqual(2 * urlChunks);
    expect(requests(h, 'market')).toBe(1);
    const budget = DEFAULT_RATE_LIMITS.perGroup * Math.floor(timeoutMs / DEFAULT_RATE_LIMITS.windowMs);
    expect(tickerRequests).toBeLessThanOrEqual(budget);
    const counters = h.sim.control.counters();
    expect({ sent429: counters.sent429, sent418: counters.sent418 }).toEqual({ sent429: 0, sent418: 0 });
    await idle(h, 5000);
    expect(requests(h, 'ticker')).toBe(tickerRequests);
  });

  it('the market list is loaded once, reused until it expires, and refreshed by getMarkets', async () => {
    const h = await start({ marketListTtlMs: 60_000 });
    const ask = async (prefix: string) => successOf(await settle(h, h.source.getTickers(mostlyUnknown(h, 20, prefix))));
    const oks = (results: Awaited<ReturnType<typeof ask>>) => results.filter((result) => result.ok).length;

    expect(oks(await ask('A'))).toBe(2);
    expect(requests(h, 'market')).toBe(1);
    expect(requests(h, 'ticker')).toBe(2); // the 404, then the listed codes only

    expect(oks(await ask('B'))).toBe(2);
    expect(requests(h, 'market')).toBe(1); // reused
    expect(requests(h, 'ticker')).toBe(4);

    await idle(h, 60_000);
    expect(oks(await ask('C'))).toBe(2);
    expect(requests(h, 'market')).toBe(2); // expired: loaded again

    await idle(h, 60_000);
    const markets = successOf(await settle(h, h.source.getMarkets()));
    expect(markets).toHaveLength(h.sim.control.marketCodes().length);
    expect(oks(await ask('D'))).toBe(2);
    expect(requests(h, 'market')).toBe(3); // getMarkets' answer was reused
    expect(h.sim.control.counters().sent429).toBe(0);
  });
});
