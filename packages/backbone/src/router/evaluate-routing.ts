import { parseMarketCode, type StreamingSource, type SymbolFreshness, silentLogger } from '@marketdata/domain';
import { parseBackboneConfig } from '../config/backbone-config.js';
import { ChannelRouter } from './channel-router.js';
import { ReplayClock } from './replay-clock.js';
import type { RouteChannel, RouteDecision } from './route-types.js';
import { ROUTING_SCENARIOS, type RoutingScenario } from './routing-scenarios.js';

export interface RoutingMiss {
  readonly name: string;
  readonly expected: RouteChannel;
  readonly got: RouteChannel;
  readonly reason: string;
  readonly detail: string;
}

export interface RoutingAccuracyReport {
  readonly total: number;
  readonly correct: number;
  /** correct / total, 0..1. */
  readonly accuracy: number;
  readonly misses: readonly RoutingMiss[];
  /** How many scenarios expect each channel. */
  readonly expectedChannels: Readonly<Partial<Record<RouteChannel, number>>>;
}

// 2026-03-11T00:00:00Z: any fixed wall time works, only differences matter.
const WALL_START = 1_773_187_200_000;

/** Replays one scenario on the real (stateful) router and returns its decision for the decisive request. */
export function replayRoutingScenario(scenario: RoutingScenario): RouteDecision {
  const clock = new ReplayClock(WALL_START);
  const config = parseBackboneConfig({ router: scenario.router ?? {} }).router;
  const symbol = parseMarketCode(scenario.symbol ?? 'KRW-BTC');
  const stream = scenario.stream === undefined ? { ageMs: 100 } : scenario.stream;
  const expectedMs = stream?.expectedMs ?? 1_000;
  // The stream's view is fixed in wall time so that it has the given age at the decisive request.
  const freshness = (code: string): SymbolFreshness | undefined =>
    stream === null || code !== symbol
      ? undefined
      : {
          symbol,
          kind: 'ticker',
          lastUpdateAt: WALL_START + scenario.at - stream.ageMs,
          expectedIntervalMs: expectedMs,
          suspectedStale: stream.suspected ?? false,
        };
  // Only what the router uses of a streaming source: its freshness view and subscriptions.
  const websocket = { freshness, subscribe: () => ({ release: () => {} }) } as unknown as StreamingSource;
  let decisive = false;
  const router = new ChannelRouter({
    clock,
    logger: silentLogger,
    config,
    websocket: scenario.websocket === false ? undefined : websocket,
    cacheCondition: () =>
      decisive && scenario.cacheAgeMs !== undefined
        ? { ageMs: scenario.cacheAgeMs, expectedIntervalMs: expectedMs }
        : undefined,
    expectedIntervalMs: (_, fromStream) => fromStream ?? 1_000,
  });
  const steps = [...(scenario.steps ?? [])].sort((a, b) => a.at - b.at);
  for (const step of steps) {
    clock.moveTo(step.at);
    if ('request' in step) {
      router.route({ symbol: parseMarketCode(step.request), kind: 'ticker', operation: 'get', requested: 'auto' });
    } else if (step.outcome === 'ok') {
      router.recordSuccess(step.channel, step.latencyMs);
    } else {
      router.recordFailure(step.channel, 'scripted failure');
    }
  }
  clock.moveTo(scenario.at);
  decisive = true;
  const decision = router.route({
    symbol,
    kind: scenario.kind ?? 'ticker',
    operation: scenario.operation ?? 'get',
    requested: scenario.requested ?? 'auto',
  });
  router.close();
  return decision;
}

/**
 * Routing accuracy on a labelled scenario set (by default the built-in one): the share of scenarios the router
 * sends to the channel the rules say. The expectations are written by hand from the rules, not from the code.
 */
export function evaluateRoutingScenarios(
  scenarios: readonly RoutingScenario[] = ROUTING_SCENARIOS,
): RoutingAccuracyReport {
  const misses: RoutingMiss[] = [];
  const expectedChannels: Partial<Record<RouteChannel, number>> = {};
  for (const scenario of scenarios) {
    expectedChannels[scenario.expected] = (expectedChannels[scenario.expected] ?? 0) + 1;
    const decision = replayRoutingScenario(scenario);
    if (decision.channel !== scenario.expected) {
      misses.push({
        name: scenario.name,
        expected: scenario.expected,
        got: decision.channel,
        reason: decision.reason,
        detail: decision.detail,
      });
    }
  }
  const total = scenarios.length;
  const correct = total - misses.length;
  return { total, correct, accuracy: total === 0 ? 0 : correct / total, misses, expectedChannels };
}
