import { createSeededRandom, isUpstreamError, type MarketCode } from '@marketdata/domain';
import { FakeClock, MemoryLogger } from '@marketdata/domain/testing';
import { fixtureText } from '@marketdata/fixtures';
import { afterEach, describe, expect, it } from 'vitest';
import { createRestBudgets } from '../../src/rest/http/rest-budgets.js';
import { createUpbitRestSource, type UpbitRestSource, type UpbitRestSourceOptions } from '../../src/rest/index.js';
import { errorOf, ioTurn, settleWithClock, successOf } from './support/drive-clock.js';
import { type FakeHandler, type FakeReply, fakeUpbitFetch, remainingReq } from './support/fake-upbit-fetch.js';
import { recordedKrwTickers, recordedMarketListBody, recordedTickerEndpoint } from './support/fixture-market.js';

const LIST: FakeReply = { body: fixtureText('rest-market-all-details.json'), headers: remainingReq('market', 9) };
const UNAVAILABLE: FakeReply = { status: 503, body: 'unavailable' };
const TTL = 60_000;

let source: UpbitRestSource | undefined;
let clock: FakeClock;
afterEach(async () => {
  await source?.close();
  for (let turn = 0; turn < 3; turn++) await ioTurn();
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
    random: createSeededRandom(9),
    budgets: createRestBudgets(),
    marketListTtlMs: TTL,
    ...options,
  });
  const listRequests = () => fetch.calls.filter((call) => call.url.pathname === '/v1/market/all').length;
  return { source, fetch, logger, listRequests };
}

async function ioTurns(count = 5): Promise<void> {
  for (let turn = 0; turn < count; turn++) await ioTurn();
}

describe('the market directory (source.directory)', () => {
  it('knows nothing before a load and never loads from isListed', async () => {
    const { source, listRequests } = setup(() => LIST);
    expect(source.directory.isListed('KRW-BTC' as MarketCode)).toBeUndefined();
    expect(source.directory.isFresh()).toBe(false);
    expect(source.directory.view()).toEqual({ listed: undefined, loadedAtMonotonic: undefined, lastError: undefined });
    await ioTurns();
    expect(listRequests()).toBe(0);
  });

  it('one load of /v1/market/all?isDetails=true shared by concurrent callers; then isListed answers at once', async () => {
    const { source, fetch, listRequests } = setup(() => ({ ...LIST, delayMs: 30 }));
    const { directory } = source;
    const waiting = [directory.ready(), directory.ready(), source.getMarkets(), directory.ready()];
    successOf(await settleWithClock(Promise.all(waiting), clock, { stepMs: 10 }));
    expect(listRequests()).toBe(1);
    expect(fetch.calls[0]?.url.search).toBe('?isDetails=true');
    expect(directory.isListed('KRW-ZIL' as MarketCode)).toBe(true);
    expect(directory.isListed('KRW-NOPE' as MarketCode)).toBe(false);
    expect(directory.isFresh()).toBe(true);
    expect(directory.view()).toEqual({ listed: 4, loadedAtMonotonic: 30, lastError: undefined });
  });

  it('getMarkets answers from a fresh list without asking again, mapped to domain markets', async () => {
    const { source, listRequests } = setup(() => LIST);
    const first = successOf(await settleWithClock(source.getMarkets(), clock));
    const again = successOf(await settleWithClock(source.getMarkets(), clock));
    expect(again).toBe(first);
    expect(listRequests()).toBe(1);
    expect(first.map((market) => [market.symbol, market.warning, market.cautions])).toEqual([
      ['KRW-BTC', false, []],
      ['KRW-AERGO', true, []],
      ['KRW-ZIL', true, ['GLOBAL_PRICE_DIFFERENCES']],
      ['BTC-SIGN', false, ['GLOBAL_PRICE_DIFFERENCES']],
    ]);
  });

  it('a list older than marketListTtlMs is loaded again on the next ready(); isListed keeps answering meanwhile', async () => {
    let body = LIST;
    const { source, listRequests } = setup(() => body);
    const { directory } = source;
    successOf(await settleWithClock(directory.ready(), clock));
    await clock.advanceAsync(TTL - 1);
    expect(directory.isFresh()).toBe(true);
    successOf(await settleWithClock(directory.ready(), clock, { stepMs: 0, maxSteps: 3 }));
    expect(listRequests()).toBe(1);
    await clock.advanceAsync(1);
    expect(directory.isFresh()).toBe(false);
    expect(directory.isListed('BTC-SIGN' as MarketCode)).toBe(true); // the last list still answers
    body = { body: recordedMarketListBody(), headers: remainingReq('market', 9) };
    successOf(await settleWithClock(directory.ready(), clock));
    expect(listRequests()).toBe(2);
    expect(directory.isListed('BTC-SIGN' as MarketCode)).toBe(false); // the new list replaced it
    expect(directory.view().listed).toBe(recordedKrwTickers.length);
  });

  it('a failed load: ready() resolves, the view says why, and nobody asks again for 10 s', async () => {
    let reply = UNAVAILABLE;
    const { source, fetch, listRequests, logger } = setup(() => reply, { maxRetries: 1 });
    const { directory } = source;
    successOf(await settleWithClock(directory.ready(), clock, { stepMs: 50 }));
    expect(listRequests()).toBe(2); // the client's own retry
    const failedAt = fetch.calls[1]?.at ?? Number.NaN; // the retry's 503 came back at once
    expect(isUpstreamError(directory.view().lastError)).toBe(true);
    expect(directory.view()).toMatchObject({ listed: undefined, loadedAtMonotonic: undefined });
    expect(directory.isListed('KRW-BTC' as MarketCode)).toBeUndefined();
    expect(directory.isFresh()).toBe(true); // backing off: ready() has nothing to load
    expect(logger.find('warn', 'Could not load the Upbit market list')).toHaveLength(1);
    const error = errorOf(await settleWithClock(source.getMarkets(), clock, { stepMs: 0, maxSteps: 3 }));
    expect(error).toBe(directory.view().lastError);
    expect(listRequests()).toBe(2);

    reply = LIST;
    await clock.advanceAsync(10_000 - (clock.monotonic() - failedAt) - 1);
    successOf(await settleWithClock(directory.ready(), clock, { stepMs: 0, maxSteps: 3 }));
    expect(listRequests()).toBe(2);
    await clock.advanceAsync(1);
    expect(directory.isFresh()).toBe(false);
    const markets = successOf(await settleWithClock(source.getMarkets(), clock));
    expect(markets).toHaveLength(4);
    expect(listRequests()).toBe(3);
    expect(directory.view().lastError).toBeUndefined();
  });

  it("ready() rejects with the caller's reason when its signal aborts; the load goes on for the others", async () => {
    const { source, listRequests } = setup(() => ({ ...LIST, delayMs: 100 }));
    const { directory } = source;
    const controller = new AbortController();
    const leaving = directory.ready({ signal: controller.signal });
    const staying = directory.ready();
    await ioTurns();
    const reason = new Error('caller gone');
    controller.abort(reason);
    await expect(leaving).rejects.toBe(reason);
    successOf(await settleWithClock(staying, clock, { stepMs: 50 }));
    expect(listRequests()).toBe(1);
    expect(directory.isListed('KRW-BTC' as MarketCode)).toBe(true);
  });

  it('close() stops a load in progress; ready() callers are not left hanging', async () => {
    const { source } = setup(() => ({ hang: true }));
    const waiting = source.directory.ready();
    await ioTurns();
    await source.close();
    successOf(await settleWithClock(waiting, clock, { stepMs: 0, maxSteps: 5 }));
    expect(source.directory.view().lastError).toBeUndefined();
    await expect(source.getMarkets()).rejects.toMatchObject({ name: 'ClosedError' });
  });

  it('batch isolation reads a fresh directory without another /v1/market/all request', async () => {
    const tickers = recordedTickerEndpoint();
    const { source, fetch, listRequests } = setup((url, index) =>
      url.pathname === '/v1/market/all'
        ? { body: recordedMarketListBody(), headers: remainingReq('market', 9) }
        : tickers(url, index),
    );
    successOf(await settleWithClock(source.getMarkets(), clock));
    expect(listRequests()).toBe(1);
    const known = recordedKrwTickers.slice(0, 6).map((row) => row.market as MarketCode);
    for (const round of [1, 2, 3]) {
      const symbols = [...known.slice(0, 3), `KRW-NOPE${round}` as MarketCode, ...known.slice(3)];
      const results = successOf(await settleWithClock(source.getTickers(symbols), clock));
      expect(results.filter((result) => result.ok).map((result) => result.symbol)).toEqual(known);
      expect(results[3]).toMatchObject({ ok: false, error: { name: 'UnknownSymbolError', upstreamName: 404 } });
    }
    expect(listRequests()).toBe(1);
    // Per round: the 404, then the listed codes again. No bisection, no other list.
    expect(fetch.calls.filter((call) => call.url.pathname === '/v1/ticker')).toHaveLength(6);
  });
});
