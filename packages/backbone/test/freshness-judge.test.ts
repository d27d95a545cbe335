import { type ChannelKind, type MarketCode, NetworkError, type StreamGap, type StreamStatus } from '@marketdata/domain';
import { FakeClock } from '@marketdata/domain/testing';
import { describe, expect, it } from 'vitest';
import { FreshnessJudge } from '../src/freshness/freshness-judge.js';
import { describeStale } from '../src/freshness/verdicts.js';
import { DEFAULT_BACKBONE_CONFIG, type FreshnessConfig } from '../src/index.js';
import { code, receipt, tickAt } from './support/fixture-tickers.js';

const BTC = code('KRW-BTC');
const ETH = code('KRW-ETH');
const HOUR = 3_600_000;

/** A ticker of `symbol` whose last trade was at `tradeTimestamp`, as a channel delivers it (received now, or at `at`). */
function restTick(symbol: MarketCode, tradeTimestamp: number, at = 0, source: ChannelKind = 'rest') {
  return tickAt(symbol, source, receipt(tradeTimestamp, at), { tradeTimestamp });
}

const OPEN: StreamStatus = {
  state: 'open',
  connectedSince: undefined,
  epoch: 1,
  lastInboundMonotonic: undefined,
  reconnects: 0,
  gaps: [],
  malformedFrames: 0,
  refusal: undefined,
};

function setup(settings: Partial<FreshnessConfig> = {}, initial: StreamStatus | undefined = OPEN) {
  const clock = new FakeClock({ monotonic: 10_000 });
  const judge = new FreshnessJudge({
    clock,
    settings: { ...DEFAULT_BACKBONE_CONFIG.freshness, ...settings },
    maxSymbols: 100,
    initial,
  });
  const arrive = (symbol = BTC, streamType: 'REALTIME' | 'SNAPSHOT' = 'REALTIME'): void =>
    judge.observer.onArrival?.('ticker', symbol, clock.monotonic(), streamType);
  /** `count` REALTIME arrivals `everyMs` apart, the last one now. */
  const rhythm = (everyMs: number, count = 6, symbol = BTC): void => {
    for (let i = 0; i < count; i++) {
      if (i > 0) clock.advance(everyMs);
      arrive(symbol);
    }
  };
  const stale = (symbol = BTC) => judge.staleness('ticker', symbol, undefined, true);
  return { clock, judge, arrive, rhythm, stale };
}

function gap(startedAtMonotonic: number, symbols = [BTC], endedAtMonotonic?: number): StreamGap {
  return {
    startedAt: startedAtMonotonic,
    endedAt: endedAtMonotonic,
    startedAtMonotonic,
    endedAtMonotonic,
    reason: 'stall',
    symbols,
  };
}

describe('the defaults', () => {
  it('are factor 3, 1 s expected before anything is learned, never stale under 1 s', () => {
    expect(DEFAULT_BACKBONE_CONFIG.freshness).toEqual({
      staleFactor: 3,
      minStaleMs: 1_000,
      defaultExpectedIntervalMs: 1_000,
      minExpectedIntervalMs: 50,
      maxExpectedIntervalMs: 60_000,
    });
  });

  it('judge a busy symbol that stops (connection open) stale within 1 s, and an unlearned one within 3 s', () => {
    const busy = setup();
    busy.rhythm(100, 20);
    busy.clock.advance(1_000);
    expect(busy.stale()).toBeUndefined();
    busy.clock.advance(1);
    expect(busy.stale()).toMatchObject({ cause: 'silent', expectedMs: 100 });

    const unlearned = setup();
    unlearned.arrive();
    unlearned.clock.advance(3_000);
    expect(unlearned.stale()).toBeUndefined();
    unlearned.clock.advance(1);
    expect(unlearned.stale()).toMatchObject({ cause: 'silent', expectedMs: 1_000 });
  });
});

describe('the rhythm', () => {
  it('is the EWMA of intervals between REALTIME arrivals, clamped to the configured bounds', () => {
    const { judge, rhythm, clock } = setup();
    expect(judge.expectedIntervalMs('ticker', BTC)).toBe(1_000);
    rhythm(250);
    expect(judge.expectedIntervalMs('ticker', BTC)).toBeCloseTo(250, 6);
    // Faster than the floor: clamped to 50 ms.
    rhythm(10, 40);
    expect(judge.expectedIntervalMs('ticker', BTC)).toBe(50);
    // Slower than the ceiling: an arrival interval counts as 60 s at most, a learned trade rhythm is clamped to it.
    clock.advance(1);
    rhythm(120_000, 3);
    expect(judge.expectedIntervalMs('ticker', BTC)).toBeLessThanOrEqual(60_000);
    for (let i = 0; i < 5; i++) judge.noteTicker(restTick(ETH, i * 120_000));
    expect(judge.expectedIntervalMs('ticker', ETH)).toBe(60_000);
  });

  it('is learned per kind and symbol', () => {
    const { judge, rhythm, clock } = setup();
    rhythm(200, 6, BTC);
    for (let i = 0; i < 6; i++) {
      judge.observer.onArrival?.('orderbook', BTC, clock.monotonic(), 'REALTIME');
      clock.advance(80);
    }
    expect(judge.expectedIntervalMs('ticker', BTC)).toBeCloseTo(200, 6);
    expect(judge.expectedIntervalMs('orderbook', BTC)).toBeCloseTo(80, 6);
    expect(judge.expectedIntervalMs('ticker', ETH)).toBe(1_000);
  });

  it('takes no rhythm from SNAPSHOTs, which still refresh the last arrival', () => {
    const { judge, arrive, clock } = setup();
    arrive(BTC, 'SNAPSHOT');
    clock.advance(300);
    arrive(BTC, 'SNAPSHOT');
    expect(judge.expectedIntervalMs('ticker', BTC)).toBe(1_000);
    expect(judge.streamCondition(BTC)?.sinceUpdateMs).toBe(0);
    // A snapshot between two REALTIME frames restarts the interval: 5 s of resubscription is not rhythm.
    arrive();
    clock.advance(5_000);
    arrive(BTC, 'SNAPSHOT');
    clock.advance(200);
    arrive();
    clock.advance(200);
    arrive();
    expect(judge.expectedIntervalMs('ticker', BTC)).toBe(200);
  });

  it('takes no rhythm across connections: a reconnect silence is not an interval', () => {
    const { judge, arrive, clock } = setup();
    arrive();
    clock.advance(200);
    arrive();
    judge.observer.onConnection?.({
      state: 'reconnecting',
      previous: 'open',
      reason: 'drop',
      epoch: 1,
      atMonotonic: 0,
    });
    clock.advance(9_000);
    judge.observer.onConnection?.({
      state: 'open',
      previous: 'connecting',
      reason: undefined,
      epoch: 2,
      atMonotonic: 0,
    });
    arrive();
    expect(judge.expectedIntervalMs('ticker', BTC)).toBe(200);
    clock.advance(400);
    arrive();
    expect(judge.expectedIntervalMs('ticker', BTC)).toBeCloseTo(0.2 * 400 + 0.8 * 200, 6);
  });

  it('comes from exchange trade times for symbols not streamed, but never for order books', () => {
    const { judge, rhythm } = setup();
    for (let i = 0; i < 20; i++) judge.noteTicker(restTick(ETH, 1_000_000 + i * 5_000));
    // An older or repeated trade time says nothing.
    judge.noteTicker(restTick(ETH, 1_000_000));
    expect(judge.expectedIntervalMs('ticker', ETH)).toBeCloseTo(5_000, 6);
    expect(judge.expectedIntervalMs('trade', ETH)).toBeCloseTo(5_000, 6);
    expect(judge.expectedIntervalMs('orderbook', ETH)).toBe(1_000);
    // Arrivals on the stream take precedence once there are some.
    for (let i = 0; i < 20; i++) judge.noteTicker(restTick(BTC, 1_000_000 + i * 5_000));
    rhythm(300);
    expect(judge.expectedIntervalMs('ticker', BTC)).toBeCloseTo(300, 6);
  });
});

describe('the rule', () => {
  it('calls a value stale past max(minStaleMs, staleFactor x expected), judged by its own receipt', () => {
    const { judge, rhythm, clock } = setup({ staleFactor: 3, minStaleMs: 500 });
    rhythm(400);
    const receivedAt = clock.monotonic();
    clock.advance(1_200);
    expect(judge.staleness('ticker', BTC, receivedAt, false)).toBeUndefined();
    clock.advance(1);
    const verdict = judge.staleness('ticker', BTC, receivedAt, false);
    expect(verdict).toEqual({ cause: 'silent', ageMs: 1_201, expectedMs: 400 });
    expect(verdict === undefined ? '' : describeStale(verdict, 'cached')).toBe(
      'cached 1201 ms ago, expected every 400 ms',
    );
    // Nothing to judge before anything arrived.
    expect(judge.staleness('ticker', ETH, undefined, true)).toBeUndefined();
  });

  it('measures on the monotonic receive times the adapter stamped: wall-clock jumps change nothing', () => {
    const { judge, rhythm, clock, stale } = setup();
    rhythm(100);
    clock.jumpWall(-HOUR);
    clock.advance(900);
    expect(stale()).toBeUndefined();
    clock.jumpWall(2 * HOUR);
    expect(stale()).toBeUndefined();
    clock.advance(101);
    expect(stale()).toMatchObject({ cause: 'silent', ageMs: 1_001 });
    clock.jumpWall(-HOUR);
    expect(judge.streamCondition(BTC)).toMatchObject({ sinceUpdateMs: 1_001, expectedIntervalMs: 100 });
  });

  it('calls stream values stale while the connection is not open, and says so', () => {
    const { judge, arrive, clock, stale } = setup();
    arrive();
    judge.observer.onConnection?.({
      state: 'reconnecting',
      previous: 'open',
      reason: 'drop',
      epoch: 1,
      atMonotonic: 0,
    });
    expect(stale()).toEqual({ cause: 'cannot-deliver', detail: 'websocket reconnecting' });
    // A value kept elsewhere (a REST answer in the cache) is judged by its age only.
    expect(judge.staleness('ticker', BTC, clock.monotonic(), false)).toBeUndefined();
    judge.observer.onConnection?.({
      state: 'open',
      previous: 'connecting',
      reason: undefined,
      epoch: 2,
      atMonotonic: 0,
    });
    expect(stale()).toBeUndefined();
  });

  it('holds a refusal until data flows again', () => {
    const { judge, arrive, clock, stale } = setup();
    arrive();
    clock.advance(10);
    judge.observer.onRefusal?.({
      kind: 'error-frame',
      error: new NetworkError('INVALID_PARAM', { channel: 'websocket' }),
      atMonotonic: clock.monotonic(),
      retryAtMonotonic: undefined,
      repeats: 1,
    });
    expect(stale()).toEqual({ cause: 'cannot-deliver', detail: 'websocket refused (error-frame): INVALID_PARAM' });
    expect(judge.report().refusal?.kind).toBe('error-frame');
    clock.advance(10);
    arrive(ETH);
    expect(stale()).toBeUndefined();
    expect(judge.report().refusal).toBeUndefined();
  });

  it('holds an open gap against the symbols it covers until they deliver again or it closes', () => {
    const { judge, arrive, clock, stale } = setup();
    arrive(BTC);
    arrive(ETH);
    clock.advance(10);
    const opened = gap(clock.monotonic(), [BTC]);
    judge.observer.onGap?.(opened);
    expect(stale(BTC)).toMatchObject({ cause: 'cannot-deliver' });
    expect(stale(ETH)).toBeUndefined();
    expect(judge.report().openGaps).toBe(1);
    clock.advance(10);
    arrive(BTC);
    expect(stale(BTC)).toBeUndefined();
    // A gap covering every symbol (none named), closed by the source.
    const everything = gap(clock.monotonic() + 1, []);
    clock.advance(5);
    judge.observer.onGap?.(everything);
    expect(stale(ETH)).toMatchObject({ cause: 'cannot-deliver', detail: 'websocket gap open for 4 ms (stall)' });
    judge.observer.onGap?.({ ...everything, endedAt: 0, endedAtMonotonic: clock.monotonic(), reason: 'resumed' });
    judge.observer.onGap?.({ ...opened, endedAt: 0, endedAtMonotonic: clock.monotonic() });
    expect(stale(ETH)).toBeUndefined();
    expect(judge.report().openGaps).toBe(0);
  });

  it('starts from the stream status it is given, open gaps and refusal included', () => {
    const refusal = {
      kind: 'blocked' as const,
      error: new NetworkError('418', { channel: 'websocket' }),
      atMonotonic: 0,
      retryAtMonotonic: undefined,
      repeats: 2,
    };
    const { judge } = setup({}, { ...OPEN, state: 'connecting', epoch: 3, gaps: [gap(0), gap(1, [BTC], 2)], refusal });
    expect(judge.report()).toMatchObject({ connection: 'connecting', epoch: 3, openGaps: 1, refusal });
  });
});

describe('the report for health()', () => {
  it('names watched feeds judged stale, and only those', () => {
    const { judge, rhythm, clock } = setup();
    const release = judge.watch('ticker', [BTC]);
    rhythm(100, 10, BTC);
    rhythm(100, 1, ETH);
    expect(judge.report()).toMatchObject({ watched: 1, stale: [] });
    clock.advance(1_001);
    expect(judge.report().stale).toEqual([
      { kind: 'ticker', symbol: BTC, note: 'last update 1001 ms ago, expected every 100 ms' },
    ]);
    release();
    release();
    expect(judge.report()).toMatchObject({ watched: 0, stale: [] });
  });

  it('reports a watched state feed that never delivered past its limit, but not a silent trade feed', () => {
    const { judge, clock } = setup();
    judge.watch('orderbook', [BTC]);
    judge.watch('trade', [BTC]);
    clock.advance(3_000);
    expect(judge.report().stale).toEqual([]);
    clock.advance(1);
    expect(judge.report().stale).toEqual([
      { kind: 'orderbook', symbol: BTC, note: 'no data 3001 ms after it was asked for' },
    ]);
  });

  it('never judges a stream it does not have', () => {
    const { judge, clock } = setup({}, undefined);
    judge.noteTicker(restTick(BTC, 1));
    expect(judge.staleness('ticker', BTC, clock.monotonic(), true)).toBeUndefined();
    expect(judge.streamCondition(BTC)).toBeUndefined();
  });
});

describe('quiet markets', () => {
  it('never calls an unlearned symbol stale by its own silence while the connection delivers other data', () => {
    const { judge, clock, arrive, stale } = setup();
    // ETH: one snapshot, then nothing for a minute; BTC keeps the connection busy.
    arrive(ETH, 'SNAPSHOT');
    for (let i = 0; i < 600; i++) {
      clock.advance(100);
      arrive(BTC);
    }
    expect(stale(ETH)).toBeUndefined();
    expect(judge.streamVerdict('ticker', ETH, 0)).toBeUndefined();
    // The whole connection stops (a data stall, heartbeats answered): now the silence counts, for both.
    clock.advance(1_001);
    expect(stale(BTC)).toMatchObject({ cause: 'silent', expectedMs: 100 });
    clock.advance(2_000);
    expect(stale(ETH)).toMatchObject({ cause: 'silent', expectedMs: 1_000 });
  });

  it('calls a learned symbol stale by its own silence even while others arrive', () => {
    const { clock, arrive, rhythm, stale } = setup();
    rhythm(100, 6, ETH);
    for (let i = 0; i < 11; i++) {
      clock.advance(100);
      arrive(BTC);
    }
    expect(stale(ETH)).toMatchObject({ cause: 'silent', expectedMs: 100 });
  });

  it('takes a REST answer without a newer trade as confirmation, and backs off by the silence it confirmed', () => {
    const { judge, clock, arrive, stale } = setup();
    // The stream's value carries the trade of wall time 5_000; nothing else is on the connection.
    arrive(ETH, 'SNAPSHOT');
    judge.noteTicker(restTick(ETH, 5_000, clock.monotonic(), 'websocket'));
    clock.advance(3_001);
    expect(stale(ETH)).toMatchObject({ cause: 'silent', expectedMs: 1_000 });
    // REST, asked now, knows no newer trade: the silence was the market's.
    judge.noteTicker(restTick(ETH, 5_000, clock.monotonic()));
    expect(stale(ETH)).toBeUndefined();
    // It is checked again after 3 x the 3 s it confirmed, not after 3 s.
    clock.advance(9_003);
    expect(stale(ETH)).toBeUndefined();
    clock.advance(1);
    expect(stale(ETH)).toMatchObject({ cause: 'silent', expectedMs: 3_001 });
  });

  it('calls even a quiet learned symbol stale when the whole connection stalls, until REST explains the silence', () => {
    const { judge, clock, arrive, stale } = setup();
    judge.watch('ticker', [BTC, ETH]);
    // ETH trades every 10 s (learned); BTC keeps the connection busy every 100 ms.
    for (let i = 0; i < 4; i++) {
      arrive(ETH);
      for (let k = 0; k < 100; k++) {
        arrive(BTC);
        clock.advance(100);
      }
    }
    arrive(ETH);
    judge.noteTicker(restTick(ETH, 5_000, clock.monotonic(), 'websocket'));
    judge.noteTicker(restTick(BTC, 6_000, clock.monotonic() - 100, 'websocket'));
    expect(judge.expectedIntervalMs('ticker', ETH)).toBeGreaterThan(9_000);
    clock.advance(1_000);
    expect(stale(ETH)).toBeUndefined();
    // Nothing at all for a while: the data stall makes ETH's value suspect too, long before its own limit (30 s).
    clock.advance(1);
    const stalled = { cause: 'cannot-deliver', detail: 'websocket silent for 1001 ms, a frame expected every 100 ms' };
    expect(stale(ETH)).toEqual(stalled);
    // REST shows no newer ETH trade, but BTC, which fell silent too, has traded: the connection is stalled.
    judge.noteTicker(restTick(ETH, 5_000, clock.monotonic()));
    judge.noteTicker(restTick(BTC, 6_500, clock.monotonic()));
    expect(stale(ETH)).toMatchObject({ cause: 'cannot-deliver' });
    // REST shows no newer trade for either: both markets are quiet, the silence is theirs.
    clock.advance(10);
    judge.noteTicker(restTick(BTC, 6_000, clock.monotonic()));
    judge.noteTicker(restTick(ETH, 5_000, clock.monotonic()));
    expect(stale(ETH)).toBeUndefined();
  });

  it('keeps a stalled feed stale when REST shows a newer trade', () => {
    const { judge, clock, rhythm, stale } = setup();
    rhythm(100, 10, BTC);
    judge.noteTicker(restTick(BTC, 5_000, clock.monotonic(), 'websocket'));
    clock.advance(1_001);
    judge.noteTicker(restTick(BTC, 5_900, clock.monotonic()));
    expect(stale(BTC)).toMatchObject({ cause: 'silent', ageMs: 1_001 });
    expect(judge.streamVerdict('ticker', BTC, 0)).toMatchObject({ cause: 'silent', ageMs: 1_001 });
  });
});

describe('the verdict for fallback', () => {
  it('lets a connection that cannot deliver count only once it has lasted minStaleMs', () => {
    const { judge, clock, arrive } = setup();
    arrive();
    const startedAt = clock.monotonic();
    judge.observer.onConnection?.({
      state: 'reconnecting',
      previous: 'open',
      reason: 'drop',
      epoch: 1,
      atMonotonic: 0,
    });
    clock.advance(999);
    expect(judge.streamVerdict('ticker', BTC, startedAt)).toBeUndefined();
    clock.advance(1);
    expect(judge.streamVerdict('ticker', BTC, startedAt)).toEqual({
      cause: 'cannot-deliver',
      detail: 'websocket reconnecting',
    });
    // A stream that started later waits its own minStaleMs.
    expect(judge.streamVerdict('ticker', BTC, clock.monotonic() - 10)).toBeUndefined();
  });

  it('counts a state feed that never delivered once its limit has passed, never a trade feed', () => {
    const { judge, clock } = setup();
    const startedAt = clock.monotonic();
    clock.advance(3_000);
    expect(judge.streamVerdict('ticker', ETH, startedAt)).toBeUndefined();
    clock.advance(1);
    expect(judge.streamVerdict('ticker', ETH, startedAt)).toEqual({
      cause: 'cannot-deliver',
      detail: 'no ticker 3001 ms after it was asked for',
    });
    expect(judge.streamVerdict('trade', ETH, startedAt)).toBeUndefined();
  });
});
