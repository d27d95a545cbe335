import { type ConfigError, createSystemClock, isConfigError, isTimeoutError } from '@marketdata/domain';
import { FakeClock } from '@marketdata/domain/testing';
import { describe, expect, it } from 'vitest';
import { createMarketData, DEFAULT_BACKBONE_CONFIG, type MarketData } from '../../src/index.js';
import { FakeRestSource, FakeStreamingSource } from '../support/fake-sources.js';
import { tickAt } from '../support/fixture-tickers.js';
import { failureOf, untyped } from './helpers.js';

// Invalid configuration through `createMarketData`: one ConfigError listing every bad field, thrown at construction,
// before anything is started.

function configErrorOf(config: unknown): ConfigError {
  const clock = new FakeClock();
  const rest = new FakeRestSource(clock);
  let caught: unknown;
  try {
    createMarketData({ rest, clock, config: untyped(config) });
  } catch (error) {
    caught = error;
  }
  if (!isConfigError(caught)) throw new Error(`expected a ConfigError, got ${String(caught)}`);
  // Refused before anything started: no request, no timer.
  expect(rest.calls).toEqual([]);
  expect(clock.pendingTimerCount()).toBe(0);
  return caught;
}

/** The fields an error names, each once (a field failing two checks is listed with both messages). */
const pathsOf = (error: ConfigError): string[] => [...new Set(error.issues.map((issue) => issue.path))].sort();

describe('invalid configuration', () => {
  it('reports every bad field, top-level and nested, in one ConfigError', () => {
    const bad = {
      useWebSocket: 'yes',
      restTimeoutMs: -1,
      webSocketTimeoutMs: Number.NaN,
      tradeQueueCapacity: 1.5,
      cacheTtlMs: Number.POSITIVE_INFINITY,
      cacheMaxEntries: 0,
      router: {
        hotRequestsPerSecond: -0.5,
        frequencyWindowMs: '10s',
        failureThreshold: 0,
        probeBackoffInitialMs: null,
        probeBackoffMaxMs: 0,
        latencyEwmaAlpha: 1.5,
        errorRateWindowMs: 0.5,
        errorRateMinSamples: Number.NaN,
        maxErrorRate: 0,
        restSlowMs: -100,
      },
      quality: {
        disagreementThreshold: 2,
        crossCheckWindowMs: -1,
        futureToleranceMs: Number.NaN,
      },
      freshness: {
        staleFactor: 0.5,
        minStaleMs: Number.POSITIVE_INFINITY,
        defaultExpectedIntervalMs: 0,
        minExpectedIntervalMs: '50',
        maxExpectedIntervalMs: -60_000,
      },
    };
    const error = configErrorOf(bad);
    const groups = ['router', 'quality', 'freshness'];
    const expected = [
      ...Object.keys(bad).filter((key) => !groups.includes(key)),
      ...Object.keys(bad.router).map((key) => `router.${key}`),
      ...Object.keys(bad.quality).map((key) => `quality.${key}`),
      ...Object.keys(bad.freshness).map((key) => `freshness.${key}`),
    ].sort();
    expect(pathsOf(error)).toEqual(expected);
    for (const path of expected) expect(error.message).toContain(`- ${path}: `);
    expect(error.message).toContain(`(${error.issues.length} problems)`);
    expect(error).toMatchObject({ code: 'CONFIG', channel: 'config', retryable: false });
  });

  it('names unknown keys (likely typos) at every level, together with the other problems', () => {
    const error = configErrorOf({
      cacheTTLMs: 5_000,
      restTimeout: 1_000,
      router: { hotRequestPerSecond: 1 },
      quality: { futureTolerance: 10 },
      freshness: { staleFacter: 3 },
      cacheMaxEntries: -1,
    });
    expect(pathsOf(error)).toEqual(
      [
        'cacheMaxEntries',
        'cacheTTLMs',
        'freshness.staleFacter',
        'quality.futureTolerance',
        'restTimeout',
        'router.hotRequestPerSecond',
      ].sort(),
    );
    for (const issue of error.issues) {
      if (issue.path === 'restTimeout') {
        // Also a near miss of the plan's name: the message names ours.
        expect(issue.message).toBe("the Python plan's name: use restTimeoutMs (milliseconds)");
      } else if (issue.path !== 'cacheMaxEntries') expect(issue.message).toBe('unknown field');
    }
  });

  it('refuses maxRetries, saying the REST adapter owns retries now', () => {
    const error = configErrorOf({ maxRetries: 3 });
    expect(pathsOf(error)).toEqual(['maxRetries']);
    expect(error.message).toContain('createUpbitRestSource({ maxRetries })');
  });

  it.each([
    ['restTimeoutMs', -1],
    ['restTimeoutMs', 0],
    ['restTimeoutMs', -0.5],
    ['restTimeoutMs', Number.NaN],
    ['restTimeoutMs', Number.POSITIVE_INFINITY],
    ['restTimeoutMs', Number.NEGATIVE_INFINITY],
    ['restTimeoutMs', 1.5],
    ['restTimeoutMs', '1000'],
    ['restTimeoutMs', null],
    ['restTimeoutMs', 1_000n],
    ['webSocketTimeoutMs', -5_000],
    ['webSocketTimeoutMs', Number.NaN],
    ['cacheTtlMs', -1],
    ['cacheTtlMs', Number.NaN],
    ['tradeQueueCapacity', 0],
    ['tradeQueueCapacity', Number.NaN],
    ['useWebSocket', 'false'],
    ['useWebSocket', 0],
  ])('%s = %s is refused with a ConfigError naming exactly that field', (field, value) => {
    const error = configErrorOf({ [field]: value });
    expect(pathsOf(error)).toEqual([field]);
    expect(error.issues[0]?.value).toBe(value);
  });

  it('takes fields set to undefined (by an untyped caller) and an omitted config as the defaults', () => {
    const clock = new FakeClock();
    const withUndefined = createMarketData({
      rest: new FakeRestSource(clock),
      clock,
      config: untyped({ restTimeoutMs: undefined, router: undefined }),
    });
    const without = createMarketData({ rest: new FakeRestSource(clock), clock });
    expect(withUndefined.config).toEqual(DEFAULT_BACKBONE_CONFIG);
    expect(without.config).toEqual(DEFAULT_BACKBONE_CONFIG);
  });

  it.each([
    ['router', null],
    ['router', 5],
    ['quality', 'strict'],
    ['freshness', []],
  ])(
    '%s = %j (a known field of the wrong type) is reported as a wrong type, not as an unknown field',
    (field, value) => {
      const error = configErrorOf({ [field]: value });
      expect(pathsOf(error)).toEqual([field]);
      expect(error.issues[0]?.message).not.toBe('unknown field');
      expect(error.issues[0]?.message).toMatch(/object/i);
    },
  );

  it.each([
    ['null', null],
    ['a number', 42],
    ['a string', 'restTimeoutMs=1000'],
    ['an array', []],
    ['a Map', new Map([['restTimeoutMs', -1]])],
  ])('a config that is %s, not a plain object, is refused with a ConfigError saying so', (_, value) => {
    const error = configErrorOf(value);
    expect(error.issues).toHaveLength(1);
    expect(error.issues[0]?.message).toMatch(/object/i);
  });

  it('refuses options without a REST source at construction with a ConfigError, not a TypeError at first use', async () => {
    const clock = new FakeClock();
    const notRefused: string[] = [];
    const cases: [string, unknown][] = [
      ['no options', undefined],
      ['{}', {}],
      ['{ clock } only', { clock }],
      ['rest: 42', { rest: 42 }],
      ['rest: {}', { rest: {} }],
    ];
    for (const [name, options] of cases) {
      const error = await failureOf(() => createMarketData(untyped(options)));
      if (!isConfigError(error)) notRefused.push(`${name}: ${error === undefined ? 'accepted' : String(error)}`);
    }
    expect(notRefused).toEqual([]);
  });
});

describe('timeouts the timer cannot represent', () => {
  // Node's setTimeout fires after 1 ms for any delay above 2^31 - 1 ms (TimeoutOverflowWarning). A timeout that large
  // must be refused by the configuration or honoured (the call waits for the answer), never turned into an
  // immediate TimeoutError. This runs on the default (system) clock: the overflow is a property of the real timer.
  const TOO_LARGE = 2 ** 31;

  /** A REST source that answers after `delayMs` of real time. */
  const clock = createSystemClock();

  function slowRest(delayMs: number): FakeRestSource {
    const rest = new FakeRestSource(clock);
    const answer = rest.getTickers.bind(rest);
    rest.getTickers = async (symbols, options) => {
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      return answer(symbols, options);
    };
    return rest;
  }

  it.each(['restTimeoutMs', 'webSocketTimeoutMs'] as const)('%s = 2^31 is refused or honoured', async (field) => {
    const rest = slowRest(20);
    const websocket = new FakeStreamingSource(clock);
    let md: MarketData;
    try {
      md = createMarketData({ rest, websocket, clock, config: { [field]: TOO_LARGE } });
    } catch (error) {
      expect(isConfigError(error) && pathsOf(error)).toEqual([field]);
      return;
    }
    try {
      const source = field === 'restTimeoutMs' ? 'rest' : 'websocket';
      if (source === 'websocket') setTimeout(() => websocket.push(tickAt('KRW-BTC', 'websocket', clock)), 20);
      const error = await failureOf(() => md.getTicker('KRW-BTC', { source }));
      expect(isTimeoutError(error)).toBe(false);
      expect(error).toBeUndefined();
    } finally {
      await md.close();
    }
  });
});
