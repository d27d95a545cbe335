import { isConfigError, type MarketCode } from '@marketdata/domain';
import { FakeClock } from '@marketdata/domain/testing';
import { fixtureText } from '@marketdata/fixtures';
import { afterEach, describe, expect, it } from 'vitest';
import { createRestBudgets } from '../../src/rest/http/rest-budgets.js';
import { createUpbitRestSource, UpbitRestClient, type UpbitRestSource } from '../../src/rest/index.js';
import { settleWithClock, successOf } from './support/drive-clock.js';
import { fakeUpbitFetch } from './support/fake-upbit-fetch.js';

const BTC = 'KRW-BTC' as MarketCode;
let source: UpbitRestSource | undefined;
afterEach(async () => {
  await source?.close();
  source = undefined;
});

function setup(body: string) {
  const clock = new FakeClock();
  const fetch = fakeUpbitFetch(() => ({ body }), clock);
  source = createUpbitRestSource({ fetch, clock, budgets: createRestBudgets() });
  return { source, fetch, clock };
}

describe('UpbitRestSource requests', () => {
  it('getCandles maps the interval to the endpoint and `to` (epoch ms) to whole UTC seconds, rounded up', async () => {
    const { source, fetch, clock } = setup(fixtureText('rest-candles-minutes-1-krw-btc.json'));
    const to = Date.UTC(2026, 2, 11, 14, 41) + 250;
    successOf(
      await settleWithClock(source.getCandles(BTC, { interval: { unit: 'minutes', size: 1 }, count: 3, to }), clock),
    );
    expect(fetch.calls[0]?.url.pathname).toBe('/v1/candles/minutes/1');
    expect(fetch.calls[0]?.url.searchParams.get('to')).toBe('2026-03-11T14:41:01Z');
    expect(fetch.calls[0]?.url.searchParams.get('count')).toBe('3');
  });

  it.each([
    ['weeks', '/v1/candles/weeks'],
    ['months', '/v1/candles/months'],
    ['days', '/v1/candles/days'],
  ] as const)('getCandles %s uses %s', async (unit, path) => {
    const { source, fetch, clock } = setup(fixtureText('rest-candles-days-krw-btc.json'));
    const [candle] = successOf(await settleWithClock(source.getCandles(BTC, { interval: { unit, size: 1 } }), clock));
    expect(fetch.calls[0]?.url.pathname).toBe(path);
    expect(candle?.interval).toEqual({ unit, size: 1 });
  });

  it('refuses an interval Upbit does not offer', async () => {
    const { source, fetch } = setup('[]');
    await expect(source.getCandles(BTC, { interval: { unit: 'minutes', size: 2 } })).rejects.toMatchObject({
      path: 'interval.size',
    });
    await expect(source.getCandles(BTC, { interval: { unit: 'days', size: 7 } })).rejects.toMatchObject({
      path: 'interval.size',
    });
    expect(fetch.calls).toHaveLength(0);
  });

  it('getMarkets asks for details (warning and caution flags)', async () => {
    const { source, fetch, clock } = setup(fixtureText('rest-market-all-details.json'));
    successOf(await settleWithClock(source.getMarkets(), clock));
    expect(fetch.calls[0]?.url.search).toBe('?isDetails=true');
  });

  it('getTrades passes count', async () => {
    const { source, fetch, clock } = setup(fixtureText('rest-trades-ticks-krw-btc.json'));
    successOf(await settleWithClock(source.getTrades(BTC, { count: 7 }), clock));
    expect(fetch.calls[0]?.url.searchParams.get('count')).toBe('7');
  });

  it('getOrderBook of a market the answer lacks is UnknownSymbolError', async () => {
    const { source, clock } = setup('[]');
    const outcome = await settleWithClock(source.getOrderBook(BTC), clock);
    expect(outcome.ok ? undefined : outcome.error).toMatchObject({ name: 'UnknownSymbolError', symbol: BTC });
  });

  it('shares a given client (one budget) and does not close it', async () => {
    const clock = new FakeClock();
    const fetch = fakeUpbitFetch(() => ({ body: '[]' }), clock);
    const client = new UpbitRestClient({ clock, fetch, budgets: createRestBudgets() });
    source = createUpbitRestSource({ client });
    expect(source.client).toBe(client);
    await source.close();
    successOf(await settleWithClock(client.getMarkets(), clock));
    client.close();
  });

  it('reports bad source options in one ConfigError', () => {
    try {
      createUpbitRestSource({ pollIntervalMs: 0, unknownSymbolTtlMs: -1, marketListTtlMs: Number.NaN });
      expect.unreachable();
    } catch (error) {
      expect(isConfigError(error)).toBe(true);
      expect((error as { issues: { path: string }[] }).issues.map((issue) => issue.path).sort()).toEqual([
        'marketListTtlMs',
        'pollIntervalMs',
        'unknownSymbolTtlMs',
      ]);
    }
  });

  it('every record carries exchange time, wall receive time, monotonic receive time (body arrival) and latency', async () => {
    const clock = new FakeClock({ monotonic: 5000 });
    const bodies: Record<string, string> = {
      '/v1/ticker': fixtureText('rest-ticker-krw-btc.json'),
      '/v1/orderbook': fixtureText('rest-orderbook-krw-btc.json'),
      '/v1/trades/ticks': fixtureText('rest-trades-ticks-krw-btc.json'),
      '/v1/candles/days': fixtureText('rest-candles-days-krw-btc.json'),
    };
    const fetch = fakeUpbitFetch((url) => ({ body: bodies[url.pathname] ?? '[]', delayMs: 40 }), clock);
    source = createUpbitRestSource({ fetch, clock, budgets: createRestBudgets() });
    const calls = [
      source.getTicker(BTC),
      source.getOrderBook(BTC),
      source.getTrades(BTC).then((trades) => trades[0]),
      source.getCandles(BTC, { interval: { unit: 'days', size: 1 } }).then((candles) => candles[0]),
    ];
    const wallAtStart = clock.now();
    const records = successOf(await settleWithClock(Promise.all(calls), clock, { stepMs: 40 }));
    for (const record of records) {
      expect(record).toMatchObject({ source: 'rest', receivedAtMonotonic: 5040, receivedAt: wallAtStart + 40 });
      expect(record?.exchangeTimestamp).toBeGreaterThan(1_700_000_000_000);
      expect(record?.latencyMs).toBe(40);
    }
  });
});
