import { setTimeout as sleep } from 'node:timers/promises';
import type { UpbitStreamStatus, UpbitWebSocketOptions } from '@marketdata/adapters-upbit';
import { isNetworkError, isTimeoutError, type MarketCode, parseMarketCode, systemClock } from '@marketdata/domain';
import { afterEach, describe, expect, it } from 'vitest';
import { containerGate, useSimContainers } from './support/container-gate.js';
import type { SimContainer } from './support/sim-container.js';
import { recordTickers, symbolsOf, type TickerRecorder } from './support/ticker-recorder.js';
import { type RejectionTracker, trackUnhandledRejections } from './support/unhandled-rejections.js';
import { waitUntil } from './support/wait-until.js';
import { wallNow } from './support/wall-clock.js';

import { openWsSource, type SeenStateChange, type WsSourceHarness } from './support/ws-source-harness.js';

// The WebSocket adapter against the simulator in a container, through the faults a container gives: a stall
// (pause/unpause: the socket stays open, nothing arrives), server death and return (stop/start) and a restart.
// Real clock, short timeouts; every wait is bounded.

const gate = await containerGate();

const SYMBOLS: readonly MarketCode[] = ['KRW-BTC', 'KRW-ETH', 'KRW-XRP'].map((code) => parseMarketCode(code));
// Only these markets in the simulator (less work in the container); their trade rates are those of the full
// universe (XRP 40/s, BTC 25/s, ETH 10/s), so each ticker stream is busy.
const SIM_ARGS = ['--markets', SYMBOLS.join(',')];

const PING_MS = 1_000;
const LIVENESS_MS = 2_000;
// Recovery after the server is reachable again (the target: < 1 s) is bounded by what the adapter is doing at that
// moment: at worst an attempt that started just before is still hanging until connectTimeoutMs (during a container
// restart the engine silently drops connection attempts for a few hundred ms: the SYN is lost and the kernel only
// retries it after 1 s), then one backoff wait (at most maxMs), then a connect and the SNAPSHOT. So the bound holds
// only if connectTimeoutMs + backoff.maxMs stays well under 1 s: 400 + 400 here.
const CONNECT_TIMEOUT_MS = 400;
// No minMs: the adapter's own floor applies, and it is checked against Upbit's limit below.
const BACKOFF = { baseMs: 100, maxMs: 400 };
// Upbit allows 5 WebSocket connects per second per IP (API.md; the simulator enforces it): attempts must never
// come closer together than this, however the backoff is configured.
const CONNECT_FLOOR_MS = 200;
const RECOVERY_BOUND_MS = 1_000;
// The adapter notices a stall within pingIntervalMs + livenessTimeoutMs (see its options); the margin absorbs
// timer lateness on a loaded 2-core machine and the time the engine takes to freeze the container.
const DEAD_BOUND_MS = PING_MS + LIVENESS_MS + 750;
// Tolerance for comparing timer-driven spacing with wall readings (Node may fire a timer a millisecond or two
// early relative to Date.now()).
const TIMER_SLACK_MS = 5;
// The gap of a closed connection opens in the same call as the state change, a clock reading later.
const SAME_CALL_MS = 50;

// The hot symbol (KRW-XRP, ~40 ticker frames/s): during a stall its arrival facts stop moving long before the
// connection itself can be declared dead (that takes at least livenessTimeoutMs - pingIntervalMs). Judging that
// silence (its rhythm, the stale rule) is the backbone's; the adapter only reports it.
const HOT_SYMBOL = parseMarketCode('KRW-XRP');

const FIRST_FRAMES_MS = 10_000;
const BACK_AFTER_FAULT_MS = 10_000;

function sortedSymbols(): readonly MarketCode[] {
  return [...SYMBOLS].sort();
}

describe.skipIf(gate.skip)('WebSocket adapter against the simulator container under faults', () => {
  const startSim = useSimContainers(gate);
  const cleanups: (() => Promise<void> | void)[] = [];

  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  interface Watching {
    readonly sim: SimContainer;
    readonly ws: WsSourceHarness;
    readonly tickers: TickerRecorder;
    readonly rejections: RejectionTracker;
  }

  /** A fresh simulator and an adapter watching the three tickers, once frames for all three have arrived. */
  async function watchThreeTickers(extra: Partial<UpbitWebSocketOptions> = {}): Promise<Watching> {
    const rejections = trackUnhandledRejections();
    cleanups.push(() => rejections.stop());
    const sim = await startSim({ extraArgs: SIM_ARGS, pinHostPorts: true });
    const ws = openWsSource({
      url: sim.wsUrl,
      pingIntervalMs: PING_MS,
      livenessTimeoutMs: LIVENESS_MS,
      connectTimeoutMs: CONNECT_TIMEOUT_MS,
      backoff: BACKOFF,
      ...extra,
    });
    cleanups.push(() => ws.close());
    const tickers = recordTickers(ws.source, SYMBOLS);
    cleanups.push(() => tickers.stop());
    const allThere = await waitUntil(() => symbolsOf(tickers.received).length === SYMBOLS.length, FIRST_FRAMES_MS);
    expect(allThere, 'frames for all three symbols before the fault').toBe(true);
    expect(ws.source.status().state).toBe('open');
    return { sim, ws, tickers, rejections };
  }

  /** After recovery: frames for every symbol again, nothing thrown at or reported to the consumer. */
  async function expectFlowingAgainAfter(watching: Watching, since: number): Promise<void> {
    const { tickers } = watching;
    const back = await waitUntil(
      () => symbolsOf(tickers.receivedAfter(since)).length === SYMBOLS.length,
      BACK_AFTER_FAULT_MS,
    );
    expect(symbolsOf(tickers.receivedAfter(since)), 'subscriptions restored: every symbol flows again').toEqual(
      sortedSymbols(),
    );
    expect(back).toBe(true);
    expect(watching.ws.source.status().state).toBe('open');
    expect(tickers.thrown, 'the consumer never sees the fault as an exception').toBeUndefined();
    // Attempts that failed while the server was away are reported to the consumer (refused, reset, timed out),
    // and nothing else is.
    const unexpected = tickers.reported.filter((error) => !isNetworkError(error) && !isTimeoutError(error));
    expect(unexpected).toEqual([]);
    expect(watching.ws.refusals.every((refusal) => refusal.kind === 'unreachable')).toBe(true);
    expect(watching.ws.source.status().refusal, 'cleared once data flows again').toBeUndefined();
  }

  /** Exactly one gap, closed, naming all three symbols, inside the given bounds. */
  function expectOneClosedGap(
    status: UpbitStreamStatus,
    bounds: { readonly startedNotBefore: number; readonly startedNotAfter: number; readonly endedNotBefore: number },
  ): void {
    expect(status.gapCount).toBe(1);
    expect(status.gaps).toHaveLength(1);
    const gap = status.gaps[0];
    if (gap === undefined) throw new Error('no gap recorded');
    expect([...gap.symbols].sort()).toEqual(sortedSymbols());
    expect(gap.startedAt).toBeGreaterThanOrEqual(bounds.startedNotBefore);
    expect(gap.startedAt).toBeLessThanOrEqual(bounds.startedNotAfter);
    expect(gap.endedAt, 'the gap is closed by the first frame after the fault').toBeDefined();
    expect(gap.endedAt ?? 0).toBeGreaterThanOrEqual(bounds.endedNotBefore);
    expect(gap.endedAt ?? 0).toBeGreaterThan(gap.startedAt);
  }

  /** Connect attempts after `lostAt`: each at least the backoff floor after the previous one (never a tight loop). */
  function attemptSpacing(ws: WsSourceHarness, lostAt: number, until: number): readonly number[] {
    const attempts = ws.socketsCreatedAt.filter((at) => at >= lostAt && at <= until);
    const spacing: number[] = [];
    let previous = lostAt;
    for (const at of attempts) {
      spacing.push(at - previous);
      previous = at;
    }
    return spacing;
  }

  function isLossOfOpen(change: SeenStateChange): boolean {
    return change.state === 'reconnecting' && change.previous === 'open';
  }

  it('pause: the stalled socket is declared dead within the liveness bound, reconnects after unpause, one gap', async () => {
    const watching = await watchThreeTickers();
    const { sim, ws, tickers } = watching;
    const statesBefore = ws.states.length;

    const pauseCalledAt = wallNow();
    await sim.pause();
    const pausedAt = wallNow();
    const dead = await ws.waitForState(isLossOfOpen, DEAD_BOUND_MS + 5_000, statesBefore);
    if (dead === undefined) throw new Error('the stalled connection was never declared dead');
    expect(dead.reason).toMatch(/no data and no heartbeat answer/);
    const detectedAfterMs = dead.at - pauseCalledAt;
    console.log(`[reliability] pause: stall declared dead ${detectedAfterMs} ms after pause() was called`);
    expect(detectedAfterMs).toBeLessThanOrEqual(DEAD_BOUND_MS);
    expect(detectedAfterMs).toBeGreaterThan(0);

    // The stall goes on: the adapter's new attempts reach a frozen server (the kernel still accepts the TCP
    // connection, the upgrade is never answered) and must not be mistaken for a recovery.
    await sleep(1_500);
    expect(tickers.receivedAfter(dead.at)).toEqual([]);
    expect(ws.source.status().state).toBe('reconnecting');
    const open = ws.source.status().gaps;
    expect(open).toHaveLength(1);
    expect(open[0]?.endedAt, 'the gap stays open while nothing arrives').toBeUndefined();

    const unpauseCalledAt = wallNow();
    await sim.unpause();
    await expectFlowingAgainAfter(watching, unpauseCalledAt);
    const status = ws.source.status();
    expect(status.reconnects).toBeGreaterThanOrEqual(1);
    // A dead socket's gap starts at its last frame: before the freeze completed, and not long before the call.
    expectOneClosedGap(status, {
      startedNotBefore: pauseCalledAt - 1_000,
      startedNotAfter: pausedAt,
      endedNotBefore: unpauseCalledAt,
    });
    expect(ws.gapEvents.map((gap) => gap.endedAt === undefined)).toEqual([true, false]);
    // Connect attempts during the stall were spaced by the connect timeout and the backoff, never a loop.
    for (const spacing of attemptSpacing(ws, dead.at, unpauseCalledAt)) {
      expect(spacing).toBeGreaterThanOrEqual(CONNECT_FLOOR_MS - TIMER_SLACK_MS);
    }
    expect(watching.rejections.reasons).toEqual([]);
  });

  it('stop/start: reconnects with spaced attempts while the server is dead, recovers < 1 s after it is back', async () => {
    const watching = await watchThreeTickers();
    const { sim, ws, tickers } = watching;
    const wsUrl = sim.wsUrl;
    const statesBefore = ws.states.length;

    const stopCalledAt = wallNow();
    await sim.stop();
    const lost = await ws.waitForState(isLossOfOpen, 5_000, statesBefore);
    if (lost === undefined) throw new Error('the adapter did not notice the server died');
    // Let it try against a dead server for a while: attempts are refused at once (one made while the engine tears the
    // container's network down may hang until the connect timeout instead), so the backoff alone spaces them.
    await sleep(2_500);
    const startCalledAt = wallNow();
    await sim.start();
    const reachableAt = wallNow();
    expect(sim.wsUrl, 'the pinned port survives stop/start').toBe(wsUrl);

    const spacing = attemptSpacing(ws, lost.at, startCalledAt);
    console.log(
      `[reliability] stop/start: ${spacing.length} connect attempts in ${startCalledAt - lost.at} ms while stopped, ` +
        `spacing ${spacing.join(', ')} ms`,
    );
    expect(spacing.length, 'it keeps trying while the server is dead').toBeGreaterThanOrEqual(3);
    expect(spacing.length).toBeLessThanOrEqual(Math.floor((startCalledAt - lost.at) / CONNECT_FLOOR_MS) + 1);
    for (const gap of spacing) expect(gap).toBeGreaterThanOrEqual(CONNECT_FLOOR_MS - TIMER_SLACK_MS);

    await expectFlowingAgainAfter(watching, lost.at);
    const firstBack = Math.min(...tickers.receivedAfter(lost.at).map((ticker) => ticker.receivedAt));
    const recoveryMs = firstBack - reachableAt;
    console.log(
      `[reliability] stop/start: first frame ${recoveryMs} ms after start() resolved (health OK), ` +
        `${firstBack - startCalledAt} ms after start() was called`,
    );
    expect(recoveryMs).toBeLessThan(RECOVERY_BOUND_MS);

    expectOneClosedGap(ws.source.status(), {
      startedNotBefore: stopCalledAt,
      startedNotAfter: lost.at + SAME_CALL_MS,
      endedNotBefore: startCalledAt,
    });
    expect(watching.rejections.reasons).toEqual([]);
  });

  it('restart: reconnects and resubscribes after a restart, recovers < 1 s after the server is back', async () => {
    const watching = await watchThreeTickers();
    const { sim, ws, tickers } = watching;
    const wsUrl = sim.wsUrl;
    const statesBefore = ws.states.length;

    const restartCalledAt = wallNow();
    await sim.restart();
    const reachableAt = wallNow();
    expect(sim.wsUrl, 'the pinned port survives a restart').toBe(wsUrl);
    const lost = await ws.waitForState(isLossOfOpen, 5_000, statesBefore);
    if (lost === undefined) throw new Error('the adapter did not notice the restart');

    await expectFlowingAgainAfter(watching, lost.at);
    const firstBack = Math.min(...tickers.receivedAfter(lost.at).map((ticker) => ticker.receivedAt));
    const recoveryMs = firstBack - reachableAt;
    console.log(
      `[reliability] restart: first frame ${recoveryMs} ms after restart() resolved (health OK), ` +
        `${firstBack - restartCalledAt} ms after restart() was called; ${ws.source.status().connectAttempts} ` +
        'connect attempts in all',
    );
    expect(recoveryMs).toBeLessThan(RECOVERY_BOUND_MS);
    for (const gap of attemptSpacing(ws, lost.at, firstBack)) {
      expect(gap).toBeGreaterThanOrEqual(CONNECT_FLOOR_MS - TIMER_SLACK_MS);
    }

    expectOneClosedGap(ws.source.status(), {
      startedNotBefore: restartCalledAt,
      startedNotAfter: lost.at + SAME_CALL_MS,
      endedNotBefore: lost.at,
    });
    expect(ws.source.status().reconnects).toBeGreaterThanOrEqual(1);
    expect(watching.rejections.reasons).toEqual([]);
  });

  it('pause: the arrival facts stop for the hot symbol while the socket still looks open; the new socket delivers again', async () => {
    const watching = await watchThreeTickers();
    const { sim, ws, tickers } = watching;
    const source = ws.source;
    const hotRealtime = (): number =>
      tickers.received.filter((ticker) => ticker.symbol === HOT_SYMBOL && ticker.streamType === 'REALTIME').length;
    expect(await waitUntil(() => hotRealtime() >= 20, FIRST_FRAMES_MS)).toBe(true);
    const before = source.arrivals('ticker', HOT_SYMBOL);
    expect(before?.lastArrivalEpoch).toBe(source.status().epoch);

    const statesBefore = ws.states.length;
    await sim.pause();
    const pausedAt = wallNow();
    // Half a second into the stall: nothing new has arrived, and the connection has not been declared dead yet.
    await sleep(500);
    const during = source.arrivals('ticker', HOT_SYMBOL);
    const stalledFor = systemClock.monotonic() - (during?.lastArrivalMonotonic ?? 0);
    console.log(`[reliability] arrival facts: ${HOT_SYMBOL} silent for ${Math.round(stalledFor)} ms, state still open`);
    expect(source.status().state).toBe('open');
    expect(stalledFor).toBeGreaterThanOrEqual(450);
    expect(during?.lastArrivalMonotonic).toBe(source.arrivals('ticker', HOT_SYMBOL)?.lastArrivalMonotonic);

    const dead = await ws.waitForState(isLossOfOpen, DEAD_BOUND_MS + 5_000, statesBefore);
    expect(dead, 'the stall is declared dead').toBeDefined();
    expect(source.status().gaps[0]?.endedAt, 'the gap is open while nothing arrives').toBeUndefined();
    expect((source.status().gaps[0]?.startedAt ?? 0) <= pausedAt).toBe(true);

    const unpauseCalledAt = wallNow();
    await sim.unpause();
    await expectFlowingAgainAfter(watching, unpauseCalledAt);
    const after = source.arrivals('ticker', HOT_SYMBOL);
    expect(after?.lastArrivalEpoch, 'delivered by the new socket').toBe(source.status().epoch);
    expect(after?.lastArrivalEpoch ?? 0).toBeGreaterThan(before?.lastArrivalEpoch ?? 0);
    expect(watching.rejections.reasons).toEqual([]);
  });
});
