import { isConfigError } from '@marketdata/domain';
import { createUpbitMarketData } from '@marketdata/upbit';
import { startUpbitSim, type UpbitSim } from '@marketdata/upbit-sim';
import { Counter, Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseExposition } from '../src/exposition.js';
import { collectMarketDataMetrics } from '../src/index.js';

let sim: UpbitSim;
let md: ReturnType<typeof createUpbitMarketData>;

beforeAll(async () => {
  sim = await startUpbitSim({ seed: 3, markets: ['KRW-BTC', 'KRW-ETH'], adminPort: false });
  md = createUpbitMarketData({ restUrl: sim.restUrl, wsUrl: sim.wsUrl });
  await md.getTicker('KRW-BTC', { source: 'rest' });
  await md.getTicker('KRW-BTC');
  await md.getTicker('KRW-ETH', { source: 'rest' });
});

afterAll(async () => {
  await md.close();
  await sim.close();
});

function comparable(text: string) {
  return parseExposition(text).map(({ name, type, help, samples }) => ({ name, type, help, samples }));
}

describe('collectMarketDataMetrics', () => {
  it('exposes exactly the facade families and samples of md.toPrometheus(), through prom-client', async () => {
    const registry = new Registry();
    const registered = collectMarketDataMetrics(registry, md);
    // The facade is idle here (no call in flight, the WebSocket stays connected): both views read the same numbers.
    const viaRegistry = await registry.metrics();
    const direct = md.toPrometheus();
    expect(comparable(viaRegistry)).toEqual(comparable(direct));
    expect(registered.names).toEqual(parseExposition(direct).map((family) => family.name));
    expect(viaRegistry).toMatch(/^marketdata_served_total\{source="rest"\} [1-9]/m);
    expect(viaRegistry).toContain('# TYPE marketdata_request_duration_seconds histogram');
    expect(viaRegistry).toContain('# TYPE marketdata_request_latency_seconds summary');
    expect(viaRegistry).toMatch(/^marketdata_request_duration_seconds_bucket\{source="rest",le="\+Inf"\} [1-9]/m);
  });

  it('follows the facade: a new call shows in the next scrape', async () => {
    const registry = new Registry();
    collectMarketDataMetrics(registry, md);
    const servedRest = async () => {
      const family = parseExposition(await registry.metrics()).find((f) => f.name === 'marketdata_served_total');
      return family?.samples.find((sample) => sample.labels.source === 'rest')?.value;
    };
    const before = await servedRest();
    await md.getTicker('KRW-ETH', { source: 'rest' });
    expect(await servedRest()).toBe((before ?? Number.NaN) + 1);
  });

  it('reads one exposition per scrape, however many families', async () => {
    let reads = 0;
    const counting = {
      toPrometheus: () => {
        reads++;
        return md.toPrometheus();
      },
    };
    const registry = new Registry();
    const { names } = collectMarketDataMetrics(registry, counting);
    expect(names.length).toBeGreaterThan(10);
    reads = 0;
    await registry.metrics();
    expect(reads).toBe(1);
    await registry.metrics();
    expect(reads).toBe(2);
  });

  it('lives beside the application metrics and default labels of the same registry', async () => {
    const registry = new Registry();
    registry.setDefaultLabels({ app: 'test' });
    const own = new Counter({ name: 'app_jobs_total', help: 'Jobs.', registers: [registry] });
    own.inc(2);
    collectMarketDataMetrics(registry, md);
    const text = await registry.metrics();
    expect(text).toContain('app_jobs_total{app="test"} 2');
    expect(text).toMatch(/^marketdata_served_total\{source="rest",app="test"\} \d+/m);
  });

  it('unregister() takes every family out again, and the names can be registered anew', async () => {
    const registry = new Registry();
    const first = collectMarketDataMetrics(registry, md);
    first.unregister();
    first.unregister();
    expect(await registry.metrics()).not.toContain('marketdata_');
    collectMarketDataMetrics(registry, md);
    expect(await registry.metrics()).toContain('marketdata_served_total');
  });

  it('refuses a second registration in the same registry with a ConfigError naming the metrics', () => {
    const registry = new Registry();
    collectMarketDataMetrics(registry, md);
    let thrown: unknown;
    try {
      collectMarketDataMetrics(registry, md);
    } catch (error) {
      thrown = error;
    }
    expect(isConfigError(thrown)).toBe(true);
    expect(String((thrown as Error).message)).toContain('marketdata_served_total');
  });

  it('refuses an OpenMetrics registry (the facade counters are already named _total)', () => {
    const registry = new Registry();
    // What a JavaScript caller (or a registry switched later) can hand over, whatever the typings say.
    (registry as unknown as { setContentType(type: string): void }).setContentType(Registry.OPENMETRICS_CONTENT_TYPE);
    expect(() => collectMarketDataMetrics(registry, md)).toThrow(/Prometheus text format/);
  });
});
