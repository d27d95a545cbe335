import { type MarketCode, NetworkError, parseMarketCode, type StreamGap, silentLogger } from '@marketdata/domain';
import { FakeClock } from '@marketdata/domain/testing';
import { parseBackboneConfig } from '../../../src/config/backbone-config.js';
import { FreshnessJudge } from '../../../src/freshness/freshness-judge.js';
import { ChannelRouter } from '../../../src/router/channel-router.js';
import type { RouteChannel, RouteDecision } from '../../../src/router/route-types.js';
import { recordedTicker } from '../fixture-tickers.js';
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
/** REALTIME arrivals fed to the judge before the last one, so that it learns the scenario's rhythm. */
const RHYTHM_ARRIVALS = 5;

/**
 * Replays one scenario on the real (stateful) router, with the real freshness judge fed the stream's arrivals as a
 * streaming source would report them, and returns its decision for the decisive request.
 */
export function replayRoutingScenario(scenario: RoutingScenario): RouteDecision {
  const clock = new FakeClock({ now: WALL_START, monotonic: 0 });
  const config = parseBackboneConfig({ router: scenario.router ?? {}, freshness: scenario.freshness ?? {} });
  const symbol = parseMarketCode(scenario.symbol ?? 'KRW-BTC');
  const stream = scenario.stream === undefined ? { ageMs: 100 } : scenario.stream;
  const streaming = scenario.websocket !== false;
  const judge = new FreshnessJudge({
    clock,
    settings: config.freshness,
    maxSymbols: 100,
    initial: streaming
      ? {
          state: 'open',
          connectedSince: WALL_START,
          epoch: 1,
          lastInboundMonotonic: undefined,
          reconnects: 0,
          gaps: [],
          malformedFrames: 0,
          refusal: undefined,
        }
      : undefined,
  });
  let decisive = false;
  const router = new ChannelRouter({
    clock,
    logger: silentLogger,
    config: config.router,
    // Only what the router uses of a streaming source: it states demand.
    webSocket: streaming ? { subscribe: () => ({ release: () => {} }) } : undefined,
    judge,
    cacheCondition: () =>
      decisive && scenario.cacheAgeMs !== undefined
        ? {
            ageMs: scenario.cacheAgeMs,
            expectedIntervalMs: judge.expectedIntervalMs('ticker', symbol),
            value: recordedTicker(symbol),
          }
        : undefined,
  });
  // The stream's facts, reported as they happen while the scenario is replayed (as a streaming source would).
  const facts =
    streaming && stream !== null ? streamFacts(judge, scenario, symbol, stream.ageMs, stream.expectedMs ?? 1_000) : [];
  const reportUntil = (now: number): void => {
    while (facts.length > 0 && (facts[0]?.at ?? Number.POSITIVE_INFINITY) <= now) facts.shift()?.report();
  };
  const steps = [...(scenario.steps ?? [])].sort((a, b) => a.at - b.at);
  for (const step of steps) {
    clock.advance(step.at - clock.monotonic());
    reportUntil(step.at);
    if ('request' in step) {
      router.route({ symbol: parseMarketCode(step.request), kind: 'ticker', operation: 'get', requested: 'auto' });
    } else if (step.outcome === 'ok') {
      router.recordSuccess(step.channel, step.latencyMs);
    } else {
      router.recordFailure(step.channel, 'scripted failure');
    }
  }
  clock.advance(scenario.at - clock.monotonic());
  reportUntil(scenario.at);
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

interface Fact {
  readonly at: number;
  readonly report: () => void;
}

/**
 * What a streaming source would report, in time order: REALTIME arrivals `expectedMs` apart, the last one `ageMs`
 * before the decisive request (and enough before the start for the judge to learn the rhythm), and the scenario's
 * connection facts around that last arrival.
 */
function streamFacts(
  judge: FreshnessJudge,
  scenario: RoutingScenario,
  symbol: MarketCode,
  ageMs: number,
  expectedMs: number,
): Fact[] {
  const { observer } = judge;
  const last = scenario.at - ageMs;
  const facts: Fact[] = [];
  for (let at = last; at >= Math.min(0, last) - RHYTHM_ARRIVALS * expectedMs; at -= expectedMs) {
    facts.push({ at, report: () => observer.onArrival?.('ticker', symbol, at, 'REALTIME') });
  }
  const gap = (startedAtMonotonic: number): StreamGap => ({
    startedAt: WALL_START + startedAtMonotonic,
    endedAt: undefined,
    startedAtMonotonic,
    endedAtMonotonic: undefined,
    reason: 'scripted stall',
    symbols: [symbol],
  });
  if (scenario.connection === 'gap-before-data')
    facts.push({ at: last - 1, report: () => observer.onGap?.(gap(last - 1)) });
  if (scenario.connection === 'gap-since-data')
    facts.push({ at: last + 1, report: () => observer.onGap?.(gap(last + 1)) });
  if (scenario.connection === 'refused-since-data') {
    const refusal = {
      kind: 'error-frame' as const,
      error: new NetworkError('scripted refusal', { channel: 'websocket' }),
      atMonotonic: last + 1,
      retryAtMonotonic: undefined,
      repeats: 1,
    };
    facts.push({ at: last + 1, report: () => observer.onRefusal?.(refusal) });
  }
  if (scenario.connection === 'reconnecting') {
    const event = {
      state: 'reconnecting' as const,
      previous: 'open' as const,
      reason: 'drop',
      epoch: 1,
      atMonotonic: last + 1,
    };
    facts.push({ at: last + 1, report: () => observer.onConnection?.(event) });
  }
  return facts.sort((a, b) => a.at - b.at);
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
