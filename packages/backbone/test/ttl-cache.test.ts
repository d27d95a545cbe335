import { FakeClock } from '@marketdata/domain/testing';
import { describe, expect, it } from 'vitest';
import { TtlCache } from '../src/cache/ttl-cache.js';

function cache(ttlMs = 1_000, maxEntries = 10) {
  const clock = new FakeClock();
  return { clock, cache: new TtlCache<string, number>({ ttlMs, maxEntries, clock }) };
}

describe('TtlCache', () => {
  it('returns a value with its age until the TTL, never after', () => {
    const { clock, cache: store } = cache(1_000);
    store.set('KRW-BTC', 1);
    clock.advance(400);
    expect(store.get('KRW-BTC')).toEqual({ value: 1, ageMs: 400 });
    clock.advance(600);
    expect(store.get('KRW-BTC')).toEqual({ value: 1, ageMs: 1_000 });
    clock.advance(1);
    expect(store.get('KRW-BTC')).toBeUndefined();
    expect(store.counters()).toMatchObject({ hits: 2, misses: 1, expired: 1, size: 0 });
  });

  it('back-dates a value received before it was stored', () => {
    const { clock, cache: store } = cache(1_000);
    store.set('KRW-ETH', 7, 900);
    expect(store.peek('KRW-ETH')?.ageMs).toBe(900);
    clock.advance(101);
    expect(store.peek('KRW-ETH')).toBeUndefined();
  });

  it('judges age on monotonic time, immune to wall-clock jumps', () => {
    const { clock, cache: store } = cache(1_000);
    store.set('KRW-XRP', 3);
    clock.jumpWall(-3_600_000);
    expect(store.get('KRW-XRP')?.ageMs).toBe(0);
    clock.jumpWall(7_200_000);
    expect(store.get('KRW-XRP')?.ageMs).toBe(0);
  });

  it('peek does not count; noteMiss does', () => {
    const { cache: store } = cache();
    store.set('A', 1);
    store.peek('A');
    store.peek('B');
    store.noteMiss();
    expect(store.counters()).toMatchObject({ hits: 0, misses: 1 });
  });

  it('evicts the entry stored longest ago beyond maxEntries', () => {
    const { cache: store } = cache(10_000, 2);
    store.set('A', 1);
    store.set('B', 2);
    store.set('A', 3);
    store.set('C', 4);
    expect(store.peek('B')).toBeUndefined();
    expect(store.peek('A')?.value).toBe(3);
    expect(store.peek('C')?.value).toBe(4);
    expect(store.counters().evicted).toBe(1);
  });
});
