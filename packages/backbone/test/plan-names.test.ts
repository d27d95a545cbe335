import {
  type ConfigError,
  isConfigError,
  isDataValidationError,
  isInvalidMarketCodeError,
  UnknownOptionError,
} from '@marketdata/domain';
import { afterEach, describe, expect, it } from 'vitest';
import { parseBackboneConfig } from '../src/index.js';
import { createMarketHarness, type MarketHarness } from './support/market-harness.js';

// The traps a user of the Python plan (or of ccxt) walks into: each is refused with a typed error naming our key,
// or works as a documented alias. None is silently ignored.

let harness: MarketHarness | undefined;

afterEach(async () => {
  if (harness === undefined) return;
  await harness.md.close();
  harness = undefined;
});

async function failureOf(call: () => unknown): Promise<unknown> {
  try {
    await call();
  } catch (error) {
    return error;
  }
  throw new Error('accepted');
}

function configErrorOf(input: unknown): ConfigError {
  try {
    parseBackboneConfig(input);
  } catch (error) {
    if (isConfigError(error)) return error;
    throw error;
  }
  throw new Error('accepted');
}

describe("the plan's per-call names", () => {
  it.each([
    ['source_hint', 'websocket', 'source'],
    ['sourceHint', 'rest', 'source'],
    ['use_websocket', true, "source: 'websocket'"],
    ['rest_timeout', 10, 'signal: AbortSignal.timeout(ms) (or config.restTimeoutMs, milliseconds)'],
    ['timeout', 10, 'signal: AbortSignal.timeout(ms) (the call deadline is config.restTimeoutMs, milliseconds)'],
    ['no_fallback', true, 'strict: true'],
  ])('getTicker(symbol, { %s }) throws UnknownOptionError naming %s', async (option, value, ours) => {
    harness = createMarketHarness();
    const error = await failureOf(() => harness?.md.getTicker('KRW-BTC', { [option]: value } as never));
    expect(error).toBeInstanceOf(UnknownOptionError);
    expect(error).toSatisfy(isDataValidationError);
    expect(error).toMatchObject({ option, useInstead: ours, path: option, operation: 'getTicker', channel: 'api' });
    expect((error as Error).message).toBe(`Unknown option "${option}" for getTicker: use ${ours}`);
    expect(harness.rest.callCount()).toBe(0);
  });

  it('refuses the plan names on every method, before any I/O, and lists the known options for a plain typo', async () => {
    harness = createMarketHarness();
    const { md, rest } = harness;
    const hint = { source_hint: 'websocket' } as never;
    const calls: (() => unknown)[] = [
      () => md.getTickers(['KRW-BTC'], hint),
      () => md.watchTickers(['KRW-BTC'], hint),
      () => md.watchOrderBooks(['KRW-BTC'], hint),
      () => md.watchTrades(['KRW-BTC'], hint),
      () => md.getOrderBook('KRW-BTC', hint),
      () => md.getOrderBooks(['KRW-BTC'], hint),
      () => md.getTrades('KRW-BTC', hint),
      () => md.getCandles('KRW-BTC', { interval: '1m', source_hint: 'rest' } as never),
      () => md.getMarkets(hint),
      () => md.watchCandles(['KRW-BTC'], '1m', hint),
    ];
    for (const call of calls) {
      const error = await failureOf(call);
      expect(error).toBeInstanceOf(UnknownOptionError);
      expect(error).toMatchObject({ option: 'source_hint' });
    }
    const typo = await failureOf(() => md.getTicker('KRW-BTC', { sorce: 'rest' } as never));
    expect((typo as Error).message).toBe(
      'Unknown option "sorce" for getTicker: getTicker takes source, strict, signal',
    );
    expect(rest.callCount()).toBe(0);
    expect(md.stats().streams.active).toBe(0);
  });

  it('realtime and historical are documented aliases of websocket and rest', async () => {
    harness = createMarketHarness();
    const { md, websocket } = harness;
    expect((await md.getTicker('KRW-BTC', { source: 'historical' })).source).toBe('rest');
    websocket.push({ ...(await md.getTicker('KRW-ETH', { source: 'rest' })), source: 'websocket' } as never);
    expect((await md.getTicker('KRW-ETH', { source: 'realtime' })).source).toBe('websocket');
  });

  it('refuses strict without an explicit source, and a strict that is not a boolean', async () => {
    harness = createMarketHarness();
    const { md } = harness;
    expect(await failureOf(() => md.getTicker('KRW-BTC', { strict: true }))).toMatchObject({ path: 'strict' });
    expect(await failureOf(() => md.getTicker('KRW-BTC', { source: 'rest', strict: 'yes' as never }))).toMatchObject({
      path: 'strict',
    });
  });
});

describe('symbols in both forms', () => {
  it('takes BTC/KRW (ccxt) as KRW-BTC and answers with the canonical code', async () => {
    harness = createMarketHarness();
    const { md, rest } = harness;
    expect((await md.getTicker('BTC/KRW')).symbol).toBe('KRW-BTC');
    const [eth] = await md.getTickers(['ETH/KRW']);
    expect(eth).toMatchObject({ symbol: 'KRW-ETH', input: 'ETH/KRW', ok: true, value: { symbol: 'KRW-ETH' } });
    expect(rest.requests().map((request) => request.symbols)).toEqual([['KRW-BTC'], ['KRW-ETH']]);
    const stream = md.watchTickers(['SOL/KRW']);
    expect(harness.websocket.openListeners('ticker')[0]?.symbols).toEqual(['KRW-SOL']);
    await stream.return?.();
  });

  it.each([
    ['btc/krw', /upper case.*KRW-BTC \(Upbit\) or BTC\/KRW \(ccxt\)/],
    ['BTC-KRW-X', /KRW-BTC \(Upbit, QUOTE-BASE\) or BTC\/KRW \(ccxt, BASE\/QUOTE\)/],
    ['BTC/KRW/USDT', /KRW-BTC \(Upbit, QUOTE-BASE\) or BTC\/KRW \(ccxt, BASE\/QUOTE\)/],
    [' BTC/KRW', /white space; expected KRW-BTC \(Upbit\) or BTC\/KRW \(ccxt\)/],
    ['BTCKRW', /KRW-BTC \(Upbit, QUOTE-BASE\) or BTC\/KRW \(ccxt, BASE\/QUOTE\)/],
  ])('refuses %j with an InvalidMarketCodeError naming both forms', async (input, message) => {
    harness = createMarketHarness();
    const error = await failureOf(() => harness?.md.getTicker(input));
    expect(error).toSatisfy(isInvalidMarketCodeError);
    expect((error as Error).message).toMatch(message);
  });
});

describe("the plan's configuration keys", () => {
  it.each([
    [
      'rest_timeout',
      10,
      /use restTimeoutMs \(milliseconds: the plan's rest_timeout: 10 seconds is restTimeoutMs: 10_000\)/,
    ],
    ['websocket_timeout', 5, /use webSocketTimeoutMs \(milliseconds\)/],
    ['use_websocket', false, /use useWebSocket$/],
    ['cache_ttl', 60, /use cacheTtlMs \(milliseconds\)/],
    ['max_retries', 3, /use maxRetries of createUpbitMarketData\(\{ maxRetries \}\)/],
    ['source_hint', 'rest', /a per-call option: getTicker\(symbol, \{ source:/],
  ])('%s is refused with a ConfigError naming ours', (key, value, message) => {
    const error = configErrorOf({ [key]: value });
    expect(error.issues).toHaveLength(1);
    expect(error.issues[0]).toMatchObject({ path: key, value });
    expect(error.issues[0]?.message).toMatch(/^the Python plan's name: /);
    expect(error.issues[0]?.message).toMatch(message);
  });

  it('refuses timeouts under 100 ms with a hint that they are milliseconds (restTimeoutMs: 10 is the plan’s seconds)', () => {
    const error = configErrorOf({ restTimeoutMs: 10, webSocketTimeoutMs: 5 });
    expect(error.issues.map((issue) => issue.path)).toEqual(['restTimeoutMs', 'webSocketTimeoutMs']);
    for (const issue of error.issues) {
      expect(issue.message).toBe(
        'must be at least 100 ms: timeouts are milliseconds here (10 seconds is 10_000, not 10)',
      );
    }
    expect(parseBackboneConfig({ restTimeoutMs: 100, webSocketTimeoutMs: 100 })).toMatchObject({
      restTimeoutMs: 100,
      webSocketTimeoutMs: 100,
    });
  });
});
