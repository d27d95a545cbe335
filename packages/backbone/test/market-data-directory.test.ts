import {
  isChannelUnavailableError,
  isTimeoutError,
  isUnknownSymbolError,
  type Market,
  type RequestOptions,
} from '@marketdata/domain';
import { FakeClock, flushMicrotasks, MemoryLogger } from '@marketdata/domain/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { type BackboneConfigInput, createMarketData, type MarketData } from '../src/index.js';
import { FakeMarketList, recordedKrwMarkets } from './support/fake-market-list.js';
import { FakeRestSource, FakeStreamingSource } from './support/fake-sources.js';
import { RECORDED_AT, tickAt } from './support/fixture-tickers.js';

/** The fake REST source, able to list markets (as the REST adapter is). */
class ListingRestSource extends FakeRestSource {
  readonly marketList = new FakeMarketList(recordedKrwMarkets());

  getMarkets(options?: RequestOptions): Promise<readonly Market[]> {
    return this.marketList.getMarkets(options);
  }
}

interface Setup {
  readonly clock: FakeClock;
  readonly logger: MemoryLogger;
  readonly rest: ListingRestSource;
  readonly websocket: FakeStreamingSource;
  readonly md: MarketData;
}

let setup: Setup | undefined;

function create(config: BackboneConfigInput = {}, prepare?: (rest: ListingRestSource) => void): Setup {
  const clock = new FakeClock({ now: RECORDED_AT + 1_000 });
  const logger = new MemoryLogger();
  const rest = new ListingRestSource(clock);
  prepare?.(rest);
  const websocket = new FakeStreamingSource();
  const md = createMarketData({ rest, websocket, clock, logger, config });
  setup = { clock, logger, rest, websocket, md };
  return setup;
}

async function failureOf(call: () => Promise<unknown>): Promise<unknown> {
  try {
    await call();
  } catch (error) {
    return error;
  }
  return undefined;
}

afterEach(async () => {
  if (setup === undefined) return;
  await setup.md.close();
  expect(setup.clock.pendingTimerCount()).toBe(0);
  setup = undefined;
});

describe('the facade with a market list', () => {
  it('answers an unlisted symbol with UnknownSymbolError on every source, without a ticker request', async () => {
    const { md, rest, websocket } = create();
    for (const source of ['auto', 'rest', 'websocket'] as const) {
      const error = await failureOf(() => md.getTicker('KRW-NOPE', { source }));
      expect(error).toSatisfy(isUnknownSymbolError);
      expect(error).toMatchObject({ symbol: 'KRW-NOPE', operation: 'getTicker', retryable: false });
    }
    expect(rest.calls).toEqual([]);
    expect(websocket.calls).toEqual([]);
    expect(rest.marketList.calls).toBe(1);
    expect(md.stats().errors.byKind).toEqual({ UNKNOWN_SYMBOL: 3 });
    expect(md.health()).toMatchObject({ status: 'ok', markets: { state: 'loaded', markets: 244 } });
    expect(md.health().channels.websocket).toMatchObject({ state: 'enabled', consecutiveFailures: 0 });
    expect((await md.getTicker('KRW-BTC')).symbol).toBe('KRW-BTC');
    expect(rest.marketList.calls).toBe(1);
  });

  it('sends only listed symbols in a getTickers batch and answers the others in place', async () => {
    const { md, rest } = create();
    const input = ['KRW-BTC', 'KRW-NOPE', 'KRW-ETH', 'BTC-NOPE'];
    const results = await md.getTickers(input);
    expect(results.map((result) => (result.ok ? result.value.symbol : result.error.code))).toEqual([
      'KRW-BTC',
      'UNKNOWN_SYMBOL',
      'KRW-ETH',
      'UNKNOWN_SYMBOL',
    ]);
    expect(rest.calls).toEqual([{ method: 'getTickers', symbols: ['KRW-BTC', 'KRW-ETH'] }]);
  });

  it('fails a ticker, order book or trade stream of an unlisted symbol instead of subscribing and waiting forever', async () => {
    const { md, websocket, rest } = create();
    const tickers = md.watchTickers(['KRW-BTC', 'KRW-NOPE']);
    await expect(tickers.next()).rejects.toSatisfy(isUnknownSymbolError);
    await expect(md.watchOrderBooks(['KRW-NOPE']).next()).rejects.toSatisfy(isUnknownSymbolError);
    await expect(md.watchTrades(['KRW-NOPE']).next()).rejects.toSatisfy(isUnknownSymbolError);
    expect(websocket.calls).toEqual([]);
    expect(websocket.subscribeCalls).toEqual([]);
    expect(rest.calls).toEqual([]);
    expect(md.stats().streams.active).toBe(0);
  });

  it('opens a stream after the first list load, and subscribes synchronously once the list is loaded', async () => {
    const { md, websocket, clock } = create();
    const first = md.watchTickers(['KRW-BTC']);
    expect(websocket.callCount('watchTickers')).toBe(0);
    await flushMicrotasks();
    expect(websocket.callCount('watchTickers')).toBe(1);
    websocket.push(tickAt('KRW-BTC', 'websocket', clock.now()));
    expect((await first.next()).value).toMatchObject({ symbol: 'KRW-BTC', source: 'websocket' });

    const second = md.watchTickers(['KRW-ETH']);
    expect(websocket.callCount('watchTickers')).toBe(2);
    websocket.push(tickAt('KRW-ETH', 'websocket', clock.now()));
    expect((await second.next()).value).toMatchObject({ symbol: 'KRW-ETH' });
    await first.return?.();
    await second.return?.();
  });

  it('without the list (its request failed), serves as before and says so once in the log', async () => {
    const { md, rest, websocket, clock, logger } = create({ websocketTimeoutMs: 1_000 }, (source) =>
      source.marketList.failNext(1),
    );
    expect((await md.getTicker('KRW-BTC')).source).toBe('rest');
    expect(md.health().markets).toMatchObject({ state: 'failed', failures: 1 });
    expect(logger.find('warn', 'market list unavailable')).toHaveLength(1);

    // An unknown code on REST: Upbit's 404 still answers it.
    rest.unknownSymbols.add('KRW-NOPE');
    expect(await failureOf(() => md.getTicker('KRW-NOPE', { source: 'rest' }))).toSatisfy(isUnknownSymbolError);

    // On the WebSocket it times out, as without a directory, and is not held against the channel.
    for (let i = 0; i < 3; i++) {
      const pending = failureOf(() => md.getTicker('KRW-NOPE', { source: 'websocket' }));
      await clock.advanceAsync(1_000);
      const error = await pending;
      expect(error).toSatisfy(isTimeoutError);
      expect((error as Error).message).toMatch(/KRW-NOPE is not confirmed to exist/);
    }
    expect(md.health().channels.websocket).toMatchObject({ state: 'enabled', consecutiveFailures: 0 });
    expect(websocket.callCount('getTicker')).toBe(3);
    expect(logger.find('warn', 'market list unavailable')).toHaveLength(1);
  });

  it('still holds WebSocket timeouts against the channel for a symbol a channel has answered for', async () => {
    const { md, websocket, clock } = create({ websocketTimeoutMs: 1_000 }, (source) => source.marketList.failNext(1));
    // Answered by REST: the symbol exists, so a WebSocket timeout for it says something about the channel.
    await md.getTicker('KRW-XRP', { source: 'rest' });
    websocket.hangNext(3);
    for (let i = 0; i < 3; i++) {
      const pending = failureOf(() => md.getTicker('KRW-XRP', { source: 'websocket' }));
      await clock.advanceAsync(1_000);
      expect(await pending).toSatisfy(isTimeoutError);
    }
    expect(md.health().channels.websocket?.state).toBe('disabled');
    expect(await failureOf(() => md.getTicker('KRW-XRP', { source: 'websocket' }))).toSatisfy(
      isChannelUnavailableError,
    );
  });
});
