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
  it('fills the original defaults', () => {
    expect(DEFAULT_BACKBONE_CONFIG).toMatchObject({
      useWebsocket: true,
      restTimeoutMs: 10_000,
      websocketTimeoutMs: 5_000,
      maxRetries: 3,
      cacheTtlMs: 60_000,
    });
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
      useWebsocket: 'yes',
      restTimeoutMs: -1,
      websocketTimeoutMs: 2.5,
      maxRetries: 'three',
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
        'maxRetries',
        'quality.disagreementThreshold',
        'restTimeoutMs',
        'router.hotRequestsPerSecond',
        'router.maxErrorRate',
        'router.probeBackoffMaxMs',
        'useWebsocket',
        'websocketTimeoutMs',
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
    const topLevel = ['restTimeoutMs', 'websocketTimeoutMs', 'cacheTtlMs'];
    const router = [
      'frequencyWindowMs',
      'unsubscribeGraceMs',
      'probeBackoffInitialMs',
      'probeBackoffMaxMs',
      'errorRateWindowMs',
      'restSlowMs',
      'maintenanceIntervalMs',
    ];
    const quality = [
      'crossCheckWindowMs',
      'futureToleranceMs',
      'defaultExpectedIntervalMs',
      'minExpectedIntervalMs',
      'maxExpectedIntervalMs',
    ];
    const everyDuration = (value: number) => ({
      ...Object.fromEntries(topLevel.map((key) => [key, value])),
      router: Object.fromEntries(router.map((key) => [key, value])),
      quality: Object.fromEntries(quality.map((key) => [key, value])),
    });
    const largest = parseBackboneConfig(everyDuration(MAX_DURATION_MS));
    expect(largest.restTimeoutMs).toBe(2 ** 31 - 1);
    expect(largest.router.maintenanceIntervalMs).toBe(2 ** 31 - 1);
    const error = configErrorOf(everyDuration(2 ** 31));
    const expected = [
      ...topLevel,
      ...router.map((key) => `router.${key}`),
      ...quality.map((key) => `quality.${key}`),
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
      restTimeout: 'unknown field',
      cacheTTL: 'unknown field',
      router: 'must be an object of router settings, got an array',
      'quality.futureTolerance': 'unknown field',
      'quality.anotherTypo': 'unknown field',
      'quality.crossCheckWindowMs': 'must not be negative',
    });
  });
});
