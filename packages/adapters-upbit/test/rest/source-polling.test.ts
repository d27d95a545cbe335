import { createSeededRandom, type MarketCode } from '@marketdata/domain';
import { FakeClock, MemoryLogger } from '@marketdata/domain/testing';
import { fixtureText } from '@marketdata/fixtures';
import { afterEach, describe, expect, it } from 'vitest';
import { createRestBudgets } from '../../src/rest/http/rest-budgets.js';
import { createUpbitRestSource, type UpbitRestSource, type UpbitRestSourceOptions } from '../../src/rest/index.js';
import { errorOf, ioTurn, settleWithClock, successOf } from './support/drive-clock.js';
import { type FakeHandler, type FakeReply, fakeUpbitFetch, remainingReq } from './support/fake-upbit-fetch.js';

const BTC = 'KRW-BTC' as MarketCode;
const ETH = 'KRW-ETH' as MarketCode;
const TICKERS = JSON.parse(fixtureText('rest-ticker-krw-btc-eth.json')) as Record<string, unknown>[];

let source: UpbitRestSource | undefined;
let clock: FakeClock;
afterEach(async () => {
  await source?.close();
  for (let turn = 0; turn < 5; turn++) await ioTurn();
  expect(clock.pendingTimerCount()).toBe(0);
  source = undefined;
});

function setup(handler: FakeHandler, options: UpbitRestSourceOptions = {}) {
  clock = new FakeClock();
  const fetch = fakeUpbitFetch(handler, clock);
  const logger = new MemoryLogger();
  source = createUpbitRestSource({
    fetch,
    clock,
    logger,
    random: createSeededRandom(5),
    pollIntervalMs: 1000,
    budgets: createRestBudgets(),
    ...options,
  });
  return { source, fetch, logger };
}

/** Real recorded tickers whose `timestamp` moves on every poll after the first `stillPolls`. */
function movingTickers(stillPolls: number): FakeHandler {
  let poll = 0;
  return (url): FakeReply => {
    const step = Math.max(0, poll++ - stillPolls);
    const asked = new Set((url.searchParams.get('markets') ?? '').split(','));
    const rows = TICKERS.filter((row) => asked.has(row.market as string)).map((row) => ({
      ...row,
      timestamp: (row.timestamp as number) + step * 1000,
    }));
    return { body: JSON.stringify(rows), headers: remainingReq('ticker', 9) };
  };
}

async function take<T>(iterable: AsyncIterable<T>, count: number): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) {
    out.push(item);
    if (out.length >= count) break;
  }
  return out;
}

describe('watch* on REST is paced polling', () => {
  it('watchTickers polls every interval and yields only tickers whose timestamp moved', async () => {
    const { source, fetch } = setup(movingTickers(1));
    const seen = successOf(await settleWithClock(take(source.watchTickers([BTC, ETH]), 4), clock, { stepMs: 100 }));
    expect(seen.map((ticker) => ticker.symbol)).toEqual([BTC, ETH, BTC, ETH]);
    // Poll 1 yields both; poll 2 repeats them (same timestamp, nothing yielded); poll 3 moved.
    expect(fetch.calls).toHaveLength(3);
    expect((fetch.calls[2]?.at ?? 0) - (fetch.calls[0]?.at ?? 0)).toBeGreaterThanOrEqual(2000);
    expect(seen[2]?.exchangeTimestamp).toBe((seen[0]?.exchangeTimestamp ?? 0) + 1000);
  });

  it('a failed poll is logged and polling goes on', async () => {
    const good = movingTickers(0);
    const { source, logger } = setup(
      (url, index) => (index === 1 ? { status: 400, body: '{"error":{"name":400,"message":"x"}}' } : good(url, index)),
      {
        maxRetries: 0,
      },
    );
    const seen = successOf(await settleWithClock(take(source.watchTickers([BTC]), 2), clock, { stepMs: 100 }));
    expect(seen).toHaveLength(2);
    expect(logger.find('warn', 'REST poll failed')).toHaveLength(1);
  });

  it('drops an unknown market from the watch, and throws UnknownSymbolError when none is left', async () => {
    const unknown = fixtureText('rest-error-404-code-not-found.json');
    const { source, logger } = setup(() => ({ status: 404, body: unknown }));
    const outcome = await settleWithClock(take(source.watchTickers(['KRW-NOPE' as MarketCode]), 1), clock);
    expect(errorOf(outcome)).toMatchObject({ name: 'UnknownSymbolError', symbol: 'KRW-NOPE' });
    expect(logger.find('warn', 'Unknown market dropped')).toHaveLength(1);
  });

  it('watching no symbol ends at once without a request', async () => {
    const { source, fetch } = setup(movingTickers(0));
    expect(successOf(await settleWithClock(take(source.watchTickers([]), 1), clock))).toEqual([]);
    expect(fetch.calls).toHaveLength(0);
  });

  it('aborting the signal ends the iterator', async () => {
    const { source } = setup(movingTickers(0));
    const controller = new AbortController();
    const iterator = source.watchTickers([BTC], { signal: controller.signal })[Symbol.asyncIterator]();
    successOf(await settleWithClock(iterator.next(), clock));
    const next = iterator.next();
    controller.abort();
    expect(successOf(await settleWithClock(next, clock))).toEqual({ done: true, value: undefined });
  });

  it('aborting the signal while a poll is out stops its request too', async () => {
    const { source, fetch } = setup(() => ({ hang: true }));
    const controller = new AbortController();
    const iterator = source.watchOrderBooks([BTC], { signal: controller.signal })[Symbol.asyncIterator]();
    const next = iterator.next();
    for (let turn = 0; turn < 3; turn++) await ioTurn();
    expect(fetch.calls).toHaveLength(1);
    controller.abort();
    expect(successOf(await settleWithClock(next, clock))).toEqual({ done: true, value: undefined });
    await clock.advanceAsync(30_000);
    expect(fetch.calls).toHaveLength(1); // no attempt timeout, no retry: the request went with the poll
  });

  it('close() ends a waiting iterator', async () => {
    const { source } = setup(movingTickers(0));
    const iterator = source.watchTickers([BTC])[Symbol.asyncIterator]();
    successOf(await settleWithClock(iterator.next(), clock));
    const next = iterator.next();
    await source.close();
    expect(successOf(await settleWithClock(next, clock))).toEqual({ done: true, value: undefined });
  });

  it('watchOrderBooks polls /v1/orderbook for all symbols in one request', async () => {
    const book = JSON.parse(fixtureText('rest-orderbook-krw-btc.json')) as Record<string, unknown>[];
    let poll = 0;
    const { source, fetch } = setup((url) => {
      const markets = (url.searchParams.get('markets') ?? '').split(',');
      const stamp = (book[0]?.timestamp as number) + poll++ * 100;
      return {
        body: JSON.stringify(markets.map((market) => ({ ...book[0], market, timestamp: stamp }))),
        headers: remainingReq('orderbook', 9),
      };
    });
    const seen = successOf(await settleWithClock(take(source.watchOrderBooks([BTC, ETH]), 4), clock, { stepMs: 100 }));
    expect(seen.map((item) => item.symbol)).toEqual([BTC, ETH, BTC, ETH]);
    expect(fetch.calls).toHaveLength(2);
    expect(seen[0]?.levels).toHaveLength(30);
  });

  it('watchTrades yields trades after the last sequential_id, oldest first', async () => {
    const base = (JSON.parse(fixtureText('rest-trades-ticks-usdt-btc-ccxt.json')) as Record<string, unknown>[])[0];
    const id = (offset: number): string => (BigInt(base?.sequential_id as string) + BigInt(offset)).toString();
    // Newest first, as Upbit answers. Poll 1 (count=1) sees id+0; poll 2 sees id+2, id+1, id+0.
    const pages = [[0], [2, 1, 0], [2, 1]];
    let poll = 0;
    const { source, fetch } = setup(() => {
      const page = pages[Math.min(poll++, pages.length - 1)] ?? [];
      return {
        body: `[${page.map((offset) => JSON.stringify({ ...base, sequential_id: 'X' }).replace('"X"', id(offset))).join(',')}]`,
        headers: remainingReq('crix-trades', 9),
      };
    });
    const seen = successOf(
      await settleWithClock(take(source.watchTrades(['USDT-BTC' as MarketCode]), 3), clock, { stepMs: 100 }),
    );
    expect(seen.map((trade) => trade.sequentialId)).toEqual([id(0), id(1), id(2)]);
    expect(fetch.calls[0]?.url.searchParams.get('count')).toBe('1');
    expect(fetch.calls[1]?.url.searchParams.get('count')).toBe('50');
  });
});
