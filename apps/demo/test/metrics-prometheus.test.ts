import { type QueryResult, type RunningPrometheus, startPrometheus } from '@marketdata/prometheus-testing';
import { afterEach, describe, expect, it } from 'vitest';
import { type CliRun, startCli } from './support/run-cli.js';

// The demo on the simulator with --metrics-port, scraped by a real Prometheus (Debian's, installed by CI's set-up),
// whose HTTP API must then answer for our series. Prometheus applies its targets ~5 s after start: polls are bounded.

const SERIES_MS = 30_000;
let prometheus: RunningPrometheus | undefined;
let demo: CliRun | undefined;

afterEach(async () => {
  await prometheus?.stop();
  prometheus = undefined;
  if (demo !== undefined && demo.child.exitCode === null) demo.child.kill('SIGKILL');
  demo = undefined;
});

function values(result: QueryResult): number[] {
  if (result.resultType !== 'vector') throw new Error(`expected a vector, got ${result.resultType}`);
  return result.result.map((series) => Number(series.value[1]));
}

async function metricsUrl(run: CliRun): Promise<URL> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const match = /"url":"(http:\/\/127\.0\.0\.1:\d+\/metrics)","msg":"metrics endpoint"/.exec(run.stderr());
    if (match?.[1] !== undefined) return new URL(match[1]);
    if (run.child.exitCode !== null || Date.now() > deadline) {
      throw new Error(`no metrics endpoint in the demo's log:\n${run.stderr()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('demo --metrics-port, scraped by Prometheus', { timeout: 90_000 }, () => {
  it('serves the facade series, which Prometheus scrapes and answers queries on; Ctrl-C still exits 0', async () => {
    demo = startCli(['--sim', '--json', '--top', '3', '--metrics-port', '0'], { killAfterMs: 80_000 });
    const endpoint = await metricsUrl(demo);
    const direct = await (await fetch(endpoint)).text();
    expect(direct).toContain('# TYPE marketdata_request_duration_seconds histogram');
    expect(direct).toContain('# TYPE process_cpu_user_seconds_total counter');

    prometheus = await startPrometheus({ targets: [endpoint.host], scrapeIntervalMs: 250 });
    const running = prometheus;
    await expect
      .poll(async () => values(await running.query('sum(marketdata_stream_updates_total{kind="ticker"})'))[0] ?? 0, {
        timeout: SERIES_MS,
        interval: 250,
      })
      .toBeGreaterThan(0);
    await expect
      .poll(async () => values(await running.query('sum(marketdata_channel_requests_total)'))[0] ?? 0, {
        timeout: SERIES_MS,
        interval: 250,
      })
      .toBeGreaterThan(0);
    // The demo asks getTicker all the time: the latency histogram has buckets Prometheus can take quantiles of.
    await expect
      .poll(async () => values(await running.query('sum(marketdata_request_duration_seconds_count)'))[0] ?? 0, {
        timeout: SERIES_MS,
        interval: 250,
      })
      .toBeGreaterThan(0);
    const quantile = values(
      await running.query('histogram_quantile(0.9, sum by (le) (marketdata_request_duration_seconds_bucket))'),
    );
    expect(quantile).toHaveLength(1);
    expect(quantile[0]).toBeGreaterThanOrEqual(0);
    const up = await running.query(`up{instance="${endpoint.host}"}`);
    expect(values(up)).toEqual([1]);

    demo.child.kill('SIGINT');
    const result = await demo.done;
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('stopped: Ctrl-C');
  });

  it('refuses a port that is taken: exit 2 naming it', async () => {
    demo = startCli(['--sim', '--json', '--top', '3', '--metrics-port', '0']);
    const taken = await metricsUrl(demo);
    const second = await startCli(['--sim', '--json', '--top', '3', '--metrics-port', taken.port]).done;
    expect(second.code).toBe(2);
    expect(second.stderr).toContain(
      `--metrics-port ${taken.port}: cannot listen on 127.0.0.1:${taken.port} (EADDRINUSE)`,
    );
    expect(second.stdout).toBe('');
  });
});
