import { isInvalidMarketCodeError, isNetworkError, isUnknownSymbolError } from '@marketdata/domain';
import { flushMicrotasks } from '@marketdata/domain/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { recordedKrwTickers } from '../support/fixture-tickers.js';
import { createHarness, type Harness } from '../support/harness.js';
import { untyped } from './helpers.js';

// 1,000 symbols in one getTickers call, with fake sources (the simulator run with the real adapters is in
// simulator.test.ts). The recorded KRW answer has 244 markets, so a list of 1,000 repeats each of them.

const RECORDED_PRICES = new Map<string, number>(recordedKrwTickers().map((tick) => [tick.symbol, tick.price]));
const KNOWN = [...RECORDED_PRICES.keys()];
const INVALID_SAMPLES: readonly unknown[] = ['krw-btc', null, 42, ' KRW-ETH', {}, 'KRW_XRP'];

type Kind = 'known' | 'unknown' | 'invalid';

interface MixedInput {
  readonly input: readonly string[];
  readonly kinds: readonly Kind[];
}

/** 1,000 entries: recorded markets (so duplicates), unlisted well-formed codes, and malformed or non-string entries. */
function mixedThousand(unknownSymbols: Set<string>): MixedInput {
  const input: unknown[] = [];
  const kinds: Kind[] = [];
  for (let i = 0; i < 1_000; i++) {
    if (i % 40 === 3) {
      const code = `KRW-NOPE${i}`;
      unknownSymbols.add(code);
      input.push(code);
      kinds.push('unknown');
    } else if (i % 40 === 17) {
      input.push(INVALID_SAMPLES[i % INVALID_SAMPLES.length]);
      kinds.push('invalid');
    } else {
      input.push(KNOWN[i % KNOWN.length]);
      kinds.push('known');
    }
  }
  return { input: untyped<string[]>(input), kinds };
}

let harness: Harness | undefined;

afterEach(async () => {
  if (harness === undefined) return;
  await harness.md.close();
  expect(harness.clock.pendingTimerCount()).toBe(0);
  harness = undefined;
});

describe('1,000 symbols in one getTickers call', () => {
  it('answers every entry in input order, per symbol, with one batched request of the distinct valid codes', async () => {
    harness = createHarness();
    const { md, rest, websocket } = harness;
    const { input, kinds } = mixedThousand(rest.unknownSymbols);
    const results = await md.getTickers(input);

    expect(results).toHaveLength(1_000);
    results.forEach((result, index) => {
      expect(result.symbol).toBe(String(input[index]));
      const kind = kinds[index];
      if (kind === 'known') {
        expect(result.ok && result.value.symbol).toBe(input[index]);
        expect(result.ok && result.value.price).toBe(RECORDED_PRICES.get(String(input[index])));
      } else if (kind === 'unknown') {
        expect(!result.ok && isUnknownSymbolError(result.error) && result.error.symbol).toBe(input[index]);
      } else {
        expect(!result.ok && isInvalidMarketCodeError(result.error)).toBe(true);
      }
    });

    // Duplicates are asked once and every copy gets the same answer.
    const valid = input.filter((_, index) => kinds[index] !== 'invalid');
    expect(rest.requests()).toEqual([{ method: 'getTickers', symbols: [...new Set(valid)] }]);
    expect(websocket.requests()).toEqual([]);
    const firstAnswer = new Map<string, unknown>();
    for (const result of results) {
      if (!result.ok) continue;
      const seen = firstAnswer.get(result.symbol);
      if (seen === undefined) firstAnswer.set(result.symbol, result.value);
      else expect(result.value).toEqual(seen);
    }

    const stats = md.stats();
    expect(stats.requests).toEqual({ rest: 1, websocket: 0 });
    expect(stats.errors.byKind).toEqual({
      UNKNOWN_SYMBOL: kinds.filter((kind) => kind === 'unknown').length,
      INVALID_MARKET_CODE: kinds.filter((kind) => kind === 'invalid').length,
    });
    expect(md.health().status).toBe('ok');
    expect(md.health().channels.rest.consecutiveFailures).toBe(0);
  });

  it('answers 1,000 distinct unlisted codes with UnknownSymbolError each and keeps the channels healthy', async () => {
    harness = createHarness();
    const { md, rest } = harness;
    const input = Array.from({ length: 1_000 }, (_, index) => `BTC-NOPE${index}`);
    for (const code of input) rest.unknownSymbols.add(code);
    const results = await md.getTickers(input);
    expect(results.map((result) => result.symbol)).toEqual(input);
    expect(results.every((result) => !result.ok && isUnknownSymbolError(result.error))).toBe(true);
    expect(rest.callCount()).toBe(1);
    expect(md.stats().fallbacks.total).toBe(0);
    expect(md.health().status).toBe('ok');
  });

  it('answers 1,000 copies of one symbol with one request', async () => {
    harness = createHarness();
    const { md, rest } = harness;
    const results = await md.getTickers(Array.from({ length: 1_000 }, () => 'KRW-BTC'));
    expect(results).toHaveLength(1_000);
    expect(results.every((result) => result.ok && result.value.symbol === 'KRW-BTC')).toBe(true);
    expect(rest.requests()).toEqual([{ method: 'getTickers', symbols: ['KRW-BTC'] }]);
  });

  it('waits on the websocket for 20 symbols at once under one call signal, without an EventTarget listener leak', async () => {
    harness = createHarness();
    const { md, websocket } = harness;
    const symbols = KNOWN.slice(0, 20);
    const warnings: string[] = [];
    const onWarning = (warning: Error): void => {
      warnings.push(`${warning.name}: ${warning.message}`);
    };
    process.on('warning', onWarning);
    try {
      // None is held yet: 20 waits, each with its own bound under the one call deadline.
      const pending = md.getTickers(symbols, { source: 'websocket' });
      await flushMicrotasks();
      expect(websocket.callCount('getTicker')).toBe(20);
      for (const symbol of symbols) harness.push(symbol);
      const results = await pending;
      expect(results.every((result) => result.ok && result.value.source === 'websocket')).toBe(true);
      // Node emits process warnings on a later tick.
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings).toEqual([]);
    expect(harness.clock.pendingTimerCount()).toBe(0);
  });

  it('counts one failed batch request as one channel failure, not one per symbol in it', async () => {
    // REST only and nothing cached, so every symbol of the failed batch has nowhere to fall back to.
    harness = createHarness({}, false);
    const { md, rest } = harness;
    rest.failNext(1);
    const input = KNOWN.slice(0, 200);
    const results = await md.getTickers(input);
    expect(results).toHaveLength(input.length);
    expect(results.every((result) => !result.ok && isNetworkError(result.error))).toBe(true);
    expect(rest.callCount('getTickers')).toBe(1);

    // One request failed once: below the threshold of consecutive failures, the channel stays enabled.
    expect(md.health().channels.rest).toMatchObject({ state: 'enabled', consecutiveFailures: 1 });
    harness.clock.advance(10);
    expect((await md.getTicker('KRW-BTC')).source).toBe('rest');
  });
});
