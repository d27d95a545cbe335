import { ConfigError } from '@marketdata/domain';
import { Gauge, type MetricType, Registry } from 'prom-client';
import { type ExpositionFamily, parseExposition } from './exposition.js';

/**
 * What the collector reads: the facade's own exposition. `MarketData` from `@marketdata/backbone` (and so
 * `createUpbitMarketData`'s result) fits; the backbone owns every metric name, help text and value, so the metrics
 * seen through prom-client are exactly those of `md.toPrometheus()`.
 */
export interface MarketDataMetricsSource {
  /** The facade's stats in the Prometheus text format (`MarketData.toPrometheus()`). */
  toPrometheus(): string;
}

/** What `collectMarketDataMetrics` registered, and how to take it out again. */
export interface MarketDataMetrics {
  /** The metric family names registered (`marketdata_*`). */
  readonly names: readonly string[];
  /** Removes every registered family from the registry (e.g. after `md.close()`). Idempotent. */
  unregister(): void;
}

type ValuesOf<T> = T extends { get(): Promise<{ values: (infer V)[] }> } ? V : never;
type FamilyObject = Awaited<ReturnType<Gauge<string>['get']>>;

/**
 * One family of the facade's exposition as a prom-client metric. prom-client has no public way to hand over
 * pre-aggregated histogram buckets or summary quantiles, but its registry renders whatever a metric's `get()`
 * returns (name, help, type, samples); so each family is a metric whose `get()` returns the facade's current samples.
 * It extends `Gauge` only to be a `Metric` the registry accepts: `get()` reports the family's real type.
 */
class FacadeFamily extends Gauge<string> {
  constructor(
    private readonly family: Pick<ExpositionFamily, 'name' | 'help' | 'type'>,
    private readonly current: () => ReadonlyMap<string, ExpositionFamily>,
  ) {
    super({ name: family.name, help: family.help || family.name, registers: [] });
  }

  override async get(): Promise<FamilyObject> {
    const samples = this.current().get(this.family.name)?.samples ?? [];
    return {
      name: this.family.name,
      help: this.family.help || this.family.name,
      // prom-client's typings declare a numeric enum here; at run time (and in the exposition) it is the type name.
      type: this.family.type as unknown as MetricType,
      aggregator: 'sum',
      collect: () => {},
      values: samples.map((sample): ValuesOf<Gauge<string>> & { metricName: string } => ({
        metricName: sample.metricName,
        labels: sample.labels,
        value: sample.value,
      })),
    };
  }
}

/**
 * Registers the facade's metrics (`marketdata_*`: channel requests, served by source, cache, fallbacks, errors by
 * kind, quality, routing, channel health, latency histogram and quantiles, streams, WebSocket status) in a
 * prom-client `Registry`. Every scrape reads one fresh exposition, shared by all families of that scrape.
 *
 * @example
 * ```ts
 * const registry = new Registry();
 * collectMarketDataMetrics(registry, md);
 * const text = await registry.metrics();
 * ```
 * @throws ConfigError when the registry uses the OpenMetrics content type (the facade's counters are already named
 *   `_total`), or when one of the names is already registered.
 */
export function collectMarketDataMetrics(registry: Registry, md: MarketDataMetricsSource): MarketDataMetrics {
  if (registry.contentType !== Registry.PROMETHEUS_CONTENT_TYPE) {
    throw new ConfigError([
      { path: 'registry', message: 'needs a registry of the Prometheus text format', value: registry.contentType },
    ]);
  }
  const initial = parseExposition(md.toPrometheus());
  const taken = initial.filter((family) => registry.getSingleMetric(family.name) !== undefined);
  if (taken.length > 0) {
    throw new ConfigError(
      taken.map((family) => ({
        path: family.name,
        message: 'already registered in this registry',
        value: family.name,
      })),
    );
  }
  let cached: ReadonlyMap<string, ExpositionFamily> | undefined;
  // The registry asks every family in the same tick of one scrape: one exposition serves them all.
  const current = (): ReadonlyMap<string, ExpositionFamily> => {
    if (cached === undefined) {
      cached = new Map(parseExposition(md.toPrometheus()).map((family) => [family.name, family]));
      queueMicrotask(() => {
        cached = undefined;
      });
    }
    return cached;
  };
  const metrics = initial.map((family) => new FacadeFamily(family, current));
  for (const metric of metrics) registry.registerMetric(metric);
  let registered = true;
  return {
    names: initial.map((family) => family.name),
    unregister() {
      if (!registered) return;
      registered = false;
      initial.forEach((family, index) => {
        if (registry.getSingleMetric(family.name) === metrics[index]) registry.removeSingleMetric(family.name);
      });
    },
  };
}
