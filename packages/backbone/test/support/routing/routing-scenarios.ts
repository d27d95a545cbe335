import type { ChannelKind, StreamKind } from '@marketdata/domain';
import type { FreshnessConfig, RouterConfig } from '../../../src/config/backbone-config.js';
import type { RequestedSource, RouteChannel, RouteOperation } from '../../../src/router/route-types.js';

// The labelled routing scenarios: test data, not shipped (`evaluate-routing.ts` replays them on the real router). A
// long file on purpose: one labelled scenario per entry, grouped by the rule it exercises.

/** Something that happens before the decisive request. Steps at the same time run in the order listed. */
export type ScenarioStep =
  | { readonly at: number; readonly request: string }
  | {
      readonly at: number;
      readonly outcome: 'ok' | 'fail';
      readonly channel: ChannelKind;
      readonly latencyMs?: number;
    };

export interface RoutingScenario {
  readonly name: string;
  /** Defaults: KRW-BTC, ticker, get, auto, WebSocket configured, fresh WebSocket data, nothing cached. */
  readonly symbol?: string;
  readonly kind?: StreamKind;
  readonly operation?: RouteOperation;
  readonly requested?: RequestedSource;
  readonly websocket?: boolean;
  readonly router?: Partial<RouterConfig>;
  readonly freshness?: Partial<FreshnessConfig>;
  /** What the streaming source reported about its connection before the decisive request. Default: open. */
  readonly connection?: 'reconnecting' | 'gap-since-data' | 'gap-before-data' | 'refused-since-data';
  readonly steps?: readonly ScenarioStep[];
  /** Time of the decisive request (monotonic ms from the start). */
  readonly at: number;
  /**
   * The WebSocket's data for the symbol at `at`; `null` = none yet. Default: 100 ms old, arriving every 1 s (the
   * freshness judge learns `expectedMs` from REALTIME arrivals that far apart).
   */
  readonly stream?: { readonly ageMs: number; readonly expectedMs?: number } | null;
  /** Age of the symbol's cache entry at `at` (within the TTL); absent = nothing cached. */
  readonly cacheAgeMs?: number;
  readonly expected: RouteChannel;
}

const SYMBOL = 'KRW-BTC';

/** `count` requests for `symbol`, `everyMs` apart, starting at `start`. */
export function every(everyMs: number, count: number, start = 0, symbol = SYMBOL): ScenarioStep[] {
  return Array.from({ length: count }, (_, index) => ({ at: start + index * everyMs, request: symbol }));
}

export function requestsAt(times: readonly number[], symbol = SYMBOL): ScenarioStep[] {
  return times.map((at) => ({ at, request: symbol }));
}

/** Outcomes recorded at one time, in order: 'F' failure, 'S' success (latency 50 ms). */
export function outcomes(channel: ChannelKind, pattern: string, at = 0): ScenarioStep[] {
  return [...pattern].map((letter) => ({ at, channel, outcome: letter === 'F' ? 'fail' : 'ok', latencyMs: 50 }));
}

export function fails(channel: ChannelKind, count: number, at = 0): ScenarioStep[] {
  return outcomes(channel, 'F'.repeat(count), at);
}

export function latencies(channel: ChannelKind, values: readonly number[], at = 0): ScenarioStep[] {
  return values.map((latencyMs) => ({ at, channel, outcome: 'ok', latencyMs }));
}

/** Nine requests 100 ms apart (0..800 ms): with the decisive one at 900-1000 ms, 10 in the window = hot. */
const HOT = every(100, 9);
const STALE = { ageMs: 5_000, expectedMs: 1_000 };

/**
 * The labelled scenario set. Each expectation was worked out by hand from the rules written in
 * `decideRoute`'s doc comment and the defaults (hot >= 0.5 request/s over a 10 s window, 3 failures disable,
 * first probe after 1 s doubling, error rate > 50% over >= 5 outcomes in 60 s, REST slow > 2 s EWMA with
 * alpha 0.2, stale past max(1 s, 3x the expected interval) or while the stream cannot deliver, cache fresh <=
 * expected interval, 1 s when unknown).
 */
export const ROUTING_SCENARIOS: readonly RoutingScenario[] = [
  // A. Request frequency (fresh WebSocket data, healthy channels).
  { name: 'A1 a single request is cold', at: 0, expected: 'rest' },
  { name: 'A2 4 requests in 10 s are cold', steps: every(2_000, 3), at: 6_000, expected: 'rest' },
  { name: 'A3 5 requests in 10 s are hot', steps: every(2_000, 4), at: 8_000, expected: 'websocket' },
  { name: 'A4 one per second for 10 s', steps: every(1_000, 10), at: 10_000, expected: 'websocket' },
  { name: 'A5 a burst of 10 in one second', steps: every(100, 9), at: 900, expected: 'websocket' },
  { name: 'A6 a burst, then 11 s of silence', steps: every(100, 9), at: 11_000, expected: 'rest' },
  {
    name: 'A7 the oldest request exactly at the window start still counts',
    steps: requestsAt([0, 1_000, 2_000, 3_000]),
    at: 10_000,
    expected: 'websocket',
  },
  {
    name: 'A8 the oldest request 1 ms past the window no longer counts',
    steps: requestsAt([0, 1_000, 2_000, 3_000]),
    at: 10_001,
    expected: 'rest',
  },
  { name: 'A9 one request per 3 s', steps: every(3_000, 5), at: 15_000, expected: 'rest' },
  { name: 'A10 one request per 2.5 s is exactly 0.5/s', steps: every(2_500, 6), at: 15_000, expected: 'websocket' },
  { name: 'A11 five requests 2.01 s apart', steps: every(2_010, 4), at: 8_040, expected: 'websocket' },
  { name: 'A12 one request per 2.6 s', steps: every(2_600, 5), at: 13_000, expected: 'rest' },
  { name: 'A13 hot earlier, decayed out of the window', steps: every(200, 20), at: 14_000, expected: 'rest' },
  { name: 'A14 hot earlier, five still in the window', steps: every(200, 20), at: 13_000, expected: 'websocket' },
  {
    name: 'A15 threshold 2/s: 10 requests in 1 s is not enough',
    router: { hotRequestsPerSecond: 2 },
    steps: every(100, 9),
    at: 900,
    expected: 'rest',
  },
  {
    name: 'A16 threshold 2/s: 20 requests in 2 s',
    router: { hotRequestsPerSecond: 2 },
    steps: every(100, 19),
    at: 1_900,
    expected: 'websocket',
  },
  {
    name: 'A17 a 2 s window, one request per second',
    router: { frequencyWindowMs: 2_000 },
    steps: every(1_000, 3),
    at: 3_000,
    expected: 'websocket',
  },
  {
    name: 'A18 a 2 s window: a single request is already 0.5/s',
    router: { frequencyWindowMs: 2_000 },
    steps: every(3_000, 2),
    at: 6_000,
    expected: 'websocket',
  },
  {
    name: 'A19 a 20 s window, one request per 3 s',
    router: { frequencyWindowMs: 20_000 },
    steps: every(3_000, 7),
    at: 21_000,
    expected: 'rest',
  },
  {
    name: 'A20 a 20 s window, one request per 2 s',
    router: { frequencyWindowMs: 20_000 },
    steps: every(2_000, 10),
    at: 20_000,
    expected: 'websocket',
  },
  {
    name: "A21 other symbols' requests do not count",
    steps: every(100, 20, 0, 'KRW-ETH'),
    at: 2_000,
    expected: 'rest',
  },
  {
    name: 'A22 a hot symbol among requests for another one',
    steps: [...every(2_000, 4), ...every(100, 30, 0, 'KRW-ETH')],
    at: 8_000,
    expected: 'websocket',
  },

  // B. Freshness of the WebSocket data, judged against the symbol's rhythm (hot symbol unless said).
  { name: 'B1 no WebSocket data yet (warming up)', steps: HOT, at: 1_000, stream: null, expected: 'rest' },
  { name: 'B2 fresh data', steps: HOT, at: 1_000, expected: 'websocket' },
  {
    name: 'B3 2999 ms old, expected every 1 s',
    steps: HOT,
    at: 1_000,
    stream: { ageMs: 2_999 },
    expected: 'websocket',
  },
  { name: 'B4 exactly 3 intervals old', steps: HOT, at: 1_000, stream: { ageMs: 3_000 }, expected: 'websocket' },
  { name: 'B5 1 ms past 3 intervals', steps: HOT, at: 1_000, stream: { ageMs: 3_001 }, expected: 'rest' },
  {
    name: 'B6 a quiet symbol 10 s after its last trade',
    steps: HOT,
    at: 1_000,
    stream: { ageMs: 10_000, expectedMs: 30_000 },
    expected: 'websocket',
  },
  {
    name: 'B7 a busy symbol 10 s after its last update',
    steps: HOT,
    at: 1_000,
    stream: { ageMs: 10_000, expectedMs: 200 },
    expected: 'rest',
  },
  {
    name: 'B8 1001 ms at a 200 ms rhythm: past the 1 s floor',
    steps: HOT,
    at: 1_000,
    stream: { ageMs: 1_001, expectedMs: 200 },
    expected: 'rest',
  },
  {
    name: 'B9 601 ms at a 200 ms rhythm: three intervals, but under the 1 s floor',
    steps: HOT,
    at: 1_000,
    stream: { ageMs: 601, expectedMs: 200 },
    expected: 'websocket',
  },
  {
    name: 'B10 fresh data, but the connection is reconnecting',
    steps: HOT,
    at: 1_000,
    stream: { ageMs: 10 },
    connection: 'reconnecting',
    expected: 'rest',
  },
  {
    name: 'B11 stale factor 5 tolerates 4 intervals',
    freshness: { staleFactor: 5 },
    steps: HOT,
    at: 1_000,
    stream: { ageMs: 4_000 },
    expected: 'websocket',
  },
  {
    name: 'B12 stale factor 1 tolerates no more than one interval',
    freshness: { staleFactor: 1 },
    steps: HOT,
    at: 1_000,
    stream: { ageMs: 1_001 },
    expected: 'rest',
  },
  {
    name: 'B12a a gap opened on the symbol after its last data',
    steps: HOT,
    at: 1_000,
    stream: { ageMs: 10 },
    connection: 'gap-since-data',
    expected: 'rest',
  },
  {
    name: 'B12b a gap still open, but the symbol has delivered since it opened',
    steps: HOT,
    at: 1_000,
    stream: { ageMs: 10 },
    connection: 'gap-before-data',
    expected: 'websocket',
  },
  {
    name: 'B12d the upstream refused the stream after its last data',
    steps: HOT,
    at: 1_000,
    stream: { ageMs: 10 },
    connection: 'refused-since-data',
    expected: 'rest',
  },
  {
    name: 'B12c a 1 s floor of 500 ms: 601 ms at a 200 ms rhythm is stale',
    freshness: { minStaleMs: 500 },
    steps: HOT,
    at: 1_000,
    stream: { ageMs: 601, expectedMs: 200 },
    expected: 'rest',
  },
  {
    name: 'B13 stale data but REST disabled: WebSocket anyway',
    steps: [...HOT, ...fails('rest', 3, 500)],
    at: 1_000,
    stream: STALE,
    expected: 'websocket',
  },
  {
    name: 'B14 no data yet and REST disabled: WebSocket waits for its snapshot',
    steps: [...HOT, ...fails('rest', 3, 500)],
    at: 1_000,
    stream: null,
    expected: 'websocket',
  },
  { name: 'B15 cold symbol with stale data', at: 0, stream: STALE, expected: 'rest' },
  { name: 'B16 cold symbol with fresh data', at: 0, expected: 'rest' },
  { name: 'B17 hot symbol without WebSocket', websocket: false, steps: HOT, at: 1_000, expected: 'rest' },
  {
    name: 'B18 a quiet symbol past 3 of its own intervals',
    steps: HOT,
    at: 1_000,
    stream: { ageMs: 100_000, expectedMs: 30_000 },
    expected: 'rest',
  },

  // C. Channel health: consecutive failures, probes with backoff, error rate.
  {
    name: 'C1 WebSocket disabled after 3 failures',
    steps: [...fails('websocket', 3), ...HOT],
    at: 900,
    expected: 'rest',
  },
  {
    name: 'C2 the first recovery probe after 1 s',
    steps: [...fails('websocket', 3), ...HOT],
    at: 1_000,
    expected: 'websocket',
  },
  { name: 'C3 two failures do not disable', steps: [...fails('websocket', 2), ...HOT], at: 900, expected: 'websocket' },
  {
    name: 'C4 80% errors without 3 in a row: avoided',
    steps: [...outcomes('websocket', 'FFSFF'), ...HOT],
    at: 900,
    expected: 'rest',
  },
  {
    name: 'C5 40% errors: still used',
    steps: [...outcomes('websocket', 'FSFSS'), ...HOT],
    at: 900,
    expected: 'websocket',
  },
  { name: 'C6 60% errors: avoided', steps: [...outcomes('websocket', 'FFSFS'), ...HOT], at: 900, expected: 'rest' },
  {
    name: 'C7 exactly 50% errors is not above the limit',
    steps: [...outcomes('websocket', 'FSFSFS'), ...HOT],
    at: 900,
    expected: 'websocket',
  },
  {
    name: 'C8 too few outcomes to judge an error rate',
    steps: [...outcomes('websocket', 'FFSF'), ...HOT],
    at: 900,
    expected: 'websocket',
  },
  {
    name: 'C9 errors older than the error-rate window no longer count',
    steps: [...outcomes('websocket', 'FFSFF'), ...every(100, 9, 61_000)],
    at: 61_900,
    expected: 'websocket',
  },
  {
    name: 'C10 WebSocket failing often, but REST is disabled',
    steps: [...outcomes('websocket', 'FFSFF'), ...HOT, ...fails('rest', 3, 500)],
    at: 1_000,
    expected: 'websocket',
  },
  {
    name: 'C11 a failed probe doubles the backoff: not yet',
    steps: [...fails('websocket', 3), ...HOT, { at: 1_000, request: SYMBOL }, ...fails('websocket', 1, 1_000)],
    at: 2_999,
    expected: 'rest',
  },
  {
    name: 'C12 a failed probe doubles the backoff: the next probe',
    steps: [...fails('websocket', 3), ...HOT, { at: 1_000, request: SYMBOL }, ...fails('websocket', 1, 1_000)],
    at: 3_000,
    expected: 'websocket',
  },
  {
    name: 'C13 a successful probe re-enables',
    steps: [...fails('websocket', 3), ...HOT, { at: 1_000, request: SYMBOL }, ...outcomes('websocket', 'S', 1_000)],
    at: 1_100,
    expected: 'websocket',
  },
  {
    name: 'C14 one probe at a time: a second request waits for its outcome',
    steps: [...fails('websocket', 3), ...HOT, { at: 1_000, request: SYMBOL }],
    at: 1_100,
    expected: 'rest',
  },
  {
    name: 'C15 REST disabled: a cold symbol goes to WebSocket',
    steps: fails('rest', 3),
    at: 500,
    expected: 'websocket',
  },
  {
    name: 'C16 REST disabled and no WebSocket data: WebSocket waits for a snapshot',
    steps: fails('rest', 3),
    at: 500,
    stream: null,
    expected: 'websocket',
  },
  { name: 'C17 REST probe due: a cold symbol probes REST', steps: fails('rest', 3), at: 1_000, expected: 'rest' },
  {
    name: 'C18 REST disabled, no WebSocket, nothing cached',
    websocket: false,
    steps: fails('rest', 3),
    at: 500,
    expected: 'none',
  },
  {
    name: 'C19 REST disabled, no WebSocket, an old cache entry',
    websocket: false,
    steps: fails('rest', 3),
    at: 500,
    cacheAgeMs: 20_000,
    expected: 'cache',
  },
  {
    name: 'C20 both channels disabled, nothing cached',
    steps: [...fails('rest', 3), ...fails('websocket', 3)],
    at: 500,
    expected: 'none',
  },
  {
    name: 'C21 both channels disabled, a cache entry within the TTL',
    steps: [...fails('rest', 3), ...fails('websocket', 3)],
    at: 500,
    cacheAgeMs: 50_000,
    expected: 'cache',
  },
  {
    name: 'C22 both probes due: a cold symbol probes REST',
    steps: [...fails('rest', 3), ...fails('websocket', 3)],
    at: 1_000,
    expected: 'rest',
  },
  {
    name: 'C23 threshold 5: four failures do not disable',
    router: { failureThreshold: 5 },
    steps: [...fails('websocket', 4), ...HOT],
    at: 900,
    expected: 'websocket',
  },
  {
    name: 'C24 threshold 5: five failures disable',
    router: { failureThreshold: 5 },
    steps: [...fails('websocket', 5), ...HOT],
    at: 900,
    expected: 'rest',
  },
  {
    name: 'C25 a 10 s backoff: still disabled after 5 s',
    router: { probeBackoffInitialMs: 10_000 },
    steps: [...fails('websocket', 3), ...every(400, 9, 1_500)],
    at: 5_000,
    expected: 'rest',
  },
  {
    name: 'C26 REST failing often: a cold symbol with fresh WebSocket data',
    steps: outcomes('rest', 'FSFFSF'),
    at: 100,
    expected: 'websocket',
  },
  {
    name: 'C27 REST failing often, but no WebSocket data',
    steps: outcomes('rest', 'FSFFSF'),
    at: 100,
    stream: null,
    expected: 'rest',
  },
  {
    name: 'C28 REST failing often, but the WebSocket data is stale',
    steps: outcomes('rest', 'FSFFSF'),
    at: 100,
    stream: STALE,
    expected: 'rest',
  },
  { name: 'C29 REST with 40% errors', steps: outcomes('rest', 'FSFSS'), at: 100, expected: 'rest' },
  {
    name: 'C30 a recovered channel starts with a clean error rate',
    steps: [
      ...fails('websocket', 3),
      ...HOT,
      { at: 1_000, request: SYMBOL },
      ...outcomes('websocket', 'S', 1_000),
      ...fails('websocket', 1, 1_100),
    ],
    at: 1_200,
    expected: 'websocket',
  },

  // D. Latency (cold symbol, fresh WebSocket data unless said).
  { name: 'D1 REST EWMA 3 s', steps: latencies('rest', [3_000]), at: 100, expected: 'websocket' },
  { name: 'D2 REST EWMA 1.5 s', steps: latencies('rest', [1_500]), at: 100, expected: 'rest' },
  { name: 'D3 REST EWMA exactly 2 s', steps: latencies('rest', [2_000]), at: 100, expected: 'rest' },
  { name: 'D4 REST EWMA 2001 ms', steps: latencies('rest', [2_001]), at: 100, expected: 'websocket' },
  {
    name: 'D5 one slow answer after fast ones lifts the EWMA to 2.6 s',
    steps: latencies('rest', [1_000, 1_000, 1_000, 9_000]),
    at: 100,
    expected: 'websocket',
  },
  {
    name: 'D6 five fast answers after a slow one: EWMA 2.31 s',
    steps: latencies('rest', [5_000, 1_000, 1_000, 1_000, 1_000, 1_000]),
    at: 100,
    expected: 'websocket',
  },
  {
    name: 'D7 seven fast answers after a slow one: EWMA 1.84 s',
    steps: latencies('rest', [5_000, 1_000, 1_000, 1_000, 1_000, 1_000, 1_000, 1_000]),
    at: 100,
    expected: 'rest',
  },
  {
    name: 'D8 slow REST, stale WebSocket data',
    steps: latencies('rest', [3_000]),
    at: 100,
    stream: STALE,
    expected: 'rest',
  },
  {
    name: 'D9 slow REST, no WebSocket data',
    steps: latencies('rest', [3_000]),
    at: 100,
    stream: null,
    expected: 'rest',
  },
  {
    name: 'D10 slow REST, no WebSocket',
    websocket: false,
    steps: latencies('rest', [3_000]),
    at: 100,
    expected: 'rest',
  },
  { name: 'D11 slow REST, hot symbol', steps: [...latencies('rest', [3_000]), ...HOT], at: 900, expected: 'websocket' },
  {
    name: 'D12 REST slow threshold 5 s',
    router: { restSlowMs: 5_000 },
    steps: latencies('rest', [3_000]),
    at: 100,
    expected: 'rest',
  },
  {
    name: 'D13 EWMA alpha 1 follows the last answer',
    router: { latencyEwmaAlpha: 1 },
    steps: latencies('rest', [9_000, 100]),
    at: 100,
    expected: 'rest',
  },
  {
    name: 'D14 slow REST but WebSocket disabled',
    steps: [...fails('websocket', 3), ...latencies('rest', [3_000])],
    at: 500,
    expected: 'rest',
  },

  // E. Cache.
  { name: 'E1 a cold symbol cached 500 ms ago', at: 0, stream: null, cacheAgeMs: 500, expected: 'cache' },
  { name: 'E2 cached exactly one expected interval ago', at: 0, stream: null, cacheAgeMs: 1_000, expected: 'cache' },
  { name: 'E3 cached 1 ms past the expected interval', at: 0, stream: null, cacheAgeMs: 1_001, expected: 'rest' },
  {
    name: 'E4 the expected interval comes from the stream rhythm',
    at: 0,
    stream: { ageMs: 100, expectedMs: 5_000 },
    cacheAgeMs: 3_000,
    expected: 'cache',
  },
  {
    name: 'E5 a fast rhythm makes a 300 ms entry too old',
    at: 0,
    stream: { ageMs: 100, expectedMs: 200 },
    cacheAgeMs: 300,
    expected: 'rest',
  },
  {
    name: 'E6 a hot symbol with fresh data prefers WebSocket',
    steps: HOT,
    at: 900,
    cacheAgeMs: 10,
    expected: 'websocket',
  },
  {
    name: 'E7 a hot symbol warming up with a fresh cache entry',
    steps: HOT,
    at: 900,
    stream: null,
    cacheAgeMs: 10,
    expected: 'cache',
  },
  {
    name: 'E8 a hot symbol warming up with an old cache entry',
    steps: HOT,
    at: 900,
    stream: null,
    cacheAgeMs: 5_000,
    expected: 'rest',
  },
  {
    name: 'E9 WebSocket disabled, fresh cache entry',
    steps: [...HOT, ...fails('websocket', 3, 850)],
    at: 900,
    cacheAgeMs: 300,
    expected: 'cache',
  },
  {
    name: 'E10 WebSocket disabled, old cache entry',
    steps: [...HOT, ...fails('websocket', 3, 850)],
    at: 900,
    cacheAgeMs: 3_000,
    expected: 'rest',
  },
  { name: 'E11 explicit REST skips the cache', requested: 'rest', at: 0, cacheAgeMs: 10, expected: 'rest' },
  {
    name: 'E12 explicit WebSocket skips the cache',
    requested: 'websocket',
    at: 0,
    cacheAgeMs: 10,
    expected: 'websocket',
  },
  {
    name: 'E13 stale WebSocket data is confirmed by REST, not by the cache',
    steps: HOT,
    at: 900,
    stream: STALE,
    cacheAgeMs: 10,
    expected: 'rest',
  },

  // F. Explicit sources.
  { name: 'F1 explicit REST for a hot symbol', requested: 'rest', steps: HOT, at: 900, expected: 'rest' },
  {
    name: 'F2 explicit WebSocket for a cold symbol',
    requested: 'websocket',
    at: 0,
    stream: null,
    expected: 'websocket',
  },
  { name: 'F3 explicit WebSocket, none configured', requested: 'websocket', websocket: false, at: 0, expected: 'none' },
  {
    name: 'F4 explicit WebSocket while disabled',
    requested: 'websocket',
    steps: fails('websocket', 3),
    at: 500,
    expected: 'none',
  },
  { name: 'F5 explicit REST while disabled', requested: 'rest', steps: fails('rest', 3), at: 500, expected: 'none' },
  {
    name: 'F6 explicit REST when its probe is due',
    requested: 'rest',
    steps: fails('rest', 3),
    at: 1_000,
    expected: 'rest',
  },
  {
    name: 'F7 explicit WebSocket when its probe is due',
    requested: 'websocket',
    steps: fails('websocket', 3),
    at: 1_000,
    expected: 'websocket',
  },
  {
    name: 'F8 explicit WebSocket while REST is disabled',
    requested: 'websocket',
    steps: fails('rest', 3),
    at: 500,
    expected: 'websocket',
  },
  {
    name: 'F9 explicit REST while WebSocket is disabled',
    requested: 'rest',
    steps: [...fails('websocket', 3), ...HOT],
    at: 900,
    expected: 'rest',
  },

  // G. Streams.
  { name: 'G1 order book stream', kind: 'orderbook', operation: 'watch', at: 0, expected: 'websocket' },
  { name: 'G2 trade stream', kind: 'trade', operation: 'watch', at: 0, expected: 'websocket' },
  {
    name: 'G3 order book stream without WebSocket',
    kind: 'orderbook',
    operation: 'watch',
    websocket: false,
    at: 0,
    expected: 'none',
  },
  {
    name: 'G4 trade stream while WebSocket getTicker calls fail',
    kind: 'trade',
    operation: 'watch',
    steps: fails('websocket', 3),
    at: 500,
    expected: 'websocket',
  },
  { name: 'G5 ticker stream', operation: 'watch', at: 0, expected: 'websocket' },
  {
    name: 'G6 ticker stream while WebSocket is disabled',
    operation: 'watch',
    steps: fails('websocket', 3),
    at: 500,
    expected: 'rest',
  },
  { name: 'G7 ticker stream without WebSocket', operation: 'watch', websocket: false, at: 0, expected: 'rest' },
  { name: 'G8 ticker stream, explicit REST', operation: 'watch', requested: 'rest', at: 0, expected: 'rest' },
  {
    name: 'G9 ticker stream, explicit WebSocket while disabled',
    operation: 'watch',
    requested: 'websocket',
    steps: fails('websocket', 3),
    at: 500,
    expected: 'websocket',
  },
  {
    name: 'G10 ticker stream, explicit WebSocket, none configured',
    operation: 'watch',
    requested: 'websocket',
    websocket: false,
    at: 0,
    expected: 'none',
  },
  {
    name: 'G11 ticker stream when the WebSocket probe is due',
    operation: 'watch',
    steps: fails('websocket', 3),
    at: 1_000,
    expected: 'websocket',
  },
  {
    name: 'G12 order book stream while REST is disabled',
    kind: 'orderbook',
    operation: 'watch',
    steps: fails('rest', 3),
    at: 500,
    expected: 'websocket',
  },
  {
    name: 'G13 trade stream asked for REST still uses WebSocket',
    kind: 'trade',
    operation: 'watch',
    requested: 'rest',
    at: 0,
    expected: 'websocket',
  },

  // H. REST only (no WebSocket configured).
  { name: 'H1 a hot symbol', websocket: false, steps: HOT, at: 900, expected: 'rest' },
  { name: 'H2 a cold symbol', websocket: false, at: 0, expected: 'rest' },
  { name: 'H3 a cold symbol with a fresh cache entry', websocket: false, at: 0, cacheAgeMs: 500, expected: 'cache' },
  { name: 'H4 REST disabled', websocket: false, steps: fails('rest', 3), at: 500, expected: 'none' },
  {
    name: 'H5 REST disabled, cached 9 s ago',
    websocket: false,
    steps: fails('rest', 3),
    at: 500,
    cacheAgeMs: 9_000,
    expected: 'cache',
  },
  {
    name: 'H6 a hot symbol with slow REST',
    websocket: false,
    steps: [...latencies('rest', [5_000]), ...HOT],
    at: 900,
    expected: 'rest',
  },
  {
    name: 'H7 a hot symbol with a fresh cache entry',
    websocket: false,
    steps: HOT,
    at: 900,
    cacheAgeMs: 500,
    expected: 'cache',
  },
];
