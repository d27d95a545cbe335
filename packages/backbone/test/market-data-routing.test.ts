import { isChannelUnavailableError, isNetworkError, isTimeoutError, TimeoutError } from '@marketdata/domain';
import { afterEach, describe, expect, it } from 'vitest';
import { code } from './support/fixture-tickers.js';
import { createHarness, type Harness, learnRhythm } from './support/harness.js';

let harness: Harness | undefined;

afterEach(async () => {
  if (harness === undefined) return;
  await harness.md.close();
  expect(harness.clock.pendingTimerCount()).toBe(0);
  harness = undefined;
});

describe('hot symbols: the router states demand, the adapter owns the wire', () => {
  it('subscribes a symbol on WebSocket once it is requested at least every 2 s, then serves it from there', async () => {
    harness = createHarness();
    const { md, websocket, clock } = harness;
    // Four requests 2 s apart: 4 in the 10 s window = 0.4/s, still cold.
    await harness.requestEvery('KRW-BTC', 2_000, 4);
    expect(websocket.subscribeCalls).toEqual([]);
    // The fifth makes 5 in 10 s = 0.5/s: hot.
    await md.getTicker('KRW-BTC');
    expect(websocket.subscribeCalls).toEqual(['ticker:KRW-BTC']);
    expect(md.stats().routing.subscriptions).toMatchObject({ active: 1, promotions: 1 });

    // Until the stream has data, REST (or a fresh cache entry) serves.
    clock.advance(1_500);
    expect((await md.getTicker('KRW-BTC')).source).toBe('rest');
    harness.push('KRW-BTC');
    clock.advance(100);
    const ticker = await md.getTicker('KRW-BTC');
    expect(ticker).toMatchObject({ source: 'websocket', quality: 'high' });
    expect(md.stats().routing.decisions['hot-websocket-fresh']).toBe(1);
    // The fifth request and the one 1.5 s later, both while the subscription had no data yet.
    expect(md.stats().routing.decisions['websocket-warming-up']).toBe(2);
    // Served from the stream's latest value: no call was made to the WebSocket source for it.
    expect(websocket.callCount('getTicker')).toBe(0);
  });

  it('releases the subscription the moment the symbol turns cold, with no grace period of its own', async () => {
    harness = createHarness();
    const { md, websocket, clock } = harness;
    const start = clock.monotonic();
    // Requests at 0, 1, ..., 5 s; the clock ends at 6 s.
    await harness.requestEvery('KRW-ETH', 1_000, 6);
    expect(websocket.subscribed.get('KRW-ETH')).toBe(1);
    // Cold once fewer than 5 requests remain in the last 10 s: just after 11 s (the request at 1 s leaves it).
    const coldAt = start + 11_001;
    clock.advance(coldAt - 1 - clock.monotonic());
    expect(websocket.subscribed.get('KRW-ETH')).toBe(1);
    expect(websocket.releaseCalls).toEqual([]);
    clock.advance(1);
    expect(websocket.subscribed.has('KRW-ETH')).toBe(false);
    expect(websocket.releaseCalls).toEqual(['ticker:KRW-ETH']);
    expect(md.stats().routing.subscriptions).toMatchObject({ active: 0, demotions: 1 });
    // No demand left: no timer either (lingering on the wire is the adapter's business).
    expect(clock.pendingTimerCount()).toBe(0);
    // Hot again: a new handle at once.
    await harness.requestEvery('KRW-ETH', 100, 5);
    expect(websocket.subscribeCalls).toEqual(['ticker:KRW-ETH', 'ticker:KRW-ETH']);
  });

  it('keeps a symbol requested steadily subscribed, however long', async () => {
    harness = createHarness();
    const { websocket } = harness;
    await harness.requestEvery('KRW-SOL', 1_000, 60);
    expect(websocket.subscribeCalls).toEqual(['ticker:KRW-SOL']);
    expect(websocket.releaseCalls).toEqual([]);
  });

  it('does not subscribe anything when WebSocket is switched off by configuration', async () => {
    harness = createHarness({ useWebSocket: false });
    await harness.requestEvery('KRW-XRP', 500, 12);
    expect(harness.websocket.subscribeCalls).toEqual([]);
    expect(harness.websocket.callCount()).toBe(0);
    expect(harness.md.health().channels.websocket).toBeUndefined();
  });
});

/** Makes the symbol hot with fresh WebSocket data; the clock then stands just after the last request. */
async function hotOnWebSocket(h: Harness, symbol: string): Promise<void> {
  learnRhythm(h, symbol, 1_000);
  await h.requestEvery(symbol, 200, 5);
  h.push(symbol);
  expect((await h.md.getTicker(symbol)).source).toBe('websocket');
}

describe('channel health: 3 failures disable, probes with backoff re-enable', () => {
  it('disables WebSocket after 3 failed calls, falls back visibly meanwhile, re-enables it after a probe', async () => {
    harness = createHarness({ router: { probeBackoffInitialMs: 5_000 } });
    const { md, websocket, logger, clock } = harness;
    await hotOnWebSocket(harness, 'KRW-BTC');
    // Calls that wait on the WebSocket (a symbol it holds no value of) fail three times in a row.
    websocket.failNext(3);
    for (let i = 0; i < 3; i++) {
      await expect(md.getTicker('KRW-ETH', { source: 'websocket', strict: true })).rejects.toSatisfy(isNetworkError);
    }
    expect(md.health().channels.websocket?.state).toBe('disabled');
    expect(md.health().status).toBe('degraded');

    // Disabled: the hot symbol is served by REST, labelled a fallback, without asking WebSocket.
    clock.advance(2_000);
    harness.push('KRW-BTC');
    const whileDisabled = await md.getTicker('KRW-BTC');
    expect(whileDisabled).toMatchObject({ source: 'rest', quality: 'medium' });
    expect(whileDisabled.qualityNotes[0]).toContain('websocket-unavailable');
    // (The REST answer is let age past the symbol's expected interval, or it would be served as a fresh cache hit.)
    clock.advance(2_000);
    expect(await md.getTicker('KRW-BTC')).toMatchObject({ source: 'rest', quality: 'medium' });

    // One warning for the whole episode, and every fallback counted.
    expect(logger.find('warn', 'falling back from websocket to rest')).toHaveLength(1);
    expect(logger.find('warn', 'channel disabled')).toHaveLength(1);
    const stats = md.stats();
    expect(stats.fallbacks).toMatchObject({ total: 2, episodes: 1, byRoute: { 'websocket->rest': 2 } });
    expect(stats.errors.byKind).toMatchObject({ NETWORK: 3 });

    // After the backoff the next request probes WebSocket; its value at hand re-enables it and ends the episode.
    clock.advance(5_000);
    harness.push('KRW-BTC');
    const probe = await md.getTicker('KRW-BTC');
    expect(probe).toMatchObject({ source: 'websocket', quality: 'high' });
    expect(md.health().channels.websocket?.state).toBe('enabled');
    expect(md.stats().routing.probes).toBe(1);
    expect(logger.find('info', 'channel re-enabled')).toHaveLength(1);
    const closing = logger.find('info', 'websocket serving again');
    expect(closing).toHaveLength(1);
    expect(closing[0]?.fields).toMatchObject({ fallbacks: 2 });
  });

  it('doubles the backoff after a failed probe', async () => {
    harness = createHarness({ router: { probeBackoffInitialMs: 1_000, probeBackoffMaxMs: 60_000 } });
    const { md, websocket, clock } = harness;
    const eth = { source: 'websocket', strict: true } as const;
    websocket.failNext(4);
    for (let i = 0; i < 3; i++) await expect(md.getTicker('KRW-ETH', eth)).rejects.toSatisfy(isNetworkError);
    const calls = websocket.callCount('getTicker');
    clock.advance(1_000);
    await expect(md.getTicker('KRW-ETH', eth)).rejects.toSatisfy(isNetworkError); // the probe failed
    expect(websocket.callCount('getTicker')).toBe(calls + 1);
    expect(md.health().channels.websocket?.currentBackoffMs).toBe(2_000);
    clock.advance(1_999);
    await expect(md.getTicker('KRW-ETH', eth)).rejects.toSatisfy(isChannelUnavailableError);
    expect(websocket.callCount('getTicker')).toBe(calls + 1);
    clock.advance(1);
    harness.push('KRW-ETH');
    expect((await md.getTicker('KRW-ETH', eth)).source).toBe('websocket');
    expect(md.health().channels.websocket?.state).toBe('enabled');
  });

  it('disables REST after 3 failures and serves cold symbols from fresh WebSocket data meanwhile', async () => {
    harness = createHarness({ router: { probeBackoffInitialMs: 60_000 } });
    const { md, rest, clock } = harness;
    rest.failNext(3);
    for (let i = 0; i < 3; i++) {
      // Cold symbol: REST first, then the WebSocket fallback. (5 s apart, so the cache is never fresh enough.)
      harness.push('KRW-SOL');
      const ticker = await md.getTicker('KRW-SOL');
      expect(ticker).toMatchObject({ source: 'websocket', quality: 'medium' });
      clock.advance(5_000);
    }
    expect(md.health().channels.rest.state).toBe('disabled');
    const restCalls = rest.callCount();
    harness.push('KRW-SOL');
    const ticker = await md.getTicker('KRW-SOL');
    expect(ticker.source).toBe('websocket');
    expect(ticker.qualityNotes[0]).toContain('rest-unavailable');
    expect(rest.callCount()).toBe(restCalls);
  });
});

describe('timeouts and fallback', () => {
  it('bounds a WebSocket wait by webSocketTimeoutMs on the injected clock, then falls back to REST', async () => {
    harness = createHarness({ webSocketTimeoutMs: 5_000 });
    const { md, websocket, clock } = harness;
    // Hot, and the stream reported fresh arrivals for it, but holds no value (it left the wire meanwhile).
    await harness.requestEvery('KRW-XRP', 200, 5);
    for (let k = 5; k >= 0; k--) websocket.reportArrival('ticker', code('KRW-XRP'), clock.monotonic() - k * 100);
    const pending = md.getTicker('KRW-XRP');
    let settled = false;
    void pending.then(() => {
      settled = true;
    });
    await clock.advanceAsync(4_999);
    expect(settled).toBe(false);
    await clock.advanceAsync(1);
    const ticker = await pending;
    expect(ticker.source).toBe('rest');
    expect(ticker.qualityNotes[0]).toMatch(/fallback from websocket: TimeoutError: .*webSocketTimeoutMs/);
    expect(md.stats().errors.byKind).toMatchObject({ TIMEOUT: 1 });
    expect(websocket.callCount('getTicker')).toBe(1);
  });

  it('never falls back for an explicit source with strict: true', async () => {
    harness = createHarness();
    const { md, websocket, rest, clock } = harness;
    websocket.failNext(1, () => new TimeoutError('no snapshot', { timeoutMs: 5_000, channel: 'websocket' }));
    await expect(md.getTicker('KRW-BTC', { source: 'realtime', strict: true })).rejects.toSatisfy(isTimeoutError);
    expect(rest.callCount()).toBe(0);
    rest.failNext(1);
    await expect(md.getTicker('KRW-BTC', { source: 'rest', strict: true })).rejects.toSatisfy(isNetworkError);
    expect(websocket.callCount('getTicker')).toBe(1);
    harness.push('KRW-BTC');
    expect((await md.getTicker('KRW-BTC', { source: 'realtime', strict: true })).source).toBe('websocket');
    clock.advance(10);
    expect((await md.getTicker('KRW-BTC', { source: 'historical' })).source).toBe('rest');
    expect((await md.getTicker('KRW-BTC', { source: 'websocket' })).source).toBe('websocket');
    expect((await md.getTicker('KRW-BTC', { source: 'rest' })).source).toBe('rest');
  });

  it('treats an explicit source as a preference: its failure falls back to the other channel, labelled', async () => {
    harness = createHarness();
    const { md, websocket, rest } = harness;
    websocket.failNext(1, () => new TimeoutError('no snapshot', { timeoutMs: 5_000, channel: 'websocket' }));
    const fromRest = await md.getTicker('KRW-BTC', { source: 'websocket' });
    expect(fromRest).toMatchObject({ source: 'rest', quality: 'medium' });
    expect(fromRest.qualityNotes[0]).toMatch(/^fallback from websocket: TimeoutError: no snapshot/);
    expect(rest.callCount('getTickers')).toBe(1);

    rest.failNext(1);
    harness.push('KRW-ETH');
    const fromWebSocket = await md.getTicker('KRW-ETH', { source: 'historical' });
    expect(fromWebSocket).toMatchObject({ source: 'websocket', quality: 'medium' });
    expect(fromWebSocket.qualityNotes[0]).toMatch(/^fallback from rest: NetworkError/);
    expect(md.stats().fallbacks.byRoute).toMatchObject({ 'websocket->rest': 1, 'rest->websocket': 1 });
  });

  it('answers a preference for a disabled channel from the other one, labelled, without asking the disabled one', async () => {
    harness = createHarness({ router: { probeBackoffInitialMs: 60_000 } });
    const { md, websocket } = harness;
    websocket.failNext(3);
    for (let i = 0; i < 3; i++) {
      await expect(md.getTicker('KRW-ETH', { source: 'websocket', strict: true })).rejects.toSatisfy(isNetworkError);
    }
    expect(md.health().channels.websocket?.state).toBe('disabled');
    const calls = websocket.callCount('getTicker');
    const ticker = await md.getTicker('KRW-BTC', { source: 'realtime' });
    expect(ticker).toMatchObject({ source: 'rest', quality: 'medium' });
    expect(ticker.qualityNotes[0]).toMatch(/^fallback from websocket: requested-channel-disabled/);
    expect(websocket.callCount('getTicker')).toBe(calls);
    await expect(md.getTicker('KRW-BTC', { source: 'websocket', strict: true })).rejects.toSatisfy(
      isChannelUnavailableError,
    );
  });
});

describe('freshness against each symbol rhythm (the freshness judge)', () => {
  it('confirms a hot symbol by REST after a few silent intervals, but trusts a quiet one for longer', async () => {
    harness = createHarness();
    const { md, clock } = harness;
    learnRhythm(harness, 'KRW-BTC', 200);
    learnRhythm(harness, 'KRW-ZRX', 30_000);
    for (let i = 0; i < 5; i++) {
      await md.getTicker('KRW-BTC');
      await md.getTicker('KRW-ZRX');
      clock.advance(100);
    }
    harness.push('KRW-BTC');
    harness.push('KRW-ZRX');
    clock.advance(100);
    expect((await md.getTicker('KRW-BTC')).source).toBe('websocket');
    expect((await md.getTicker('KRW-ZRX')).source).toBe('websocket');

    // Then 10 s without an update while both are still requested every second, the market trading on: past its
    // limit (1 s) the busy symbol is confirmed by REST; 10 s is a third of one interval for the quiet symbol.
    const traded = (harness.websocket.latest('ticker', code('KRW-BTC'))?.tradeTimestamp ?? 0) + 500;
    harness.rest.changes.set('KRW-BTC', { tradeTimestamp: traded });
    const hotSources: string[] = [];
    const quietSources: string[] = [];
    for (let i = 0; i < 10; i++) {
      clock.advance(1_000);
      hotSources.push((await md.getTicker('KRW-BTC')).source);
      const quiet = await md.getTicker('KRW-ZRX');
      quietSources.push(`${quiet.source}/${quiet.quality}`);
    }
    expect(hotSources).toEqual(Array(10).fill('rest'));
    expect(quietSources).toEqual(Array(10).fill('websocket/high'));
    expect(md.stats().routing.decisions['websocket-stale-confirm-by-rest']).toBe(10);
  });

  it('serves stale WebSocket data only when REST is down, graded low', async () => {
    harness = createHarness();
    const { md, rest, clock } = harness;
    learnRhythm(harness, 'KRW-BTC', 200);
    for (let i = 0; i < 5; i++) await md.getTicker('KRW-BTC');
    harness.push('KRW-BTC');
    rest.failNext(3);
    clock.advance(5_000);
    for (let i = 0; i < 3; i++) await md.getTicker('KRW-BTC');
    expect(md.health().channels.rest.state).toBe('disabled');
    const ticker = await md.getTicker('KRW-BTC');
    expect(ticker.source).toBe('websocket');
    expect(ticker.quality).toBe('low');
    expect(ticker.qualityNotes.some((note) => note.includes('expected every 200 ms'))).toBe(true);
    expect(md.stats().quality.issues.stale).toBeGreaterThan(0);
  });
});
