import type { MarketCode, Ticker } from '@marketdata/domain';
import { FakeClock, flushMicrotasks } from '@marketdata/domain/testing';
import { describe, expect, it } from 'vitest';
import { demandLabel, planDemand, startDemandDriver } from '../src/app/demand-driver.js';
import { gradedTicker, recordedRestTickers } from './support/fixture-tickers.js';

const recorded = recordedRestTickers('rest-ticker-all-quote-krw.json');
const symbols = recorded.slice(0, 8).map((raw) => raw.market as MarketCode);
const tickerFor = (symbol: MarketCode): Ticker =>
  gradedTicker(recorded.find((raw) => raw.market === symbol) ?? expect.unreachable(symbol), {
    source: 'websocket',
    quality: 'high',
    confidence: 1,
  });

describe('planDemand', () => {
  it('asks the first few symbols at twice the hot rate and the rest at a quarter of it', () => {
    const plan = planDemand(symbols, 0.5);
    expect(plan.hot).toEqual(symbols.slice(0, 4));
    expect(plan.cold).toEqual(symbols.slice(4));
    expect(1000 / plan.hotIntervalMs).toBe(2 * 0.5);
    expect(1000 / plan.coldIntervalMs).toBe(0.5 / 4);
  });

  it('caps the hot group at 5 and keeps intervals within bounds', () => {
    const many = recorded.slice(0, 40).map((raw) => raw.market as MarketCode);
    expect(planDemand(many, 0.5).hot).toHaveLength(5);
    const eager = planDemand(many, 100);
    expect(eager.hotIntervalMs).toBe(200);
    expect(eager.coldIntervalMs).toBe(800);
    expect(planDemand(symbols.slice(0, 1), 0.5)).toMatchObject({ hot: symbols.slice(0, 1), cold: [] });
  });

  it('labels rates for the table', () => {
    expect([1000, 8000, 500].map(demandLabel)).toEqual(['1/s', '0.13/s', '2/s']);
  });
});

describe('startDemandDriver', () => {
  it('asks each group on its rhythm, reports results, and leaves no timer after stop', async () => {
    const clock = new FakeClock();
    const calls: MarketCode[] = [];
    const results: string[] = [];
    const driver = startDemandDriver({
      plan: { hot: symbols.slice(0, 2), cold: symbols.slice(2, 3), hotIntervalMs: 1000, coldIntervalMs: 4000 },
      clock,
      getTicker: async (symbol) => {
        calls.push(symbol);
        return tickerFor(symbol);
      },
      onResult: (symbol, demand, ticker) => results.push(`${symbol} ${demand} ${ticker.source}`),
      onError: () => expect.unreachable('no errors here'),
    });
    await clock.advanceAsync(4000);
    const count = (symbol: MarketCode | undefined) => calls.filter((call) => call === symbol).length;
    expect(count(symbols[0])).toBe(5); // t = 0, 1, 2, 3, 4 s
    expect(count(symbols[1])).toBe(5);
    expect(count(symbols[2])).toBe(2); // t = 0, 4 s
    expect(results).toContain(`${symbols[0]} 1/s websocket`);
    expect(results).toContain(`${symbols[2]} 0.25/s websocket`);
    driver.stop();
    expect(clock.pendingTimerCount()).toBe(0);
  });

  it('skips a symbol whose request is still in flight, reports failures, and aborts requests on stop', async () => {
    const clock = new FakeClock();
    let asked = 0;
    const aborted: unknown[] = [];
    const errors: string[] = [];
    const driver = startDemandDriver({
      plan: { hot: symbols.slice(0, 1), cold: [], hotIntervalMs: 1000, coldIntervalMs: 4000 },
      clock,
      getTicker: (_symbol, signal) => {
        asked++;
        if (asked === 1) return Promise.reject(new Error('rate limited'));
        return new Promise<Ticker>((_resolve, reject) => {
          signal.addEventListener('abort', () => {
            aborted.push(signal.reason);
            reject(signal.reason);
          });
        });
      },
      onResult: () => expect.unreachable('nothing resolves'),
      onError: (symbol, demand, error) => errors.push(`${symbol} ${demand} ${String(error)}`),
    });
    await clock.advanceAsync(3000);
    expect(errors).toEqual([`${symbols[0]} 1/s Error: rate limited`]);
    expect(asked).toBe(2); // the second request never settles, so t = 2 s and 3 s are skipped
    driver.stop();
    await flushMicrotasks();
    expect(aborted).toHaveLength(1);
    expect(errors).toHaveLength(1); // failures after stop are not reported
    expect(clock.pendingTimerCount()).toBe(0);
  });
});
