import { type ConfigError, isConfigError } from '@marketdata/domain';
import { describe, expect, it } from 'vitest';
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
});
