import { describe, expect, it } from 'vitest';

const MAX_RUNTIME_EXPORTS = 25;

describe('the public API', () => {
  it(`exports at most ${MAX_RUNTIME_EXPORTS} runtime values, each one deliberate`, async () => {
    const api = await import('../../src/index.js');
    const names = Object.keys(api).sort();
    console.log(`@marketdata/backbone runtime exports (${names.length}): ${names.join(', ')}`);
    expect(names.length).toBeLessThanOrEqual(MAX_RUNTIME_EXPORTS);
    expect(names).toEqual(['DEFAULT_BACKBONE_CONFIG', 'createMarketData', 'parseBackboneConfig']);
  });

  it('ships no internals: the clock and randomness come from @marketdata/domain', async () => {
    const api: Record<string, unknown> = await import('../../src/index.js');
    for (const internal of [
      'TtlCache',
      'decideRoute',
      'ChannelHealth',
      'RequestFrequency',
      'LatencyHistogram',
      'gradeTicker',
      'ROUTING_SCENARIOS',
      'evaluateRoutingScenarios',
      'systemClock',
      'createSystemClock',
      'systemRandom',
      // pino lives in @marketdata/pino: the backbone depends on no logging library.
      'createPinoLogger',
    ]) {
      expect(api[internal], internal).toBeUndefined();
    }
  });
});
