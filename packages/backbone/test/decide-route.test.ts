import { describe, expect, it } from 'vitest';
import { DEFAULT_BACKBONE_CONFIG } from '../src/index.js';
import { decideFallback, decideRoute } from '../src/router/decide-route.js';
import type { ChannelCondition, RouteInput, StreamCondition } from '../src/router/route-types.js';

const up: ChannelCondition = { configured: true, state: 'enabled', errorRate: undefined, latencyEwmaMs: 50 };
const down: ChannelCondition = { ...up, state: 'disabled' };
const probeDue: ChannelCondition = { ...up, state: 'probe-due' };
const absent: ChannelCondition = { ...up, configured: false };
const fresh: StreamCondition = { sinceUpdateMs: 100, expectedIntervalMs: 250, stale: undefined };

function route(changes: Partial<RouteInput>) {
  return decideRoute({
    kind: 'ticker',
    operation: 'get',
    requested: 'auto',
    requestRatePerSecond: 0.1,
    rest: up,
    websocket: up,
    stream: undefined,
    cache: undefined,
    thresholds: DEFAULT_BACKBONE_CONFIG.router,
    ...changes,
  });
}

describe('decideRoute', () => {
  it('sends a cold symbol to REST and a hot one with fresh WebSocket data to WebSocket, with reasons', () => {
    expect(route({})).toMatchObject({ channel: 'rest', reason: 'cold-rest', hot: false, fallbackFrom: undefined });
    const hot = route({ requestRatePerSecond: 0.5, stream: fresh });
    expect(hot).toMatchObject({ channel: 'websocket', reason: 'hot-websocket-fresh', hot: true });
    expect(hot.detail).toContain('rate 0.50/s');
    expect(hot.detail).toContain('last update 100 ms ago');
  });

  it('confirms WebSocket data the freshness judge calls stale by REST, and says why', () => {
    const stale = { ...fresh, sinceUpdateMs: 5_000, stale: 'last update 5000 ms ago, expected every 250 ms' };
    const decision = route({ requestRatePerSecond: 2, stream: stale });
    expect(decision).toMatchObject({ channel: 'rest', reason: 'websocket-stale-confirm-by-rest' });
    expect(decision.detail).toContain('stale: last update 5000 ms ago');
    // The router applies no rule of its own to the age: 5 s at a 250 ms rhythm is fresh if the judge says so.
    expect(route({ requestRatePerSecond: 2, stream: { ...fresh, sinceUpdateMs: 5_000 } }).channel).toBe('websocket');
    expect(route({ requestRatePerSecond: 2, stream: { ...fresh, stale: 'websocket reconnecting' } }).channel).toBe(
      'rest',
    );
  });

  it('labels a hot request served by REST because WebSocket is disabled as a fallback', () => {
    expect(route({ requestRatePerSecond: 1, websocket: down, stream: fresh })).toMatchObject({
      channel: 'rest',
      reason: 'websocket-unavailable',
      fallbackFrom: 'websocket',
    });
  });

  it('marks a request to a probe-due channel as its recovery probe', () => {
    expect(route({ requestRatePerSecond: 1, websocket: probeDue, stream: fresh })).toMatchObject({
      channel: 'websocket',
      probe: true,
    });
    expect(route({ rest: probeDue })).toMatchObject({ channel: 'rest', probe: true });
  });

  it('serves a cache hit younger than the expected interval, and the cache when everything is down', () => {
    expect(route({ cache: { ageMs: 400, expectedIntervalMs: 500 } })).toMatchObject({ channel: 'cache' });
    expect(route({ cache: { ageMs: 600, expectedIntervalMs: 500 } }).channel).toBe('rest');
    expect(route({ rest: down, websocket: down, cache: { ageMs: 50_000, expectedIntervalMs: 500 } })).toMatchObject({
      channel: 'cache',
      reason: 'all-channels-down-cache',
    });
    expect(route({ rest: down, websocket: absent })).toMatchObject({ channel: 'none', reason: 'all-channels-down' });
  });

  it('always streams order books and trades over WebSocket', () => {
    expect(route({ kind: 'orderbook', operation: 'watch' }).channel).toBe('websocket');
    expect(route({ kind: 'trade', operation: 'watch', websocket: absent }).channel).toBe('none');
  });

  it('honours explicit sources without substitution', () => {
    expect(route({ requested: 'websocket', requestRatePerSecond: 0 }).channel).toBe('websocket');
    expect(route({ requested: 'rest', requestRatePerSecond: 9, stream: fresh }).channel).toBe('rest');
    expect(route({ requested: 'websocket', websocket: absent })).toMatchObject({
      channel: 'none',
      reason: 'requested-channel-not-configured',
    });
  });
});

describe('decideFallback', () => {
  const base = { requested: 'auto' as const, channelFault: true, rest: up, websocket: up, cache: undefined };

  it('falls back to the other live channel, then the cache, then nowhere', () => {
    expect(decideFallback({ ...base, attempted: ['websocket'] }).channel).toBe('rest');
    expect(decideFallback({ ...base, attempted: ['rest'] }).channel).toBe('websocket');
    const cache = { ageMs: 10_000, expectedIntervalMs: 500 };
    expect(decideFallback({ ...base, attempted: ['websocket', 'rest'], cache }).channel).toBe('cache');
    expect(decideFallback({ ...base, attempted: ['rest'], websocket: absent }).channel).toBe('none');
  });

  it('does not fall back for explicit sources or for failures that are not the channel fault', () => {
    expect(decideFallback({ ...base, requested: 'websocket', attempted: ['websocket'] }).reason).toBe(
      'explicit-source-no-fallback',
    );
    expect(decideFallback({ ...base, channelFault: false, attempted: ['rest'] }).reason).toBe('not-a-channel-fault');
  });
});
