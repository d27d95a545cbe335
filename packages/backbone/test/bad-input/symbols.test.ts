import {
  isDataValidationError,
  isInvalidMarketCodeError,
  isMarketDataError,
  isUnknownSymbolError,
} from '@marketdata/domain';
import { afterEach, describe, expect, it } from 'vitest';
import type { TickerResult } from '../../src/index.js';
import { createHarness, type Harness } from '../support/harness.js';
import { failureOf, ioCount, untyped } from './helpers.js';

// Bad symbols at the facade, with fake sources and a fake clock: unknown (well-formed, not listed), malformed or
// lower-case codes, and values an untyped JavaScript caller may pass.

let harness: Harness | undefined;

afterEach(async () => {
  if (harness === undefined) return;
  await harness.md.close();
  expect(harness.clock.pendingTimerCount()).toBe(0);
  harness = undefined;
});

// Each is refused by the market-code rule (`QUOTE-BASE`, upper-case letters and digits) before any I/O. The comma and
// query-string ones matter most: passed on, they would smuggle other markets or parameters into `markets=`.
const MALFORMED_CODES: readonly string[] = [
  'krw-btc',
  'Krw-Btc',
  'KRW-btc',
  ' KRW-BTC',
  'KRW-BTC ',
  'KRW-BTC\n',
  'KRW_BTC',
  'KRWBTC',
  'KRW-',
  '-BTC',
  'KRW-BTC-ETH',
  '',
  'ＫＲＷ-BTC',
  'KRW-비트코인',
  'KRW-BTC,KRW-ETH',
  'KRW-BTC&count=200',
  '../v1/market/all',
];

describe('unknown symbols (well-formed, not listed)', () => {
  it('getTicker rejects with UnknownSymbolError naming the symbol, without a fallback or harm to the channel', async () => {
    harness = createHarness();
    const { md, rest, websocket } = harness;
    rest.unknownSymbols.add('KRW-NOPE');
    for (let i = 0; i < 5; i++) {
      const error = await failureOf(() => md.getTicker('KRW-NOPE'));
      expect(error).toSatisfy(isUnknownSymbolError);
      expect(error).toMatchObject({ symbol: 'KRW-NOPE' });
      harness.clock.advance(100);
    }
    // Not a channel fault: the other channel would answer the same, so nothing falls back and nothing is disabled.
    expect(websocket.callCount('getTicker')).toBe(0);
    expect(md.stats().fallbacks.total).toBe(0);
    expect(md.health().channels.rest).toMatchObject({ state: 'enabled', consecutiveFailures: 0 });
    expect(md.health().status).toBe('ok');
    expect((await md.getTicker('KRW-BTC')).symbol).toBe('KRW-BTC');
  });

  it('getTickers answers per symbol: unknown ones get UnknownSymbolError, the others are still answered', async () => {
    harness = createHarness();
    const { md, rest } = harness;
    rest.unknownSymbols.add('KRW-NOPE');
    rest.unknownSymbols.add('BTC-NOPE');
    const input = ['KRW-BTC', 'KRW-NOPE', 'BTC-NOPE', 'KRW-ETH'];
    const results = await md.getTickers(input);
    expect(results.map((result) => result.symbol)).toEqual(input);
    expect(results.map((result) => result.ok)).toEqual([true, false, false, true]);
    for (const result of results) {
      if (result.ok) expect(result.value.symbol).toBe(result.symbol);
      else expect(result.error).toSatisfy(isUnknownSymbolError);
    }
    expect(md.stats().errors.byKind).toEqual({ UNKNOWN_SYMBOL: 2 });
    expect(md.health().status).toBe('ok');
  });

  it('an unknown symbol asked on the websocket does not disable that channel for every other symbol', async () => {
    // The fake WebSocket behaves like the adapter (and Upbit): an unknown code is silently never answered, so the
    // call waits for a snapshot until its deadline. A user's typo must not take the channel away from everyone.
    harness = createHarness();
    const { md, clock, push } = harness;
    push('KRW-BTC');
    for (let i = 0; i < 3; i++) {
      const outcome = failureOf(() => md.getTicker('KRW-NOPE', { source: 'websocket' }));
      await clock.advanceAsync(md.config.webSocketTimeoutMs);
      expect(await outcome).toSatisfy(isMarketDataError);
    }
    expect(md.health().channels.websocket?.state).toBe('enabled');
    push('KRW-BTC');
    expect(await md.getTicker('KRW-BTC', { source: 'websocket' })).toMatchObject({
      symbol: 'KRW-BTC',
      source: 'websocket',
    });
  });
});

describe('lower-case and malformed codes', () => {
  it.each(MALFORMED_CODES)('getTicker(%j) rejects with InvalidMarketCodeError before any I/O', async (code) => {
    harness = createHarness();
    const error = await failureOf(() => harness?.md.getTicker(code));
    expect(error).toSatisfy(isInvalidMarketCodeError);
    expect(error).toMatchObject({ path: 'symbol', value: code, retryable: false });
    expect(ioCount(harness)).toBe(0);
  });

  it('getTickers reports each malformed entry on its own and sends only the valid codes', async () => {
    harness = createHarness();
    const { md, rest } = harness;
    const input = ['krw-btc', 'KRW-BTC', 'KRW-BTC,KRW-ETH', ...MALFORMED_CODES, 'KRW-ETH'];
    const results = await md.getTickers(input);
    expect(results.map((result) => result.symbol)).toEqual(input);
    results.forEach((result, index) => {
      const valid = input[index] === 'KRW-BTC' || input[index] === 'KRW-ETH';
      expect(result.ok).toBe(valid);
      if (!result.ok) expect(result.error).toSatisfy(isInvalidMarketCodeError);
    });
    expect(rest.requests()).toEqual([{ method: 'getTickers', symbols: ['KRW-BTC', 'KRW-ETH'] }]);
    expect(md.stats().errors.byKind).toEqual({ INVALID_MARKET_CODE: input.length - 2 });
  });

  it('getTickers of malformed codes only makes no request at all', async () => {
    harness = createHarness();
    const results = await harness.md.getTickers(MALFORMED_CODES);
    expect(results).toHaveLength(MALFORMED_CODES.length);
    expect(results.every((result) => !result.ok && isInvalidMarketCodeError(result.error))).toBe(true);
    expect(ioCount(harness)).toBe(0);
  });

  it('watchTickers, watchOrderBooks and watchTrades refuse a malformed code before subscribing anything', async () => {
    harness = createHarness();
    const { md } = harness;
    const symbols = ['KRW-BTC', 'krw-eth'];
    for (const open of [
      () => md.watchTickers(symbols),
      () => md.watchOrderBooks(symbols),
      () => md.watchTrades(symbols),
    ]) {
      expect(await failureOf(open)).toSatisfy(isInvalidMarketCodeError);
    }
    expect(ioCount(harness)).toBe(0);
    expect(md.stats().streams.active).toBe(0);
  });
});

describe('non-string input from untyped JavaScript callers', () => {
  const NOT_STRINGS: readonly [string, unknown][] = [
    ['null', null],
    ['undefined', undefined],
    ['42', 42],
    ['NaN', Number.NaN],
    ['true', true],
    ['{}', {}],
    ['[]', []],
    ["['KRW-BTC']", ['KRW-BTC']],
    ["new String('KRW-BTC')", new String('KRW-BTC')],
    ['a symbol', Symbol('KRW-BTC')],
    ['a function', () => 'KRW-BTC'],
    ['an object without prototype', Object.create(null)],
  ];

  it.each(NOT_STRINGS)('getTicker(%s) rejects with InvalidMarketCodeError, not a TypeError', async (_, value) => {
    harness = createHarness();
    const error = await failureOf(() => harness?.md.getTicker(untyped(value)));
    expect(error).toSatisfy(isInvalidMarketCodeError);
    expect(ioCount(harness)).toBe(0);
  });

  it.each([
    ['a BigInt', 10n],
    ['a circular object', circular()],
  ])(
    'getTicker(%s), which JSON cannot serialize, rejects with InvalidMarketCodeError, not a TypeError',
    async (_, value) => {
      harness = createHarness();
      const error = await failureOf(() => harness?.md.getTicker(untyped(value)));
      expect(error).toSatisfy(isInvalidMarketCodeError);
      expect(ioCount(harness)).toBe(0);
    },
  );

  it('getTickers answers every odd entry with its own InvalidMarketCodeError and still answers the valid one', async () => {
    harness = createHarness();
    const input = untyped<string[]>([...NOT_STRINGS.map(([, value]) => value), 'KRW-BTC']);
    const results = await harness.md.getTickers(input);
    expectInvalidThenValid(results, input.length);
    expect(harness.rest.requests()).toEqual([{ method: 'getTickers', symbols: ['KRW-BTC'] }]);
  });

  it('getTickers answers a BigInt or a circular object with InvalidMarketCodeError, not an "unexpected" error', async () => {
    harness = createHarness();
    const input = untyped<string[]>([10n, circular(), 'KRW-BTC']);
    const results = await harness.md.getTickers(input);
    expectInvalidThenValid(results, input.length);
  });

  it('getTickers answers every position of an array with holes', async () => {
    harness = createHarness();
    const input: string[] = [];
    input[1] = 'KRW-BTC';
    const results = await harness.md.getTickers(input);
    expect(results).toHaveLength(2);
    expect(0 in results).toBe(true);
    expect(results[0]?.ok === false && isInvalidMarketCodeError(results[0].error)).toBe(true);
    expect(results[1]?.ok).toBe(true);
  });

  it('getTickers and the watch methods refuse a list that is not an array with DataValidationError', async () => {
    harness = createHarness();
    const { md } = harness;
    for (const value of [null, undefined, 'KRW-BTC', 42, { 0: 'KRW-BTC', length: 1 }]) {
      expect(await failureOf(() => md.getTickers(untyped(value)))).toSatisfy(isDataValidationError);
      expect(await failureOf(() => md.watchTickers(untyped(value)))).toSatisfy(isDataValidationError);
      expect(await failureOf(() => md.watchOrderBooks(untyped(value)))).toSatisfy(isDataValidationError);
      expect(await failureOf(() => md.watchTrades(untyped(value)))).toSatisfy(isDataValidationError);
    }
    expect(ioCount(harness)).toBe(0);
  });

  it('an unknown source option is a DataValidationError before any I/O', async () => {
    harness = createHarness();
    const { md } = harness;
    for (const source of ['fast', 'REST', '', null, 1]) {
      const options = { source: untyped<'auto'>(source) };
      expect(await failureOf(() => md.getTicker('KRW-BTC', options))).toSatisfy(isDataValidationError);
      expect(await failureOf(() => md.getTickers(['KRW-BTC'], options))).toSatisfy(isDataValidationError);
      expect(await failureOf(() => md.watchTickers(['KRW-BTC'], options))).toSatisfy(isDataValidationError);
    }
    expect(ioCount(harness)).toBe(0);
  });

  it('null options are taken as "no options" or refused with a typed error, never a TypeError', async () => {
    harness = createHarness();
    const { md } = harness;
    const calls: [string, () => unknown][] = [
      ['getTicker', () => md.getTicker('KRW-BTC', untyped(null))],
      ['getTickers', () => md.getTickers(['KRW-BTC'], untyped(null))],
      ['watchTickers', () => md.watchTickers(['KRW-BTC'], untyped(null)).return?.()],
      ['watchOrderBooks', () => md.watchOrderBooks(['KRW-BTC'], untyped(null)).return?.()],
      ['watchTrades', () => md.watchTrades(['KRW-BTC'], untyped(null)).return?.()],
    ];
    const untypedFailures: string[] = [];
    for (const [name, call] of calls) {
      const error = await failureOf(call);
      if (error !== undefined && !isDataValidationError(error)) untypedFailures.push(`${name}: ${String(error)}`);
    }
    expect(untypedFailures).toEqual([]);
  });

  it('a signal that is not an AbortSignal is refused as bad input and does not count against the channel', async () => {
    harness = createHarness({}, false);
    const { md } = harness;
    for (let i = 0; i < 3; i++) {
      const error = await failureOf(() => md.getTicker('KRW-BTC', { signal: untyped(42) }));
      expect(error).toSatisfy(isDataValidationError);
    }
    expect(md.health().channels.rest).toMatchObject({ state: 'enabled', consecutiveFailures: 0 });
    expect((await md.getTicker('KRW-ETH')).source).toBe('rest');
  });
});

function expectInvalidThenValid(results: readonly TickerResult[], length: number): void {
  expect(results).toHaveLength(length);
  const last = results.at(-1);
  expect(last?.ok && last.value.symbol).toBe('KRW-BTC');
  for (const result of results.slice(0, -1)) {
    expect(typeof result.symbol).toBe('string');
    expect(result.ok ? 'ok' : result.error.code).toBe('INVALID_MARKET_CODE');
  }
}

function circular(): Record<string, unknown> {
  const value: Record<string, unknown> = { market: 'KRW-BTC' };
  value.self = value;
  return value;
}
