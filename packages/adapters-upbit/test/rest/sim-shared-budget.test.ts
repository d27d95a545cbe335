import { type Clock, createSeededRandom, type MarketCode, sleep } from '@marketdata/domain';
import { FakeClock } from '@marketdata/domain/testing';
import { startUpbitSim, type UpbitSim } from '@marketdata/upbit-sim';
import { afterEach, describe, expect, it } from 'vitest';
import { createRestBudgets, processRestBudgets, type RestBudgets } from '../../src/rest/http/rest-budgets.js';
import { createUpbitRestSource, type UpbitRestSource } from '../../src/rest/index.js';
import { settleWithClock } from './support/drive-clock.js';

const RUN_MS = 30_000;

let sim: UpbitSim | undefined;
let sources: UpbitRestSource[] = [];
afterEach(async () => {
  for (const source of sources) await source.close();
  sources = [];
  await sim?.close();
  sim = undefined;
});

/** One source's workload: tickers, order books and trades, each call as soon as the previous one settled. */
async function busy(source: UpbitRestSource, codes: readonly MarketCode[], clock: Clock, seed: number) {
  const random = createSeededRandom(seed);
  const pick = (): MarketCode => codes[Math.floor(random.next() * codes.length)] as MarketCode;
  const endAt = clock.monotonic() + RUN_MS;
  const loop = async (call: () => Promise<unknown>): Promise<number> => {
    let failures = 0;
    while (clock.monotonic() < endAt) {
      const failed = await call().then(
        () => false,
        () => true,
      );
      if (!failed) continue;
      failures++;
      await sleep(clock, 100); // a failure (a 418 fails fast) must not spin the loop without time passing
    }
    return failures;
  };
  const failures = await Promise.all([
    loop(() => source.getTicker(pick())),
    loop(async () => {
      // Batches answer per symbol: a failed symbol counts as a failed call (it must not spin the loop either).
      const failed = (await source.getTickers([pick(), pick(), pick()])).find((result) => !result.ok);
      if (failed !== undefined && !failed.ok) throw failed.error;
    }),
    loop(() => source.getOrderBook(pick())),
    loop(() => source.getTrades(pick(), { count: 5 })),
  ]);
  return failures.reduce((sum, count) => sum + count, 0);
}

async function runThreeSources(budgetsFor: (index: number) => RestBudgets | undefined) {
  const clock = new FakeClock();
  sim = await startUpbitSim({ clock, adminPort: false, seed: 5 }); // Upbit's limits on: 10/s per group
  const codes = sim.control
    .marketCodes()
    .filter((code) => code.startsWith('KRW-'))
    .slice(0, 40) as MarketCode[];
  sources = [0, 1, 2].map((index) =>
    createUpbitRestSource({
      url: sim?.restUrl,
      clock,
      random: createSeededRandom(100 + index),
      budgets: budgetsFor(index),
      maxRetries: 3,
    }),
  );
  const work = Promise.all(sources.map((source, index) => busy(source, codes, clock, index + 1)));
  const outcome = await settleWithClock(work, clock, { stepMs: 5, ioTurns: 2, maxSteps: 20_000 });
  if (!outcome.ok) throw outcome.error;
  return { counters: sim.control.counters(), callerFailures: outcome.value.reduce((sum, count) => sum + count, 0) };
}

describe('one REST budget per process and host, against the simulator (limits on, fake clock)', () => {
  it('three sources of one process, 30 s of steady load on three groups: zero 429, zero 418', async () => {
    const { counters, callerFailures } = await runThreeSources(() => undefined); // the process-wide budgets
    const requests = Object.values(counters.requestsByGroup).reduce((sum, count) => sum + count, 0);
    // Close to the budget of the three groups used for 30 s: the load really pressed on the limits.
    expect(counters.requestsByGroup.ticker).toBeGreaterThan(250);
    expect(counters.requestsByGroup.orderbook).toBeGreaterThan(250);
    expect(counters.requestsByGroup['crix-trades']).toBeGreaterThan(250);
    expect(requests).toBeLessThanOrEqual(3 * 10 * 31 + 10); // 10/s per group: the budget of one IP
    expect({ sent429: counters.sent429, sent418: counters.sent418, callerFailures }).toEqual({
      sent429: 0,
      sent418: 0,
      callerFailures: 0,
    });
    expect(processRestBudgets.origins()).toContain(sim?.restUrl.replace(/\/$/, ''));
  });

  it('control: the same load with a budget per source (each pacing alone) draws 429s from the simulator', async () => {
    const { counters } = await runThreeSources(() => createRestBudgets());
    expect(counters.sent429).toBeGreaterThan(0);
  });
});
