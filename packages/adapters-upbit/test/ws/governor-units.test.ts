import { FakeClock } from '@marketdata/domain/testing';
import { describe, expect, it } from 'vitest';
import { createConnectionGovernor, governorKey } from '../../src/ws/connection-governor.js';
import { RollingWindow } from '../../src/ws/rolling-window.js';
import { MAX_TIMER_MS, retryAfterMs, upgradeRefusal } from '../../src/ws/upgrade-refusal.js';

const POLICY = { blockCoolDownMs: 60_000, maxBlockCoolDownMs: 3_600_000 };
const NOW = Date.UTC(2026, 0, 1);

describe('RollingWindow', () => {
  it('at most `limit` events in any window: the event `limit` back must be a whole window older', () => {
    const window = new RollingWindow(5, 1_000);
    for (let i = 0; i < 5; i++) {
      expect(window.waitMs(i * 10)).toBe(0);
      window.record(i * 10);
    }
    expect(window.waitMs(40)).toBe(960);
    expect(window.waitMs(999)).toBe(1);
    expect(window.waitMs(1_000)).toBe(0); // the first left the window [1, 1 000]
    window.record(1_000);
    expect(window.waitMs(1_000)).toBe(10);
    expect(window.count(1_000)).toBe(5);
  });
});

describe('the connection governor', () => {
  it('counts attempts per host:port across callers: 5 in any 1 050 ms (1 s plus a guard)', () => {
    const clock = new FakeClock();
    const governor = createConnectionGovernor({ clock });
    const host = 'api.upbit.com:443';
    for (let i = 0; i < 5; i++) expect(governor.tryAttempt(host)).toBe(0);
    expect(governor.tryAttempt(host)).toBe(1_050);
    expect(governor.tryAttempt('127.0.0.1:9999')).toBe(0); // another host has its own budget
    clock.advance(1_049);
    expect(governor.waitMs(host)).toBe(1);
    clock.advance(1);
    expect(governor.tryAttempt(host)).toBe(0);
  });

  it('holds every attempt after a refusal (the longest hold wins) and counts refusals in a row', () => {
    const clock = new FakeClock();
    const governor = createConnectionGovernor({ clock });
    const host = 'h:1';
    governor.hold(host, 60_000);
    governor.hold(host, 1_000);
    expect(governor.tryAttempt(host)).toBe(60_000);
    expect(governor.noteRefusal(host, 'blocked')).toBe(1);
    expect(governor.noteRefusal(host, 'blocked')).toBe(2);
    expect(governor.noteRefusal(host, 'rate-limited')).toBe(1);
    governor.noteHealthy(host);
    expect(governor.noteRefusal(host, 'blocked')).toBe(1);
    clock.advance(60_000);
    expect(governor.tryAttempt(host)).toBe(0);
  });

  it('keys a URL by host and port, default ports filled in', () => {
    expect(governorKey('wss://api.upbit.com/websocket/v1')).toBe('api.upbit.com:443');
    expect(governorKey('ws://127.0.0.1/websocket/v1')).toBe('127.0.0.1:80');
    expect(governorKey('ws://127.0.0.1:4567/websocket/v1')).toBe('127.0.0.1:4567');
  });
});

describe('Retry-After', () => {
  it('reads delta-seconds and HTTP-dates, never above the cap, and absurd values safely', () => {
    expect(retryAfterMs(undefined, NOW, 3_600_000)).toBeUndefined();
    expect(retryAfterMs('120', NOW, 3_600_000)).toBe(120_000);
    expect(retryAfterMs(' 0 ', NOW, 3_600_000)).toBe(0);
    expect(retryAfterMs('3000000', NOW, 3_600_000)).toBe(3_600_000);
    expect(retryAfterMs('9'.repeat(400), NOW, 3_600_000)).toBe(3_600_000);
    expect(retryAfterMs(new Date(NOW + 90_000).toUTCString(), NOW, 3_600_000)).toBe(90_000);
    expect(retryAfterMs(new Date(NOW - 90_000).toUTCString(), NOW, 3_600_000)).toBe(0);
    expect(retryAfterMs('-5', NOW, 3_600_000)).toBeUndefined();
    expect(retryAfterMs('soon', NOW, 3_600_000)).toBeUndefined();
    expect(retryAfterMs('1e9', NOW, 3_600_000)).toBeUndefined();
  });
});

describe('refused upgrades', () => {
  it('429: a RateLimitError holding connects at least 1 s, doubling per 429 in a row, capped', () => {
    const holds = [1, 2, 3, 10].map((repeats) => upgradeRefusal(429, undefined, repeats, POLICY, NOW).holdMs);
    expect(holds).toEqual([1_000, 2_000, 4_000, 60_000]);
    const told = upgradeRefusal(429, '0', 1, POLICY, NOW);
    expect(told).toMatchObject({ kind: 'rate-limited', holdMs: 1_000 });
    expect(told.error).toMatchObject({ name: 'RateLimitError', retryAfterMs: 1_000, channel: 'websocket' });
  });

  it('418: a BlockedError holding connects for the cool-down, doubling per 418 in a row, capped', () => {
    const holds = [1, 2, 7, 60].map((repeats) => upgradeRefusal(418, undefined, repeats, POLICY, NOW).holdMs);
    expect(holds).toEqual([60_000, 120_000, 3_600_000, 3_600_000]);
    const refusal = upgradeRefusal(418, '9'.repeat(400), 1, POLICY, NOW);
    expect(refusal).toMatchObject({ kind: 'blocked', holdMs: 3_600_000 });
    expect(refusal.error).toMatchObject({ name: 'BlockedError', coolDownMs: 3_600_000, retryable: false });
    expect(upgradeRefusal(418, '30', 1, POLICY, NOW).holdMs).toBe(30_000);
    const huge = upgradeRefusal(418, '3000000', 1, { blockCoolDownMs: 60_000, maxBlockCoolDownMs: MAX_TIMER_MS }, NOW);
    expect(huge.holdMs).toBe(MAX_TIMER_MS);
  });

  it('another status: upgrade-rejected, an UpstreamError with the status, no hold of its own', () => {
    const refusal = upgradeRefusal(503, undefined, 1, POLICY, NOW);
    expect(refusal).toMatchObject({ kind: 'upgrade-rejected', holdMs: undefined });
    expect(refusal.error).toMatchObject({ name: 'UpstreamError', status: 503 });
  });
});
