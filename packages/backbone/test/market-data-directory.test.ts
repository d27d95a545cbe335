import { isChannelUnavailableError, isTimeoutError, isUnknownSymbolError } from '@marketdata/domain';
import { FakeClock, flushMicrotasks, MemoryLogger } from '@marketdata/domain/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { type BackboneConfigInput, createMarketData, type MarketData } from '../src/index.js';
import { FakeMarketDirectory, recordedKrwCodes } from './support/fake-directory.js';
import { FakeRestSource, FakeStreamingSource } from './support/fake-sources.js';
import { code, RECORDED_AT, tickAt } from './support/fixture-tickers.js';

// The facade reads the REST source's market directory (the port's `MarketDirectory`; the REST adapter owns the real
// one, which loads and refreshes the list itself). These tests drive a fake directory through the port.

interface Setup {
  readonly clock: FakeClock;
  readonly rest: FakeRestSource;
  readonly directory: FakeMarketDirectory;
  readonly websocket: FakeStreamingSource;
  readonly md: MarketData;
}

let setup: Setup | undefined;
let logger = new MemoryLogger();

function create(config: BackboneConfigInput = {}, prepare?: (directory: FakeMarketDirectory) => void): Setup {
  const clock = new FakeClock({ now: RECORDED_AT + 1_000 });
  const rest = new FakeRestSource(clock);
  logger = new MemoryLogger();
  const directory = new FakeMarketDirectory(recordedKrwCodes(), () => clock.monotonic());
  prepare?.(directory);
  rest.directory = directory;
  const websocket = new FakeStreamingSource(clock);
  const md = createMarketData({ rest, websocket, clock, logger, config });
  setup = { clock, rest, directory, websocket, md };
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

describe('the facade with a market directory', () => {
  it('answers an unlisted symbol with UnknownSymbolError on every source, without a ticker request', async () => {
    const { md, rest, websocket, directory } = create();
    for (const source of ['auto', 'rest', 'websocket'] as const) {
      const error = await failureOf(() => md.getTicker('KRW-NOPE', { source }));
      expect(error).toSatisfy(isUnknownSymbolError);
      expect(error).toMatchObject({ symbol: 'KRW-NOPE', operation: 'getTicker', retryable: false });
    }
    expect(rest.calls).toEqual([]);
    expect(websocket.calls).toEqual([]);
    expect(directory.loads).toBe(1);
    expect(md.stats().errors.byKind).toEqual({ UNKNOWN_SYMBOL: 3 });
    expect(md.health()).toMatchObject({ status: 'ok', markets: { listed: 244, lastError: undefined } });
    expect(md.health().channels.websocket).toMatchObject({ state: 'enabled', consecutiveFailures: 0 });
    expect((await md.getTicker('KRW-BTC')).symbol).toBe('KRW-BTC');
    expect(directory.loads).toBe(1);
  });

  it('reads a fresh directory without waiting: ready() is not even asked', async () => {
    const { md, directory } = create();
    await md.getTicker('KRW-BTC');
    const asked = directory.readySignals.length;
    for (let i = 0; i < 5; i++) await md.getTicker('KRW-ETH');
    expect(directory.readySignals).toHaveLength(asked);
  });

  it('waits for the directory again once it is due, and finds a new listing', async () => {
    const { md, directory } = create({}, (fake) => fake.delist('KRW-XRP'));
    await expect(md.getTicker('KRW-XRP')).rejects.toSatisfy(isUnknownSymbolError);
    directory.list('KRW-XRP');
    directory.expire();
    expect((await md.getTicker('KRW-XRP')).symbol).toBe('KRW-XRP');
    expect(directory.loads).toBe(2);
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
    expect(rest.requests()).toEqual([{ method: 'getTickers', symbols: ['KRW-BTC', 'KRW-ETH'] }]);
  });

  it('does not refuse a symbol a channel has answered for, whatever the list says', async () => {
    const { md, directory } = create({}, (fake) => {
      fake.delist('KRW-XRP');
      fake.failNext(1);
    });
    // No list at first: the symbol goes to REST, which answers it.
    expect((await md.getTicker('KRW-XRP', { source: 'rest' })).symbol).toBe('KRW-XRP');
    // A list that lacks it arrives later: the channel's answer stands.
    directory.expire();
    expect((await md.getTicker('KRW-XRP', { source: 'rest' })).symbol).toBe('KRW-XRP');
    expect(directory.isListed(code('KRW-XRP'))).toBe(false);
    await expect(md.getTicker('KRW-NOPE')).rejects.toSatisfy(isUnknownSymbolError);
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

  it('opens a stream after the first list load, and listens synchronously once the list is at hand', async () => {
    const { md, websocket, clock } = create();
    const first = md.watchTickers(['KRW-BTC']);
    expect(websocket.callCount('listen:ticker')).toBe(0);
    await flushMicrotasks();
    expect(websocket.callCount('listen:ticker')).toBe(1);
    websocket.push(tickAt('KRW-BTC', 'websocket', clock));
    expect((await first.next()).value).toMatchObject({ symbol: 'KRW-BTC', source: 'websocket' });

    const second = md.watchTickers(['KRW-ETH']);
    expect(websocket.callCount('listen:ticker')).toBe(2);
    websocket.push(tickAt('KRW-ETH', 'websocket', clock));
    expect((await second.next()).value).toMatchObject({ symbol: 'KRW-ETH' });
    await first.return?.();
    await second.return?.();
  });

  it('bounds a wait for the list by the call deadline, handing ready() the call signal', async () => {
    const { md, clock, directory, rest } = create({ restTimeoutMs: 2_000 }, (fake) => fake.hangNext(1));
    const pending = failureOf(() => md.getTicker('KRW-BTC'));
    await clock.advanceAsync(1_999);
    expect(directory.readySignals[0]?.aborted).toBe(false);
    await clock.advanceAsync(1);
    expect(await pending).toSatisfy(isTimeoutError);
    expect(directory.readySignals[0]?.aborted).toBe(true);
    expect(rest.calls).toEqual([]);
    expect(clock.pendingTimerCount()).toBe(0);
  });

  it('goes on without the list, and says so, when the directory rejects without being aborted', async () => {
    const { md, directory, rest } = create();
    directory.ready = () => Promise.reject(new Error('directory bug'));
    expect((await md.getTicker('KRW-BTC')).source).toBe('rest');
    expect(rest.requests()).toEqual([{ method: 'getTickers', symbols: ['KRW-BTC'] }]);
    expect(logger.find('warn', 'market directory ready() rejected')).toHaveLength(1);
  });

  it('starts a stream unverified when the list cannot be had within restTimeoutMs', async () => {
    const { md, clock, websocket } = create({ restTimeoutMs: 2_000 }, (fake) => fake.hangNext(1));
    const stream = md.watchTickers(['KRW-BTC']);
    await clock.advanceAsync(2_000);
    expect(websocket.callCount('listen:ticker')).toBe(1);
    await stream.return?.();
  });

  it('without the list (its load failed), serves as before and shows why in health()', async () => {
    const { md, rest, websocket, clock } = create({ webSocketTimeoutMs: 1_000 }, (fake) => fake.failNext(1));
    expect((await md.getTicker('KRW-BTC')).source).toBe('rest');
    expect(md.health().markets).toMatchObject({ listed: undefined, lastError: { code: 'NETWORK' } });
    expect(md.health().status).toBe('ok');

    // An unknown code on REST: Upbit's 404 still answers it.
    rest.unknownSymbols.add('KRW-NOPE');
    expect(await failureOf(() => md.getTicker('KRW-NOPE', { source: 'rest' }))).toSatisfy(isUnknownSymbolError);

    // On the WebSocket it times out, as without a directory, and is not held against the channel.
    for (let i = 0; i < 3; i++) {
      const pending = failureOf(() => md.getTicker('KRW-NOPE', { source: 'websocket', strict: true }));
      await clock.advanceAsync(1_000);
      const error = await pending;
      expect(error).toSatisfy(isTimeoutError);
      expect((error as Error).message).toMatch(/KRW-NOPE is not confirmed to exist/);
    }
    expect(md.health().channels.websocket).toMatchObject({ state: 'enabled', consecutiveFailures: 0 });
    expect(websocket.callCount('getTicker')).toBe(3);
  });

  it('still holds WebSocket timeouts against the channel for a symbol a channel has answered for', async () => {
    const { md, websocket, clock } = create({ webSocketTimeoutMs: 1_000 }, (fake) => fake.failNext(1));
    // Answered by REST: the symbol exists, so a WebSocket timeout for it says something about the channel.
    await md.getTicker('KRW-XRP', { source: 'rest' });
    websocket.hangNext(3);
    for (let i = 0; i < 3; i++) {
      const pending = failureOf(() => md.getTicker('KRW-XRP', { source: 'websocket', strict: true }));
      await clock.advanceAsync(1_000);
      expect(await pending).toSatisfy(isTimeoutError);
    }
    expect(md.health().channels.websocket?.state).toBe('disabled');
    expect(await failureOf(() => md.getTicker('KRW-XRP', { source: 'websocket', strict: true }))).toSatisfy(
      isChannelUnavailableError,
    );
  });
});
