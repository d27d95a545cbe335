import { isConfigError } from '@marketdata/domain';
import { FakeClock } from '@marketdata/domain/testing';
import { fixtureText } from '@marketdata/fixtures';
import { afterEach, describe, expect, it } from 'vitest';
import { createRestBudgets, processRestBudgets } from '../../src/rest/http/rest-budgets.js';
import { UpbitRestClient } from '../../src/rest/index.js';
import { maxInWindow } from './support/client-harness.js';
import { settleWithClock, successOf } from './support/drive-clock.js';
import { fakeUpbitFetch, remainingReq } from './support/fake-upbit-fetch.js';

const TRADES = fixtureText('rest-trades-ticks-krw-btc.json');
const open: UpbitRestClient[] = [];
afterEach(() => {
  for (const client of open.splice(0)) client.close();
});

function client(options: ConstructorParameters<typeof UpbitRestClient>[0]): UpbitRestClient {
  const created = new UpbitRestClient(options);
  open.push(created);
  return created;
}

describe('one REST budget per process and host', () => {
  it('two clients of one origin share one pacer per group: together they never exceed the group budget', async () => {
    const clock = new FakeClock();
    const fetch = fakeUpbitFetch(() => ({ body: TRADES, headers: remainingReq('crix-trades', 9) }), clock);
    const budgets = createRestBudgets();
    const a = client({ clock, fetch, budgets });
    const b = client({ clock, fetch, budgets });
    expect(a.pacer('crix-trades')).toBe(b.pacer('crix-trades'));
    const calls = Array.from({ length: 15 }, (_, index) => [a, b][index % 2]?.getTrades(`KRW-C${index}`));
    successOf(await settleWithClock(Promise.all(calls), clock, { stepMs: 5 }));
    const times = fetch.calls.map((call) => call.at);
    expect(times).toHaveLength(15);
    expect(maxInWindow(times, 1050)).toBeLessThanOrEqual(10);
    expect(times.filter((at) => at === 0)).toHaveLength(10);
  });

  it('clients of other origins have budgets of their own', () => {
    const clock = new FakeClock();
    const fetch = fakeUpbitFetch(() => ({ body: '[]' }), clock);
    const budgets = createRestBudgets();
    const a = client({ clock, fetch, budgets, url: 'http://127.0.0.1:9001' });
    const b = client({ clock, fetch, budgets, url: 'http://127.0.0.1:9002/' });
    const c = client({ clock, fetch, budgets, url: 'http://127.0.0.1:9001/gateway' });
    expect(a.pacer('ticker')).not.toBe(b.pacer('ticker'));
    expect(a.pacer('ticker')).toBe(c.pacer('ticker'));
    expect([...budgets.origins()].sort()).toEqual(['http://127.0.0.1:9001', 'http://127.0.0.1:9002']);
  });

  it('a client with other limits or another clock for the same host is refused, naming each difference', () => {
    const clock = new FakeClock();
    const fetch = fakeUpbitFetch(() => ({ body: '[]' }), clock);
    const budgets = createRestBudgets();
    client({ clock, fetch, budgets });
    try {
      client({ clock: new FakeClock(), fetch, budgets, rateLimit: { requestsPerWindow: 5, maxQueue: 10 } });
      expect.unreachable();
    } catch (error) {
      expect(isConfigError(error)).toBe(true);
      expect((error as { issues: { path: string }[] }).issues.map((issue) => issue.path)).toEqual([
        'clock',
        'rateLimit.requestsPerWindow',
        'rateLimit.maxQueue',
      ]);
    }
    expect(budgets.origins()).toEqual(['https://api.upbit.com']);
  });

  it('the budget lives while a client holds it: the last close clears its timers, a later client starts afresh', async () => {
    const clock = new FakeClock();
    const fetch = fakeUpbitFetch(() => ({ body: TRADES, headers: remainingReq('crix-trades', 0) }), clock);
    const budgets = createRestBudgets();
    const a = new UpbitRestClient({ clock, fetch, budgets });
    const b = new UpbitRestClient({ clock, fetch, budgets });
    successOf(await settleWithClock(a.getTrades('KRW-BTC'), clock));
    const queued = b.getTrades('KRW-ETH'); // sec=0: waits for the window on a timer
    await settleWithClock(Promise.resolve(), clock, { stepMs: 0, maxSteps: 2 });
    expect(clock.pendingTimerCount()).toBe(1);
    a.close();
    expect(budgets.origins()).toHaveLength(1);
    b.close();
    await expect(queued).rejects.toMatchObject({ name: 'ClosedError' });
    expect(budgets.origins()).toHaveLength(0);
    expect(clock.pendingTimerCount()).toBe(0);
    const later = new UpbitRestClient({ clock: new FakeClock(), fetch, budgets, rateLimit: { requestsPerWindow: 2 } });
    expect(budgets.origins()).toHaveLength(1);
    later.close();
  });

  it("a client closing fails only its own queued calls; the other client's go on", async () => {
    const clock = new FakeClock();
    const fetch = fakeUpbitFetch(() => ({ body: TRADES, headers: remainingReq('crix-trades', 9) }), clock);
    const budgets = createRestBudgets();
    const a = client({ clock, fetch, budgets, rateLimit: { requestsPerWindow: 1 } });
    const b = client({ clock, fetch, budgets, rateLimit: { requestsPerWindow: 1 } });
    const first = a.getTrades('KRW-BTC');
    const mine = a.getTrades('KRW-ETH');
    const theirs = b.getTrades('KRW-XRP');
    await settleWithClock(Promise.resolve(), clock, { stepMs: 0, maxSteps: 3 });
    a.close();
    await expect(mine).rejects.toMatchObject({ name: 'ClosedError' });
    expect(await first).toMatchObject({ status: 200 }); // answered before the close
    const page = successOf(await settleWithClock(theirs, clock, { stepMs: 50 }));
    expect(page.data).toHaveLength(1);
    expect(fetch.calls.map((call) => call.url.searchParams.get('market'))).toEqual(['KRW-BTC', 'KRW-XRP']);
  });

  it('clients use the process-wide budgets unless told otherwise', () => {
    const clock = new FakeClock();
    const fetch = fakeUpbitFetch(() => ({ body: '[]' }), clock);
    const url = 'http://127.0.0.1:1';
    const a = client({ clock, fetch, url });
    const b = client({ clock, fetch, url });
    expect(processRestBudgets.origins()).toContain(url);
    expect(a.pacer('market')).toBe(b.pacer('market'));
    a.close();
    b.close();
    expect(processRestBudgets.origins()).not.toContain(url);
  });
});
