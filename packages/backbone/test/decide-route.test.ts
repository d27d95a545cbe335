import { describe, expect, it } from 'vitest';
import {
  type ChannelCondition,
  DEFAULT_BACKBONE_CONFIG,
  decideFallback,
  decideRoute,
  decideSubscription,
  type RouteInput,
} from '../src/index.js';

const up: ChannelCondition = { configured: true, state: 'enabled', errorRate: undefined, latencyEwmaMs: 50 };
const down: ChannelCondition = { ...up, state: 'disabled' };
const probeDue: ChannelCondition = { ...up, state: 'probe-due' };
const absent: ChannelCondition = { ...up, configured: false };
const fresh = { subscribed: true, sinceUpdateMs: 100, expectedIntervalMs: 250, suspectedStale: false };

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

  it('confirms stale WebSocket data by REST, judged against the symbol rhythm', () => {
    expect(route({ requestRatePerSecond: 2, stream: { ...fresh, sinceUpdateMs: 751 } })).toMatchObject({
      channel: 'rest',
      reason: 'websocket-stale-confirm-by-rest',
    });
    expect(route({ requestRatePerSecond: 2, stream: { ...fresh, sinceUpdateMs: 750 } }).channel).toBe('websocket');
    expect(route({ requestRatePerSecond: 2, stream: { ...fresh, suspectedStale: true } }).channel).toBe('rest');
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

describe('decideSubscription', () => {
  const base = { websocketConfigured: true, coldForMs: undefined, graceMs: 30_000 };
  it('subscribes hot symbols and releases cold ones only after the grace period', () => {
    expect(decideSubscription({ ...base, hot: true, subscribed: false }).action).toBe('subscribe');
    expect(decideSubscription({ ...base, hot: true, subscribed: true }).action).toBe('keep');
    expect(decideSubscription({ ...base, hot: false, subscribed: true, coldForMs: 29_999 }).action).toBe('keep');
    expect(decideSubscription({ ...base, hot: false, subscribed: true, coldForMs: 30_000 }).action).toBe('release');
    expect(decideSubscription({ ...base, hot: false, subscribed: false }).action).toBe('none');
  });
});
