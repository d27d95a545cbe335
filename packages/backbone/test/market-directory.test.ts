import { type MarketCode, parseMarketCode } from '@marketdata/domain';
import { FakeClock, MemoryLogger } from '@marketdata/domain/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { MarketDirectory, type MarketDirectoryOptions } from '../src/directory/market-directory.js';
import { FakeMarketList, recordedMarkets } from './support/fake-market-list.js';

const BTC = parseMarketCode('KRW-BTC');
const SIGN = parseMarketCode('BTC-SIGN');
const NOPE = parseMarketCode('KRW-NOPE');
const TIMEOUT_MS = 10_000;

interface Setup {
  readonly clock: FakeClock;
  readonly logger: MemoryLogger;
  readonly source: FakeMarketList;
  readonly lifetime: AbortController;
  readonly directory: MarketDirectory;
}

let setup: Setup | undefined;

function create(options: Partial<MarketDirectoryOptions> = {}): Setup {
  const clock = new FakeClock();
  const logger = new MemoryLogger();
  const source = new FakeMarketList(recordedMarkets());
  const lifetime = new AbortController();
  const directory = new MarketDirectory({
    source,
    clock,
    logger,
    timeoutMs: TIMEOUT_MS,
    lifetime: lifetime.signal,
    ...options,
  });
  setup = { clock, logger, source, lifetime, directory };
  return setup;
}

/** Waits for what `prepare` says must be waited for; fails the test if it did not ask to wait. */
async function prepared(directory: MarketDirectory, symbols: readonly MarketCode[]): Promise<void> {
  const pending = directory.prepare(symbols);
  expect(pending).toBeInstanceOf(Promise);
  await pending;
}

afterEach(() => {
  if (setup === undefined) return;
  setup.lifetime.abort();
  expect(setup.clock.pendingTimerCount()).toBe(0);
  setup = undefined;
});

describe('market directory', () => {
  it('without a market-list source, knows only what a channel has answered for', () => {
    const { directory } = create({ source: undefined });
    expect(directory.prepare([BTC, NOPE])).toBeUndefined();
    expect(directory.listing(BTC)).toBe('unverified');
    directory.noteSeen(BTC);
    expect(directory.listing(BTC)).toBe('listed');
    expect(directory.listing(NOPE)).toBe('unverified');
    expect(directory.view()).toMatchObject({ state: 'absent', markets: 0, fetches: 0 });
  });

  it('fetches lazily on first use, once for concurrent callers, then answers without I/O', async () => {
    const { directory, source } = create();
    expect(source.calls).toBe(0);
    expect(directory.view().state).toBe('not-loaded');
    expect(directory.prepare([])).toBeUndefined();
    expect(source.calls).toBe(0);

    const first = directory.prepare([BTC]);
    const second = directory.prepare([NOPE]);
    expect(second).toBe(first);
    await first;
    expect(source.calls).toBe(1);
    expect(directory.listing(BTC)).toBe('listed');
    expect(directory.listing(SIGN)).toBe('listed');
    expect(directory.listing(NOPE)).toBe('unlisted');
    expect(directory.prepare([BTC, NOPE])).toBeUndefined();
    expect(source.calls).toBe(1);
    expect(directory.view()).toMatchObject({ state: 'loaded', markets: 4, ageMs: 0, fetches: 1, failures: 0 });
  });

  it('refreshes a list older than the refresh interval in the background, answering from the old one meanwhile', async () => {
    const { directory, source, clock } = create({ refreshIntervalMs: 600_000 });
    await prepared(directory, [BTC]);
    const listed = source.list('KRW-NEW');
    clock.advance(599_999);
    expect(directory.prepare([BTC])).toBeUndefined();
    expect(source.calls).toBe(1);

    clock.advance(1);
    expect(directory.prepare([BTC])).toBeUndefined();
    expect(source.calls).toBe(2);
    // Not waited for: the old list answers until the new one is in.
    expect(directory.listing(listed)).toBe('unlisted');
    await clock.advanceAsync(0);
    expect(directory.listing(listed)).toBe('listed');
    expect(directory.view()).toMatchObject({ markets: 5, ageMs: 0 });
  });

  it('rechecks a symbol the list lacks once the list is older than the recheck interval, finding a new listing', async () => {
    const { directory, source, clock } = create({ recheckUnlistedAfterMs: 60_000 });
    await prepared(directory, [BTC]);
    const NEW = parseMarketCode('KRW-NEW');
    expect(directory.prepare([NEW])).toBeUndefined();
    expect(directory.listing(NEW)).toBe('unlisted');

    clock.advance(60_000);
    source.list('KRW-NEW');
    await prepared(directory, [NEW]);
    expect(directory.listing(NEW)).toBe('listed');
    expect(source.calls).toBe(2);

    // A symbol still unlisted after the recheck waits for the next interval: at most one list request per interval.
    for (let i = 0; i < 5; i++) expect(directory.prepare([NOPE])).toBeUndefined();
    expect(directory.listing(NOPE)).toBe('unlisted');
    expect(source.calls).toBe(2);
  });

  it('tolerates a failed first load: symbols are unverified, one warning, a background retry after the interval', async () => {
    const { directory, source, clock, logger } = create({ retryAfterFailureMs: 60_000 });
    source.failNext(1);
    await prepared(directory, [BTC]);
    expect(directory.listing(BTC)).toBe('unverified');
    expect(directory.listing(NOPE)).toBe('unverified');
    expect(directory.view()).toMatchObject({ state: 'failed', failures: 1 });
    expect(directory.view().lastError).toMatch(/NetworkError: connection refused/);
    expect(logger.find('warn', 'market list unavailable')).toHaveLength(1);

    // Callers are not held again: the retry runs in the background once the interval has passed.
    clock.advance(59_999);
    expect(directory.prepare([BTC])).toBeUndefined();
    expect(source.calls).toBe(1);
    clock.advance(1);
    source.failNext(1);
    expect(directory.prepare([BTC])).toBeUndefined();
    await clock.advanceAsync(0);
    expect(source.calls).toBe(2);
    expect(logger.find('warn', 'market list unavailable')).toHaveLength(1);

    clock.advance(60_000);
    expect(directory.prepare([BTC])).toBeUndefined();
    await clock.advanceAsync(0);
    expect(source.calls).toBe(3);
    expect(directory.listing(NOPE)).toBe('unlisted');
    expect(directory.view()).toMatchObject({ state: 'loaded', failures: 2 });
    expect(logger.find('info', 'market list available again')).toHaveLength(1);
  });

  it('gives up on a hanging list request at its deadline, on the injected clock', async () => {
    const { directory, source, clock } = create();
    source.hangNext(1);
    const pending = directory.prepare([BTC]);
    await clock.advanceAsync(TIMEOUT_MS - 1);
    expect(directory.view().state).toBe('not-loaded');
    await clock.advanceAsync(1);
    await pending;
    expect(directory.view()).toMatchObject({ state: 'failed' });
    expect(directory.view().lastError).toMatch(/^TimeoutError/);
    expect(directory.listing(NOPE)).toBe('unverified');
  });

  it('stops ruling symbols out once a refresh has failed and the list is past its refresh interval', async () => {
    const { directory, source, clock } = create({ refreshIntervalMs: 600_000 });
    await prepared(directory, [BTC]);
    clock.advance(600_000);
    source.failNext(1);
    expect(directory.prepare([BTC])).toBeUndefined();
    await clock.advanceAsync(0);
    expect(directory.view().state).toBe('failed');
    expect(directory.listing(BTC)).toBe('listed');
    expect(directory.listing(NOPE)).toBe('unverified');
  });

  it('refuses an empty market list rather than calling every symbol unknown', async () => {
    const { directory, source } = create();
    source.markets = [];
    await prepared(directory, [BTC]);
    expect(directory.view().state).toBe('failed');
    expect(directory.view().lastError).toMatch(/named no market/);
    expect(directory.listing(NOPE)).toBe('unverified');
  });

  it('ends quietly when the facade closes during a fetch', async () => {
    const { directory, source, lifetime, logger, clock } = create();
    source.hangNext(1);
    const pending = directory.prepare([BTC]);
    lifetime.abort();
    await pending;
    expect(logger.find('warn')).toHaveLength(0);
    expect(clock.pendingTimerCount()).toBe(0);
    expect(directory.prepare([BTC])).toBeUndefined();
    expect(source.calls).toBe(1);
  });

  it('remembers a bounded number of symbols seen on the channels, forgetting the oldest', () => {
    const { directory } = create({ source: undefined, maxSeen: 2 });
    const [a, b, c] = ['KRW-AAA', 'KRW-BBB', 'KRW-CCC'].map((code) => parseMarketCode(code));
    if (a === undefined || b === undefined || c === undefined) throw new Error('codes');
    directory.noteSeen(a);
    directory.noteSeen(b);
    directory.noteSeen(c);
    expect([a, b, c].map((symbol) => directory.listing(symbol))).toEqual(['unverified', 'listed', 'listed']);
  });
});
