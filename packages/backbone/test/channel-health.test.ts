import { describe, expect, it } from 'vitest';
import { DEFAULT_BACKBONE_CONFIG } from '../src/index.js';
import { ChannelHealth } from '../src/router/channel-health.js';

const options = { ...DEFAULT_BACKBONE_CONFIG.router, probeBackoffInitialMs: 1_000, probeBackoffMaxMs: 8_000 };

describe('ChannelHealth', () => {
  it('disables a channel after 3 consecutive failures, not before, and a success resets the count', () => {
    const health = new ChannelHealth('websocket', true, options);
    health.recordFailure(0, 'x');
    health.recordFailure(1, 'x');
    health.recordSuccess(2, 5);
    health.recordFailure(3, 'x');
    health.recordFailure(4, 'x');
    expect(health.state(4)).toBe('enabled');
    expect(health.recordFailure(5, 'timeout')).toBe('disabled');
    expect(health.state(5)).toBe('disabled');
    expect(health.view(5)).toMatchObject({ consecutiveFailures: 3, timesDisabled: 1, lastError: 'timeout' });
  });

  it('allows one recovery probe after the backoff, doubling the backoff after each failed probe up to the max', () => {
    const health = new ChannelHealth('rest', true, options);
    for (let i = 0; i < 3; i++) health.recordFailure(0, 'down');
    expect(health.state(999)).toBe('disabled');
    expect(health.state(1_000)).toBe('probe-due');
    health.beginProbe();
    expect(health.state(1_000)).toBe('disabled');
    expect(health.recordFailure(1_000, 'still down')).toBe('probe-failed');
    expect(health.view(1_000).currentBackoffMs).toBe(2_000);
    expect(health.state(2_999)).toBe('disabled');
    expect(health.state(3_000)).toBe('probe-due');
    const backoffs: number[] = [];
    let now = 3_000;
    for (let i = 0; i < 4; i++) {
      health.beginProbe();
      health.recordFailure(now, 'still down');
      const backoff = health.view(now).currentBackoffMs ?? 0;
      backoffs.push(backoff);
      now += backoff;
    }
    expect(backoffs).toEqual([4_000, 8_000, 8_000, 8_000]);
    health.beginProbe();
    expect(health.recordSuccess(now, 12)).toBe('recovered');
    expect(health.state(now)).toBe('enabled');
    expect(health.view(now)).toMatchObject({ consecutiveFailures: 0, timesRecovered: 1, currentBackoffMs: undefined });
  });

  it('ignores late failures of calls sent before the channel was disabled', () => {
    const health = new ChannelHealth('rest', true, options);
    for (let i = 0; i < 3; i++) health.recordFailure(0, 'down');
    expect(health.recordFailure(10, 'late')).toBeUndefined();
    expect(health.state(1_000)).toBe('probe-due');
  });

  it('frees the probe slot when a probe is abandoned', () => {
    const health = new ChannelHealth('rest', true, options);
    for (let i = 0; i < 3; i++) health.recordFailure(0, 'down');
    health.beginProbe();
    expect(health.state(1_500)).toBe('disabled');
    health.abandonProbe();
    expect(health.state(1_500)).toBe('probe-due');
  });

  it('keeps an EWMA of latency', () => {
    const health = new ChannelHealth('rest', true, { ...options, latencyEwmaAlpha: 0.5 });
    health.recordSuccess(0, 100);
    health.recordSuccess(1, 200);
    health.recordSuccess(2, 200);
    expect(health.condition(2).latencyEwmaMs).toBe(175);
  });

  it('measures the error rate over a time window, once there are enough samples', () => {
    const health = new ChannelHealth('websocket', true, {
      ...options,
      errorRateWindowMs: 10_000,
      errorRateMinSamples: 4,
    });
    health.recordSuccess(0, 1);
    health.recordFailure(1_000, 'x');
    health.recordSuccess(2_000, 1);
    expect(health.condition(2_000).errorRate).toBeUndefined();
    health.recordFailure(3_000, 'x');
    expect(health.condition(3_000).errorRate).toBe(0.5);
    // The first two outcomes leave the window.
    expect(health.condition(11_500).errorRate).toBeUndefined();
    // Inside the window at 12.5 s: the failure at 3 s and these three.
    health.recordFailure(12_000, 'x');
    health.recordSuccess(12_400, 1);
    health.recordFailure(12_500, 'x');
    expect(health.condition(12_500).errorRate).toBe(0.75);
  });
});
