import { type ConfigError, isConfigError } from '@marketdata/domain';
import { describe, expect, it } from 'vitest';
import { MAX_DURATION_MS } from '../src/config/backbone-config.js';
import { DEFAULT_BACKBONE_CONFIG, parseBackboneConfig } from '../src/index.js';

function configErrorOf(input: unknown): ConfigError {
  try {
    parseBackboneConfig(input);
  } catch (error) {
    if (isConfigError(error)) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('parseBackboneConfig', () => {
  it('fills the defaults', () => {
    expect(DEFAULT_BACKBONE_CONFIG).toMatchObject({
      useWebSocket: true,
      restTimeoutMs: 10_000,
      webSocketTimeoutMs: 5_000,
      cacheTtlMs: 60_000,
      tradeQueueCapacity: 10_000,
    });
    expect(DEFAULT_BACKBONE_CONFIG).not.toHaveProperty('maxRetries');
    expect(DEFAULT_BACKBONE_CONFIG.freshness).toMatchObject({ staleFactor: 3, minStaleMs: 1_000 });
    expect(DEFAULT_BACKBONE_CONFIG.router.hotRequestsPerSecond).toBe(0.5);
    expect(DEFAULT_BACKBONE_CONFIG.router.failureThreshold).toBe(3);
    expect(DEFAULT_BACKBONE_CONFIG.quality.disagreementThreshold).toBe(0.001);
    expect(parseBackboneConfig()).toEqual(DEFAULT_BACKBONE_CONFIG);
  });

  it('keeps given values and defaults the rest, nested groups included', () => {
    const config = parseBackboneConfig({ cacheTtlMs: 5_000, router: { hotRequestsPerSecond: 2 } });
    expect(config.cacheTtlMs).toBe(5_000);
    expect(config.router.hotRequestsPerSecond).toBe(2);
    expect(config.router.frequencyWindowMs).toBe(10_000);
    expect(config.restTimeoutMs).toBe(10_000);
  });

  it('reports every bad field in one ConfigError', () => {
    const error = configErrorOf({
      useWebSocket: 'yes',
      restTimeoutMs: -1,
      webSocketTimeoutMs: 2.5,
      tradeQueueCapacity: 'three',
      cacheTtlMs: Number.NaN,
      cachTtlMs: 1000,
      router: { hotRequestsPerSecond: 0, maxErrorRate: 2, probeBackoffInitialMs: 5_000, probeBackoffMaxMs: 1_000 },
      quality: { disagreementThreshold: -0.1 },
    });
    const paths = error.issues.map((issue) => issue.path).sort();
    expect(paths).toEqual(
      [
        'cachTtlMs',
        'cacheTtlMs',
        'tradeQueueCapacity',
        'quality.disagreementThreshold',
        'restTimeoutMs',
        'router.hotRequestsPerSecond',
        'router.maxErrorRate',
        'router.probeBackoffMaxMs',
        'useWebSocket',
        'webSocketTimeoutMs',
      ].sort(),
    );
    expect(error.issues.find((issue) => issue.path === 'cachTtlMs')?.message).toBe('unknown field');
    expect(error.issues.find((issue) => issue.path === 'restTimeoutMs')?.value).toBe(-1);
    expect(error.message).toContain('10 problems');
    expect(error.message).toContain('router.probeBackoffMaxMs: must be >= probeBackoffInitialMs');
  });

  it('refuses a configuration that is not an object', () => {
    expect(configErrorOf(null).issues).toHaveLength(1);
    expect(configErrorOf('fast').issues[0]?.path).toBe('$');
  });

  it('caps every duration at the longest delay a timer can hold (2^31 - 1 ms)', () => {
    const topLevel = ['restTimeoutMs', 'webSocketTimeoutMs', 'cacheTtlMs'];
    const router = [
      'frequencyWindowMs',
      'probeBackoffInitialMs',
      'probeBackoffMaxMs',
      'errorRateWindowMs',
      'restSlowMs',
    ];
    const quality = ['crossCheckWindowMs', 'futureToleranceMs'];
    const freshness = ['minStaleMs', 'defaultExpectedIntervalMs', 'minExpectedIntervalMs', 'maxExpectedIntervalMs'];
    const everyDuration = (value: number) => ({
      ...Object.fromEntries(topLevel.map((key) => [key, value])),
      router: Object.fromEntries(router.map((key) => [key, value])),
      quality: Object.fromEntries(quality.map((key) => [key, value])),
      freshness: Object.fromEntries(freshness.map((key) => [key, value])),
    });
    const largest = parseBackboneConfig(everyDuration(MAX_DURATION_MS));
    expect(largest.restTimeoutMs).toBe(2 ** 31 - 1);
    expect(largest.freshness.minStaleMs).toBe(2 ** 31 - 1);
    const error = configErrorOf(everyDuration(2 ** 31));
    const expected = [
      ...topLevel,
      ...router.map((key) => `router.${key}`),
      ...quality.map((key) => `quality.${key}`),
      ...freshness.map((key) => `freshness.${key}`),
    ].sort();
    expect(error.issues.map((issue) => issue.path).sort()).toEqual(expected);
    for (const issue of error.issues) expect(issue.message).toMatch(/at most 2147483647 ms/);
  });

  it('lists every unknown key with the wrong values, and a group of the wrong type as such', () => {
    const error = configErrorOf({
      restTimeout: 1,
      cacheTTL: 2,
      router: [1, 2],
      quality: { futureTolerance: 1, anotherTypo: 2, crossCheckWindowMs: -1 },
    });
    const byPath = Object.fromEntries(error.issues.map((issue) => [issue.path, issue.message]));
    expect(byPath).toEqual({
      restTimeout: "the Python plan's name: use restTimeoutMs (milliseconds)",
      cacheTTL: 'unknown field',
      router: 'must be an object of router settings, got an array',
      'quality.futureTolerance': 'unknown field',
      'quality.anotherTypo': 'unknown field',
      'quality.crossCheckWindowMs': 'must not be negative',
    });
  });

  it('says where a setting that left the backbone lives now, instead of calling it unknown', () => {
    const error = configErrorOf({
      maxRetries: 3,
      useWebsocket: false,
      websocketTimeoutMs: 1_000,
      router: { unsubscribeGraceMs: 30_000, staleFactor: 3, maintenanceIntervalMs: 1_000 },
      quality: { defaultExpectedIntervalMs: 1_000 },
    });
    const byPath = Object.fromEntries(error.issues.map((issue) => [issue.path, issue.message]));
    expect(byPath.maxRetries).toBe(
      'not a backbone setting: the REST adapter owns retries and attempt timeouts; pass it to ' +
        'createUpbitMarketData({ maxRetries }) (or createUpbitRestSource({ maxRetries }))',
    );
    expect(byPath.useWebsocket).toBe('renamed: useWebSocket');
    expect(byPath.websocketTimeoutMs).toBe('renamed: webSocketTimeoutMs');
    expect(byPath['router.unsubscribeGraceMs']).toMatch(/lingers?.*createUpbitWebSocketSource\(\{ lingerMs \}\)/);
    expect(byPath['router.staleFactor']).toBe('moved to freshness.staleFactor');
    expect(byPath['router.maintenanceIntervalMs']).toMatch(/^removed/);
    expect(byPath['quality.defaultExpectedIntervalMs']).toBe('moved to freshness.defaultExpectedIntervalMs');
    expect(error.message).toContain('maxRetries: not a backbone setting');
  });

  it('validates the freshness settings together', () => {
    const error = configErrorOf({
      freshness: { staleFactor: 0.5, minExpectedIntervalMs: 5_000, maxExpectedIntervalMs: 100 },
    });
    expect(error.issues.map((issue) => issue.path).sort()).toEqual([
      'freshness.maxExpectedIntervalMs',
      'freshness.staleFactor',
    ]);
    expect(parseBackboneConfig({ freshness: { staleFactor: 5 } }).freshness).toMatchObject({
      staleFactor: 5,
      minStaleMs: 1_000,
    });
  });
});
