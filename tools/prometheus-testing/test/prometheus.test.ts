import { access } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JOB_NAME, type QueryResult, type RunningPrometheus, startPrometheus } from '../src/index.js';
import { type MetricsEndpoint, serveMetrics } from './metrics-endpoint.js';

// Debian's Prometheus (scripts/setup-components.sh installs it) scraping a /metrics endpoint served by this test.

const SCRAPE_MS = 200;
const SEEN_MS = 15_000; // a few scrapes, with room for a loaded machine

function exposition(ticks: number): string {
  return [
    '# HELP marketdata_smoke_ticks_total Ticks delivered (smoke test).',
    '# TYPE marketdata_smoke_ticks_total counter',
    `marketdata_smoke_ticks_total{symbol="KRW-BTC"} ${ticks}`,
    '',
  ].join('\n');
}

/** The value of a single-series instant vector, or undefined while the query returns no series. */
function onlyValue(result: QueryResult): string | undefined {
  if (result.resultType !== 'vector') throw new Error(`expected a vector, got ${result.resultType}`);
  if (result.result.length > 1) throw new Error(`expected at most one series, got ${result.result.length}`);
  return result.result[0]?.value[1];
}

describe('Prometheus scraping a local /metrics endpoint', () => {
  let endpoint: MetricsEndpoint;
  let prometheus: RunningPrometheus;

  beforeAll(async () => {
    endpoint = await serveMetrics(exposition(42));
    prometheus = await startPrometheus({ targets: [endpoint.target], scrapeIntervalMs: SCRAPE_MS });
  });

  afterAll(async () => {
    await prometheus?.stop();
    await endpoint?.close();
  });

  it('serves its API on loopback', () => {
    expect(prometheus.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('scrapes the endpoint and answers a query for the series with its labels', async () => {
    const query = 'marketdata_smoke_ticks_total{symbol="KRW-BTC"}';
    await expect.poll(async () => onlyValue(await prometheus.query(query)), { timeout: SEEN_MS }).toBe('42');
    const result = await prometheus.query(query);
    expect(result.resultType === 'vector' ? result.result[0]?.metric : undefined).toEqual({
      __name__: 'marketdata_smoke_ticks_total',
      instance: endpoint.target,
      job: JOB_NAME,
      symbol: 'KRW-BTC',
    });
    expect(endpoint.scrapes).toBeGreaterThan(0);
  });

  it('sees a new value after the next scrapes, and reports the target up', async () => {
    endpoint.set(exposition(43));
    await expect
      .poll(async () => onlyValue(await prometheus.query('marketdata_smoke_ticks_total')), { timeout: SEEN_MS })
      .toBe('43');
    expect(onlyValue(await prometheus.query(`up{instance="${endpoint.target}"}`))).toBe('1');
  });

  it('refuses bad PromQL with a typed error naming the query', async () => {
    await expect(prometheus.query('sum(')).rejects.toMatchObject({
      name: 'PrometheusQueryError',
      httpStatus: 400,
      errorType: 'bad_data',
      query: 'sum(',
    });
  });
});

describe('startPrometheus input and lifecycle', () => {
  it.each([
    [{ targets: [] }, /targets must be a non-empty array/],
    [{ targets: ['http://127.0.0.1:9090'] }, /"http:\/\/127\.0\.0\.1:9090" is not host:port/],
    [{ targets: ['127.0.0.1'] }, /"127\.0\.0\.1" is not host:port/],
    [{ targets: ['127.0.0.1:70000'] }, /is not host:port/],
    [{ targets: ['127.0.0.1:9'], scrapeIntervalMs: 0 }, /scrapeIntervalMs must be a whole number/],
    [{ targets: ['127.0.0.1:9'], scrapeIntervalMs: 1.5 }, /scrapeIntervalMs must be a whole number/],
    [{ targets: ['127.0.0.1:9'], metricsPath: 'metrics' }, /metricsPath must start with '\/'/],
  ])('refuses %j before starting anything', async (options, message) => {
    await expect(startPrometheus(options)).rejects.toThrow(message);
  });

  it('names a missing binary and how to install it', async () => {
    await expect(startPrometheus({ targets: ['127.0.0.1:9'], binary: '/nonexistent/prometheus' })).rejects.toThrow(
      /nonexistent\/prometheus is not an executable: install Debian's prometheus/,
    );
  });

  it('stop() ends Prometheus (its port refuses) and is safe to call twice', async () => {
    const prometheus = await startPrometheus({ targets: ['127.0.0.1:9'] });
    await prometheus.stop();
    await prometheus.stop();
    await expect(fetch(`${prometheus.url}/-/ready`, { signal: AbortSignal.timeout(5_000) })).rejects.toThrow(
      /fetch failed/,
    );
  });
});

it('the Debian binary is where the default expects it', async () => {
  await access('/usr/bin/prometheus');
});
