import {
  isChannelUnavailableError,
  isDataValidationError,
  isTimeoutError,
  isUnknownSymbolError,
  NetworkError,
} from '@marketdata/domain';
import { afterEach, describe, expect, it } from 'vitest';
import { candleAt, marketOf, tradeAt } from './support/fake-market-rest.js';
import { createMarketHarness, type MarketHarness } from './support/market-harness.js';

let harness: MarketHarness | undefined;

afterEach(async () => {
  if (harness === undefined) return;
  await harness.md.close();
  expect(harness.clock.pendingTimerCount()).toBe(0);
  harness = undefined;
});

async function failureOf(call: () => Promise<unknown>): Promise<unknown> {
  try {
    await call();
  } catch (error) {
    return error;
  }
  throw new Error('resolved');
}

const DAY = 86_400_000;
const MINUTE = { unit: 'minutes', size: 1 } as const;

describe('getTrades', () => {
  it('hands out the trades oldest first, graded as one list, with the cursor for the page before', async () => {
    harness = createMarketHarness();
    const { md, rest, clock } = harness;
    const now = clock.now();
    // Newest first, as Upbit answers.
    rest.tradeLists.set(
      'KRW-BTC',
      [105n, 104n, 103n, 102n, 101n].map((id, index) => tradeAt('KRW-BTC', id, now - 1_000 * (index + 1), clock)),
    );
    const list = await md.getTrades('BTC/KRW', { count: 3 });
    expect(list.symbol).toBe('KRW-BTC');
    expect(list.trades.map((trade) => trade.sequentialId)).toEqual(['103', '104', '105']);
    expect(list).toMatchObject({ source: 'rest', quality: 'high', confidence: 1, nextCursor: '103', qualityNotes: [] });
    expect(list.exchangeTimestamp).toBe(now - 1_000);
    expect(list.ageMs).toBe(1_000);
    expect(list.latencyMs).toBe(10);
    expect(rest.callsOf('getTrades')[0]?.query).toEqual({ count: 3 });

    const before = await md.getTrades('KRW-BTC', { count: 3, cursor: list.nextCursor });
    expect(before.trades.map((trade) => trade.sequentialId)).toEqual(['101', '102']);
    expect(rest.callsOf('getTrades')[1]?.query).toEqual({ count: 3, cursor: '103' });
    // The default count, and a bigint cursor.
    await md.getTrades('KRW-BTC', { cursor: 102n });
    expect(rest.callsOf('getTrades')[2]?.query).toEqual({ count: 100, cursor: '102' });
  });

  it("turns `to` into Upbit's time of day and days_ago, to the second", async () => {
    harness = createMarketHarness({ now: Date.UTC(2026, 2, 11, 14, 40, 59) });
    const { md, rest } = harness;
    await md.getTrades('KRW-BTC', { to: Date.UTC(2026, 2, 11, 9, 5, 7, 900) });
    await md.getTrades('KRW-BTC', { to: new Date(Date.UTC(2026, 2, 8, 23, 59, 59)) });
    expect(rest.callsOf('getTrades').map((call) => call.query)).toEqual([
      { count: 100, to: '090507' },
      { count: 100, to: '235959', daysAgo: 3 },
    ]);
    for (const to of [Date.UTC(2026, 2, 3, 12), Date.UTC(2026, 2, 12, 0, 0, 1)]) {
      const error = await failureOf(() => md.getTrades('KRW-BTC', { to }));
      expect(error).toSatisfy(isDataValidationError);
      expect((error as Error).message).toMatch(/today and the 7 days before/);
    }
    const both = await failureOf(() => md.getTrades('KRW-BTC', { to: Date.UTC(2026, 2, 11), cursor: '1' }));
    expect(both).toMatchObject({ path: 'cursor' });
    expect(rest.callsOf('getTrades')).toHaveLength(2);
  });

  it('refuses bad counts and cursors, and the plan names, before any I/O', async () => {
    harness = createMarketHarness();
    const { md, rest } = harness;
    for (const options of [{ count: 0 }, { count: 10_001 }, { count: 1.5 }, { cursor: '12a' }, { cursor: 12 }]) {
      expect(await failureOf(() => md.getTrades('KRW-BTC', options as never))).toSatisfy(isDataValidationError);
    }
    expect(await failureOf(() => md.getTrades('KRW-BTC', { limit: 10 } as never))).toMatchObject({
      name: 'UnknownOptionError',
      useInstead: 'count',
    });
    expect(await failureOf(() => md.getTrades('KRW-BTC', { source: 'rest' } as never))).toMatchObject({
      name: 'UnknownOptionError',
      option: 'source',
    });
    expect(rest.callsOf('getTrades')).toHaveLength(0);
  });

  it('lowers the grade of a warned market, from the market list', async () => {
    harness = createMarketHarness({ listed: ['KRW-BTC', 'KRW-AERGO'] });
    const { md, rest, clock } = harness;
    rest.markets = [marketOf('KRW-BTC'), marketOf('KRW-AERGO', { warning: true, cautions: ['PRICE_FLUCTUATIONS'] })];
    rest.tradeLists.set('KRW-AERGO', [tradeAt('KRW-AERGO', 7n, clock.now() - 10, clock)]);
    const list = await md.getTrades('KRW-AERGO', { count: 1 });
    expect(list).toMatchObject({ quality: 'medium', confidence: 0.8 });
    expect(list.qualityNotes).toEqual(['investment warning, caution PRICE_FLUCTUATIONS (market list)']);
    expect(md.stats().quality.issues['market-warning']).toBe(1);
  });
});

describe('getCandles', () => {
  it('hands out candles oldest first and passes count and to to the REST source (which pages)', async () => {
    harness = createMarketHarness();
    const { md, rest, clock } = harness;
    const start = Math.floor(clock.now() / 60_000) * 60_000 - 600 * 60_000;
    rest.setCandles(
      MINUTE,
      'KRW-BTC',
      Array.from({ length: 600 }, (_, i) => candleAt('KRW-BTC', MINUTE, start + i * 60_000, clock)),
    );
    const list = await md.getCandles('KRW-BTC', { interval: '1m', count: 450 });
    expect(list).toMatchObject({ symbol: 'KRW-BTC', interval: '1m', source: 'rest', quality: 'high' });
    expect(list.candles).toHaveLength(450);
    expect(list.candles[0]?.openTime).toBe(start + 150 * 60_000);
    expect(list.candles.at(-1)?.openTime).toBe(start + 599 * 60_000);
    expect(list.candles.every((candle, i) => i === 0 || candle.openTime > (list.candles[i - 1]?.openTime ?? 0))).toBe(
      true,
    );
    expect(rest.callsOf('getCandles')[0]?.query).toEqual({ interval: MINUTE, count: 450, to: undefined });

    const to = start + 100 * 60_000;
    const older = await md.getCandles('KRW-BTC', { interval: { unit: 'minutes', size: 1 }, to: new Date(to) });
    expect(older.candles).toHaveLength(100);
    expect(older.candles.at(-1)?.openTime).toBe(to - 60_000);
  });

  it('knows every interval by name, and ccxt style hours', async () => {
    harness = createMarketHarness();
    const { md, rest } = harness;
    const names = ['1s', '1m', '3m', '5m', '10m', '15m', '30m', '60m', '240m', '1d', '1w', '1M', '1y', '1h', '4h'];
    for (const interval of names) await md.getCandles('KRW-BTC', { interval: interval as '1m', count: 1 });
    expect(rest.callsOf('getCandles').map((call) => (call.query as { interval: unknown }).interval)).toEqual([
      { unit: 'seconds', size: 1 },
      ...[1, 3, 5, 10, 15, 30, 60, 240].map((size) => ({ unit: 'minutes', size })),
      { unit: 'days', size: 1 },
      { unit: 'weeks', size: 1 },
      { unit: 'months', size: 1 },
      { unit: 'years', size: 1 },
      { unit: 'minutes', size: 60 },
      { unit: 'minutes', size: 240 },
    ]);
  });

  it('refuses a missing or unknown interval, listing the names; a bad count or to', async () => {
    harness = createMarketHarness();
    const { md, rest } = harness;
    const missing = await failureOf(() => md.getCandles('KRW-BTC', {} as never));
    expect(missing).toMatchObject({ path: 'interval' });
    expect((missing as Error).message).toMatch(/needs an interval/);
    const unknown = await failureOf(() => md.getCandles('KRW-BTC', { interval: '2m' as '1m' }));
    expect((unknown as Error).message).toMatch(/expected one of 1s, 1m, 3m.*1y/);
    for (const options of [
      { interval: { unit: 'minutes', size: 2 } },
      { interval: '1m', count: 0 },
      { interval: '1m', to: -1 },
    ]) {
      expect(await failureOf(() => md.getCandles('KRW-BTC', options as never))).toSatisfy(isDataValidationError);
    }
    expect(await failureOf(() => md.getCandles('KRW-BTC', { interval: '1m', timeframe: '1m' } as never))).toMatchObject(
      {
        useInstead: 'interval',
      },
    );
    expect(rest.callsOf('getCandles')).toHaveLength(0);
  });

  it('grades a candle whose close lies outside its range low', async () => {
    harness = createMarketHarness();
    const { md, rest, clock } = harness;
    const open = Math.floor(clock.now() / DAY) * DAY;
    rest.setCandles({ unit: 'days', size: 1 }, 'KRW-BTC', [
      candleAt('KRW-BTC', { unit: 'days', size: 1 }, open, clock, { close: 1 }),
    ]);
    const list = await md.getCandles('KRW-BTC', { interval: '1d' });
    expect(list.quality).toBe('low');
    expect(list.qualityNotes[0]).toMatch(/1 candle\(s\) whose open or close lies outside \[low, high\]/);
  });

  it('one deadline for the whole (paged) call: restTimeoutMs', async () => {
    harness = createMarketHarness({ config: { restTimeoutMs: 3_000 } });
    const { md, rest, clock } = harness;
    rest.hangMethod('getCandles');
    const pending = failureOf(() => md.getCandles('KRW-BTC', { interval: '1m', count: 1_000 }));
    await clock.advanceAsync(3_000);
    const error = await pending;
    expect(error).toSatisfy(isTimeoutError);
    expect((error as Error).message).toMatch(/getCandles took longer than 3000 ms \(restTimeoutMs\)/);
  });

  it('answers an unlisted symbol from the market list, without a request', async () => {
    harness = createMarketHarness({ listed: ['KRW-BTC'] });
    const { md, rest } = harness;
    expect(await failureOf(() => md.getCandles('KRW-NOPE', { interval: '1m' }))).toSatisfy(isUnknownSymbolError);
    expect(await failureOf(() => md.getTrades('NOPE/KRW'))).toSatisfy(isUnknownSymbolError);
    expect(rest.callsOf('getCandles')).toHaveLength(0);
    expect(rest.callsOf('getTrades')).toHaveLength(0);
  });

  it('counts failures against the REST channel and refuses while it is disabled', async () => {
    harness = createMarketHarness({ config: { router: { probeBackoffInitialMs: 60_000 } } });
    const { md, rest } = harness;
    rest.failMethod('getCandles', 3, () => new NetworkError('reset', { channel: 'rest' }));
    for (let i = 0; i < 3; i++) await failureOf(() => md.getCandles('KRW-BTC', { interval: '1m' }));
    expect(md.health().channels.rest.state).toBe('disabled');
    const error = await failureOf(() => md.getCandles('KRW-BTC', { interval: '1m' }));
    expect(error).toSatisfy(isChannelUnavailableError);
    expect((error as Error).message).toMatch(/disabled after failures; next probe in 60000 ms/);
    expect(rest.callsOf('getCandles')).toHaveLength(3);
  });
});

describe('getMarkets', () => {
  it('answers from the one market directory: names only, or with graded details', async () => {
    harness = createMarketHarness({ listed: ['KRW-BTC', 'KRW-AERGO', 'BTC-SIGN'] });
    const { md, rest, directory } = harness;
    rest.markets = [
      marketOf('KRW-BTC'),
      marketOf('KRW-AERGO', { warning: true }),
      marketOf('BTC-SIGN', { cautions: ['TRADING_VOLUME_SOARING'] }),
    ];
    const names = await md.getMarkets();
    expect(names).toMatchObject({ source: 'rest', quality: 'high' });
    expect(names.markets).toEqual([
      { symbol: 'KRW-BTC', quote: 'KRW', base: 'BTC', koreanName: 'KRW-BTC (ko)', englishName: 'KRW-BTC (en)' },
      { symbol: 'KRW-AERGO', quote: 'KRW', base: 'AERGO', koreanName: 'KRW-AERGO (ko)', englishName: 'KRW-AERGO (en)' },
      { symbol: 'BTC-SIGN', quote: 'BTC', base: 'SIGN', koreanName: 'BTC-SIGN (ko)', englishName: 'BTC-SIGN (en)' },
    ]);
    expect(directory?.loads).toBe(1);

    const detailed = await md.getMarkets({ details: true });
    expect(detailed.source).toBe('cache');
    expect(detailed.markets.map((market) => [market.symbol, market.quality, market.qualityNotes])).toEqual([
      ['KRW-BTC', 'high', []],
      ['KRW-AERGO', 'medium', ['investment warning (market list)']],
      ['BTC-SIGN', 'medium', ['caution TRADING_VOLUME_SOARING (market list)']],
    ]);
    expect(detailed.markets[1]).toMatchObject({ warning: true, cautions: [], eventSource: 'market_event' });
    expect(directory?.loads).toBe(1);
    expect(await failureOf(() => md.getMarkets({ details: 'yes' } as never))).toSatisfy(isDataValidationError);
  });

  it('grades the tickers of a warned market lower, from the directory details', async () => {
    harness = createMarketHarness({ listed: ['KRW-BTC', 'KRW-ETH'] });
    const { md, rest } = harness;
    rest.markets = [marketOf('KRW-BTC'), marketOf('KRW-ETH', { warning: true })];
    expect((await md.getTicker('KRW-BTC')).quality).toBe('high');
    const eth = await md.getTicker('KRW-ETH');
    expect(eth).toMatchObject({ quality: 'medium', confidence: 0.8 });
    expect(eth.qualityNotes).toEqual(['investment warning (market list)']);
  });
});
