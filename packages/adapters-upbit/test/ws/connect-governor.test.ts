import { type MarketCode, parseMarketCode, systemClock } from '@marketdata/domain';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { governorKey, sharedConnectionGovernor } from '../../src/ws/connection-governor.js';
import { createUpbitWebSocketSource, type UpbitWebSocketSource } from '../../src/ws/index.js';
import { captureProcessFailures } from '../support/process-failures.js';
import { BTC, codes, type Harness, maxInWindow, startHarness, until } from './support/harness.js';
import { LocalUpbitServer } from './support/local-upbit-server.js';

// Upbit allows 5 WebSocket connects per second per IP; more are answered 429, then 418 (an IP block). Today's
// "take the first tick, then break" loop made 51 connects in 10 s. Every bound here holds with DEFAULT settings.

let harness: Harness | undefined;
const cleanups: (() => Promise<void>)[] = [];
const failures = captureProcessFailures();
afterAll(() => failures.dispose());

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await harness?.close();
  harness = undefined;
  expect(failures.seen).toEqual([]);
});

/** `for await … break`: the consumer takes the first ticker and leaves. */
async function firstTicker(source: UpbitWebSocketSource, symbol: MarketCode): Promise<number> {
  for await (const ticker of source.watchTickers([symbol])) return ticker.price;
  throw new Error('the stream ended without a ticker');
}

describe('listen, take the first ticker, release — 100 times', () => {
  it('one socket, reused while the symbol lingers: one connect, one request', async () => {
    harness = await startHarness();
    const { source, server, connectTimes } = harness;
    for (let i = 0; i < 100; i++) expect(await firstTicker(source, BTC)).toBeGreaterThan(0);
    expect(connectTimes).toHaveLength(1);
    expect(server.upgradeTimes).toHaveLength(1);
    expect(server.requests).toHaveLength(1);
    expect(source.state).toBe('open');
  });

  it('each on a new symbol, against a server that drops every socket after its SNAPSHOTs: ≤ 5 connects in any second', async () => {
    harness = await startHarness();
    const { source, server, pump } = harness;
    server.dropAfterSnapshot = true;
    const symbols = codes(100);
    for (const symbol of symbols) {
      const taken = firstTicker(source, symbol);
      let done = false;
      void taken.then(() => {
        done = true;
      });
      // Fake time moves on (for backoff and pacing) until the consumer has its first ticker.
      for (let step = 0; step < 200 && !done; step++) await pump(50, 50);
      expect(done).toBe(true);
      expect(await taken).toBeGreaterThan(0);
    }
    const upgrades = server.upgradeTimes;
    expect(upgrades.length).toBeGreaterThan(10);
    expect(maxInWindow(upgrades, 1_000)).toBeLessThanOrEqual(5);
    // The backoff never resets on a socket that dies right after its first frames: attempts stay spread out.
    const spacing = upgrades.slice(1).map((at, i) => at - (upgrades[i] ?? 0));
    expect(Math.min(...spacing)).toBeGreaterThanOrEqual(200);
    expect(maxInWindow(server.requestTimes, 1_000)).toBeLessThanOrEqual(5);
  });
});

describe('three sources in one process (the shared governor, real time)', () => {
  it('churning sources (create, take the first ticker, close) make ≤ 5 connects in any second together', async () => {
    const server = await LocalUpbitServer.start(); // timestamps on the system clock, as the shared governor's
    cleanups.push(() => server.close());
    const rounds = 7;
    const churn = async (symbol: MarketCode): Promise<void> => {
      for (let round = 0; round < rounds; round++) {
        // Every option at its default: the process-wide governor included.
        const source = createUpbitWebSocketSource({ url: server.url });
        try {
          expect(await firstTicker(source, symbol)).toBeGreaterThan(0);
        } finally {
          await source.close();
        }
      }
    };
    const symbols = ['KRW-BTC', 'KRW-ETH', 'KRW-XRP'].map((code) => parseMarketCode(code));
    await Promise.all(symbols.map((symbol) => churn(symbol)));
    expect(server.upgradeTimes).toHaveLength(3 * rounds);
    expect(maxInWindow(server.upgradeTimes, 1_000)).toBeLessThanOrEqual(5);
    expect(server.refusedUpgrades).toBe(0);
  }, 30_000);

  it('a source left at its defaults asks the process-wide governor', async () => {
    const server = await LocalUpbitServer.start();
    cleanups.push(() => server.close());
    const source = createUpbitWebSocketSource({ url: server.url });
    cleanups.push(() => source.close());
    // Another source of this process was told to hold off this host for 1.5 s.
    const heldAt = systemClock.monotonic();
    sharedConnectionGovernor.hold(governorKey(server.url), 1_500);
    source.subscribe('ticker', [BTC]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(source.state).toBe('connecting');
    expect(source.status().connectAttempts).toBe(0); // waiting for the governor, no socket yet
    await until(() => source.state === 'open', 5_000);
    expect(server.upgradeTimes).toHaveLength(1);
    expect((server.upgradeTimes[0] ?? 0) - heldAt).toBeGreaterThanOrEqual(1_500);
  });
});
