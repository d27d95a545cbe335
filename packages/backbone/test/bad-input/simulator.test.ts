import { createUpbitRestSource, createUpbitWebSocketSource } from '@marketdata/adapters-upbit';
import { isInvalidMarketCodeError, isMarketDataError, isUnknownSymbolError } from '@marketdata/domain';
import { DEFAULT_RATE_LIMITS, startUpbitSim, type UpbitSim } from '@marketdata/upbit-sim';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { type BackboneConfigInput, createMarketData, type MarketData, type TickerResult } from '../../src/index.js';
import { failureOf } from './helpers.js';

// Bad input through the facade on the real adapters against the simulator (127.0.0.1, random port, the simulator's
// default Upbit-like rate limits), on the real clock. These are the cases where the adapters matter: what reaches the
// wire, unknown symbols as Upbit reports them, and 1,000 symbols against a rate limit of 10 requests/s per group.

let sim: UpbitSim | undefined;
let md: MarketData | undefined;
const unhandled: unknown[] = [];
const warnings: string[] = [];
const onUnhandled = (reason: unknown): void => {
  unhandled.push(reason);
};
const onWarning = (warning: Error): void => {
  warnings.push(`${warning.name}: ${warning.message}`);
};
process.on('unhandledRejection', onUnhandled);
process.on('warning', onWarning);
afterAll(() => {
  process.off('unhandledRejection', onUnhandled);
  process.off('warning', onWarning);
});

afterEach(async () => {
  await md?.close();
  await sim?.close();
  md = undefined;
  sim = undefined;
  warnings.length = 0;
  expect(unhandled).toEqual([]);
});

async function start(config: BackboneConfigInput = {}): Promise<{ md: MarketData; sim: UpbitSim }> {
  sim = await startUpbitSim({ adminPort: false, seed: 7 });
  // Retries and attempt timeouts are the REST adapter's (`maxRetries`, `attemptTimeoutMs`); the backbone's
  // `restTimeoutMs` is the deadline of one facade call, handed to the adapter as its signal.
  const rest = createUpbitRestSource({ url: sim.restUrl });
  const websocket = createUpbitWebSocketSource({ url: sim.wsUrl });
  md = createMarketData({ rest, websocket, config });
  return { md, sim };
}

function tickerRequests(simulator: UpbitSim): number {
  return simulator.control.counters().requestsByGroup.ticker ?? 0;
}

/** Requests a call may make and still fit the simulator's (Upbit's) budget within its own deadline. */
function budgetWithin(timeoutMs: number): number {
  return DEFAULT_RATE_LIMITS.perGroup * Math.floor(timeoutMs / DEFAULT_RATE_LIMITS.windowMs);
}

/** Real time, to see whether requests keep reaching the simulator after a call answered (one rate window+). */
function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function outcomeKinds(results: readonly TickerResult[]): Record<string, number> {
  const kinds: Record<string, number> = {};
  for (const result of results) {
    const kind = result.ok ? 'ok' : result.error.code;
    kinds[kind] = (kinds[kind] ?? 0) + 1;
  }
  return kinds;
}

describe('bad input on the real adapters against the simulator', () => {
  it('refuses lower-case and malformed codes before anything reaches the simulator', async () => {
    const { md: marketData, sim: simulator } = await start();
    for (const code of ['krw-btc', 'KRW-BTC,KRW-ETH', 'KRW-BTC&count=200', ' KRW-ETH']) {
      expect(await failureOf(() => marketData.getTicker(code))).toSatisfy(isInvalidMarketCodeError);
      expect(await failureOf(() => marketData.getTicker(code, { source: 'websocket' }))).toSatisfy(
        isInvalidMarketCodeError,
      );
    }
    const results = await marketData.getTickers(['krw-btc', 'KRW_BTC', 'Krw-Eth']);
    expect(results.every((result) => !result.ok && isInvalidMarketCodeError(result.error))).toBe(true);
    expect(await failureOf(() => marketData.watchTickers(['krw-btc']))).toSatisfy(isInvalidMarketCodeError);

    const counters = simulator.control.counters();
    expect(counters.requestsByGroup).toEqual({});
    expect(counters.wsConnections).toBe(0);
    expect(simulator.control.subscriptions()).toEqual([]);
  });

  it('answers unknown symbols with UnknownSymbolError and the others normally, the channels staying healthy', async () => {
    const { md: marketData } = await start();
    const error = await failureOf(() => marketData.getTicker('KRW-NOPE'));
    expect(error).toSatisfy(isUnknownSymbolError);
    expect(error).toMatchObject({ symbol: 'KRW-NOPE' });

    const results = await marketData.getTickers(['KRW-BTC', 'KRW-NOPE', 'BTC-NOPE', 'KRW-ETH']);
    expect(results.map((result) => (result.ok ? result.value.symbol : result.error.code))).toEqual([
      'KRW-BTC',
      'UNKNOWN_SYMBOL',
      'UNKNOWN_SYMBOL',
      'KRW-ETH',
    ]);
    expect(marketData.health().status).toBe('ok');
  });

  it('answers 1,000 entries over every market (duplicates, a few unknown and malformed) per symbol, in order', async () => {
    const { md: marketData, sim: simulator } = await start();
    const codes = simulator.control.marketCodes();
    const input: string[] = [];
    for (let i = 0; i < 1_000; i++) {
      if (i % 331 === 7) input.push(`KRW-NOPE${i}`);
      else if (i % 97 === 11) input.push((codes[i % codes.length] ?? '').toLowerCase());
      else input.push(codes[i % codes.length] ?? '');
    }
    const unknown = input.filter((code) => code.startsWith('KRW-NOPE')).length;
    const malformed = input.filter((code) => code !== code.toUpperCase()).length;

    const results = await marketData.getTickers(input);
    const requests = tickerRequests(simulator);

    expect(results).toHaveLength(1_000);
    expect(outcomeKinds(results)).toEqual({
      ok: 1_000 - unknown - malformed,
      UNKNOWN_SYMBOL: unknown,
      INVALID_MARKET_CODE: malformed,
    });
    const priceOf = new Map<string, number>();
    results.forEach((result, index) => {
      expect(result.symbol).toBe(input[index]);
      if (!result.ok) return;
      expect(result.value.symbol).toBe(input[index]);
      expect(result.value.price).toBeGreaterThan(0);
      // Every copy of a symbol gets the same answer.
      const first = priceOf.get(result.symbol) ?? result.value.price;
      priceOf.set(result.symbol, first);
      expect(result.value.price).toBe(first);
    });
    expect(priceOf.size).toBe(codes.length);

    const counters = simulator.control.counters();
    expect({ sent429: counters.sent429, sent418: counters.sent418 }).toEqual({ sent429: 0, sent418: 0 });
    expect(requests).toBeLessThanOrEqual(budgetWithin(marketData.config.restTimeoutMs));
    console.log(`1,000 mixed entries (${codes.length} markets, ${unknown} unknown): ${requests} ticker requests`);
    await pause(1_200);
    expect(tickerRequests(simulator)).toBe(requests);
    expect(marketData.health().status).toBe('ok');
  });

  it('answers 1,000 mostly unknown symbols per symbol, within the rate budget and leaving the channels enabled', async () => {
    const { md: marketData, sim: simulator } = await start({ restTimeoutMs: 5_000, webSocketTimeoutMs: 2_000 });
    const codes = simulator.control.marketCodes();
    const input = Array.from({ length: 1_000 }, (_, index) =>
      index % 10 === 0 ? (codes[index % codes.length] ?? '') : `KRW-ZZ${index}`,
    );
    const listed = input.filter((code) => !code.startsWith('KRW-ZZ')).length;

    const results = await marketData.getTickers(input);
    const requests = tickerRequests(simulator);
    const counters = simulator.control.counters();
    console.log(
      `1,000 mostly unknown: ${JSON.stringify(outcomeKinds(results))}, ${requests} ticker requests, ` +
        `responses ${JSON.stringify(counters.responsesByStatus)}, websocket connections ${counters.wsConnections}`,
    );

    expect(results.map((result) => result.symbol)).toEqual(input);
    // Nothing may keep going on the caller's behalf once it has its answer.
    await pause(1_200);
    const health = marketData.health();
    // Everything observed at once, so a failure shows every deviation.
    expect({
      outcomes: outcomeKinds(results),
      sent429: counters.sent429,
      sent418: counters.sent418,
      withinBudget: requests <= budgetWithin(marketData.config.restTimeoutMs),
      requestsAfterAnswer: tickerRequests(simulator) - requests,
      rest: health.channels.rest.state,
      websocket: health.channels.websocket?.state,
      processWarnings: [...warnings],
    }).toEqual({
      outcomes: { ok: listed, UNKNOWN_SYMBOL: 1_000 - listed },
      sent429: 0,
      sent418: 0,
      withinBudget: true,
      requestsAfterAnswer: 0,
      rest: 'enabled',
      websocket: 'enabled',
      processWarnings: [],
    });
  });

  it('an unknown symbol asked on the websocket channel gets UnknownSymbolError, not a timeout', async () => {
    const { md: marketData } = await start({ webSocketTimeoutMs: 1_000 });
    const error = await failureOf(() => marketData.getTicker('KRW-NOPE', { source: 'websocket' }));
    expect(error).toSatisfy(isMarketDataError);
    expect(error).toSatisfy(isUnknownSymbolError);
  });

  it.each([
    ['rest polling (useWebSocket: false)', false],
    ['the websocket', true],
  ])(
    'watchTickers of an unknown symbol on %s fails with UnknownSymbolError instead of waiting forever',
    async (_, useWebSocket) => {
      const { md: marketData } = await start({ useWebSocket, webSocketTimeoutMs: 1_000 });
      const stream = marketData.watchTickers(['KRW-NOPE']);
      const waitedMs = 3_000;
      let timer: NodeJS.Timeout | undefined;
      const outcome = await Promise.race([
        stream.next().then(
          (result) => ({ settled: 'value', done: result.done === true }),
          (error: unknown) => ({ settled: 'error', unknownSymbol: isUnknownSymbolError(error) }),
        ),
        new Promise((resolve) => {
          timer = setTimeout(() => resolve({ settled: `nothing within ${waitedMs} ms` }), waitedMs);
        }),
      ]);
      clearTimeout(timer);
      await stream.return?.();
      expect(outcome).toEqual({ settled: 'error', unknownSymbol: true });
    },
  );
});
