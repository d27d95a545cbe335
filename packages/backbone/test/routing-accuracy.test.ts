import { describe, expect, it } from 'vitest';
import { evaluateRoutingScenarios } from './support/routing/evaluate-routing.js';
import { ROUTING_SCENARIOS } from './support/routing/routing-scenarios.js';

describe('routing accuracy on the labelled scenario set', () => {
  it('routes at least 99% of the scenarios to the expected channel', () => {
    expect(ROUTING_SCENARIOS.length).toBeGreaterThanOrEqual(100);
    expect(new Set(ROUTING_SCENARIOS.map((scenario) => scenario.name)).size).toBe(ROUTING_SCENARIOS.length);
    const report = evaluateRoutingScenarios();
    console.log(
      `routing accuracy: ${(report.accuracy * 100).toFixed(1)}% (${report.correct}/${report.total} scenarios; ` +
        `expected channels ${JSON.stringify(report.expectedChannels)})`,
    );
    for (const miss of report.misses) {
      console.log(`  miss: ${miss.name}: expected ${miss.expected}, got ${miss.got} (${miss.reason}: ${miss.detail})`);
    }
    expect(report.total).toBe(ROUTING_SCENARIOS.length);
    expect(report.accuracy).toBeGreaterThanOrEqual(0.99);
  });

  it('reports a wrong label as a miss (the figure can fall)', () => {
    const [first] = ROUTING_SCENARIOS;
    if (first === undefined) throw new Error('no scenarios');
    const mislabelled = { ...first, expected: first.expected === 'rest' ? ('websocket' as const) : ('rest' as const) };
    const report = evaluateRoutingScenarios([mislabelled, ...ROUTING_SCENARIOS.slice(1, 10)]);
    expect(report.misses.map((miss) => miss.name)).toEqual([first.name]);
    expect(report.accuracy).toBeCloseTo(0.9, 10);
  });
});
