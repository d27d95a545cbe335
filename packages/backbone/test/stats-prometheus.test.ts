import { afterEach, describe, expect, it } from 'vitest';
import { LatencyHistogram } from '../src/stats/latency-histogram.js';
import { toPrometheus } from '../src/stats/prometheus.js';
import { createHarness, type Harness } from './support/harness.js';

let harness: Harness | undefined;

afterEach(async () => {
  await harness?.md.close();
  harness = undefined;
});

describe('LatencyHistogram', () => {
  it('reports p50/p90/p99 within 1% and bounds memory', () => {
    const histogram = new LatencyHistogram();
    for (let i = 1; i <= 10_000; i++) histogram.record(i / 10);
    const summary = histogram.summary();
    expect(summary.count).toBe(10_000);
    expect(summary.min).toBe(0.1);
    expect(summary.max).toBe(1_000);
    expect(summary.mean).toBeCloseTo(500.05, 6);
    expect(Math.abs((summary.p50 ?? 0) - 500) / 500).toBeLessThan(0.01);
    expect(Math.abs((summary.p90 ?? 0) - 900) / 900).toBeLessThan(0.01);
    expect(Math.abs((summary.p99 ?? 0) - 990) / 990).toBeLessThan(0.01);
    expect(new LatencyHistogram().summary().p50).toBeUndefined();
  });

  it('keeps cumulative Prometheus buckets', () => {
    const histogram = new LatencyHistogram();
    for (const ms of [0.005, 0.5, 0.5, 3, 20_000]) histogram.record(ms);
    const buckets = histogram.cumulativeBuckets();
    expect(buckets.find((bucket) => bucket.le === 0.01)?.count).toBe(1);
    expect(buckets.find((bucket) => bucket.le === 0.5)?.count).toBe(3);
    expect(buckets.find((bucket) => bucket.le === 5)?.count).toBe(4);
    expect(buckets.at(-1)).toEqual({ le: Number.POSITIVE_INFINITY, count: 5 });
  });
});

describe('stats() and toPrometheus()', () => {
  it('counts requests per channel, cache hits/misses, quality, errors and latency per source', async () => {
    harness = createHarness({}, false);
    const { md, rest, clock } = harness;
    await md.getTicker('KRW-BTC');
    clock.advance(3);
    await md.getTicker('KRW-BTC');
    rest.failNext(1);
    clock.advance(2_000);
    await md.getTicker('KRW-BTC'); // REST fails: falls back to the cache
    const stats = md.stats();
    expect(stats.requests).toEqual({ rest: 2, websocket: 0 });
    expect(stats.served).toEqual({ rest: 1, websocket: 0, cache: 2 });
    expect(stats.cache).toMatchObject({ hits: 2, misses: 2 });
    expect(stats.quality.quality).toEqual({ high: 2, medium: 1, low: 0 });
    expect(stats.errors).toEqual({ total: 1, byKind: { NETWORK: 1 } });
    expect(stats.latency.rest.count).toBe(1);
    expect(stats.latency.cache.count).toBe(2);
    expect(stats.channels.websocket).toBeUndefined();
    expect(stats.websocket).toBeUndefined();
    expect(stats.takenAt).toBe(clock.now());
  });

  it('reports WebSocket gaps from the stream status, and health from what the stream reported', () => {
    harness = createHarness();
    const { md, websocket, clock } = harness;
    const now = clock.now();
    const at = clock.monotonic();
    websocket.gap({
      startedAt: now - 10_000,
      endedAt: now - 9_000,
      startedAtMonotonic: at - 10_000,
      endedAtMonotonic: at - 9_000,
      reason: 'idle close',
      symbols: [],
    });
    websocket.gap({
      startedAt: now - 500,
      endedAt: undefined,
      startedAtMonotonic: at - 500,
      endedAtMonotonic: undefined,
      reason: 'dropped',
      symbols: [],
    });
    websocket.connection('reconnecting', 'dropped');
    websocket.connection('reconnecting', 'dropped again');
    websocket.status_ = { ...websocket.status_, malformedFrames: 4 };
    expect(md.stats().websocket).toEqual({
      state: 'reconnecting',
      reconnects: 2,
      gaps: 2,
      openGaps: 1,
      gapMsTotal: 1_500,
      malformedFrames: 4,
    });
    const health = md.health();
    expect(health.status).toBe('degraded');
    expect(health.reasons).toEqual(['websocket reconnecting', '1 open websocket gap(s)']);
    expect(health.channels.websocket).toMatchObject({ connection: 'reconnecting', openGaps: 1, reconnects: 2 });
  });

  it('renders valid Prometheus text with counters, gauges, a histogram and quantiles', async () => {
    harness = createHarness();
    const { md, clock } = harness;
    for (let i = 0; i < 3; i++) {
      await md.getTicker('KRW-BTC');
      clock.advance(1_500);
    }
    const text = md.toPrometheus();
    expect(text).toBe(toPrometheus(md.stats()));
    const lines = text.trimEnd().split('\n');
    const sample = /^marketdata_[a-z_]+(\{[a-z_]+="[^"\\]*"(,[a-z_]+="[^"\\]*")*\})? (-?[0-9.e+-]+|NaN|\+Inf)$/;
    for (const line of lines) {
      if (line.startsWith('#')) expect(line).toMatch(/^# (HELP|TYPE) marketdata_[a-z_]+ .+$/);
      else expect(line).toMatch(sample);
    }
    expect(lines).toContain('marketdata_channel_requests_total{channel="rest"} 3');
    expect(lines).toContain('marketdata_served_total{source="rest"} 3');
    expect(lines).toContain('marketdata_quality_total{quality="high"} 3');
    expect(lines).toContain('# TYPE marketdata_request_duration_seconds histogram');
    expect(lines).toContain('marketdata_request_duration_seconds_bucket{source="rest",le="+Inf"} 3');
    expect(lines).toContain('marketdata_request_duration_seconds_count{source="rest"} 3');
    expect(lines).toContain('marketdata_request_latency_seconds{source="rest",quantile="0.99"} 0');
    expect(lines).toContain('marketdata_route_decisions_total{reason="cold-rest"} 3');
    expect(lines).toContain('marketdata_channel_up{channel="websocket"} 1');
    expect(lines).toContain('marketdata_websocket_connected{state="open"} 1');
    // Conflation is counted once, in the consumer queues: one family, none for the adapter.
    expect(lines.filter((line) => line.startsWith('# TYPE') && line.includes('conflated'))).toEqual([
      '# TYPE marketdata_stream_conflated_total counter',
    ]);
    // Cumulative buckets never decrease.
    const buckets = lines
      .filter((line) => line.startsWith('marketdata_request_duration_seconds_bucket{source="rest"'))
      .map((line) => Number(line.split(' ')[1]));
    expect(buckets).toEqual([...buckets].sort((a, b) => a - b));
    // Each metric family is declared once.
    const types = lines.filter((line) => line.startsWith('# TYPE'));
    expect(new Set(types).size).toBe(types.length);
  });
});
