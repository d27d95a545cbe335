import type { DataQuality, DataSource } from '@marketdata/domain';
import type { ChannelHealthView } from '../router/channel-health.js';
import type { StatsSnapshot } from './stats-snapshot.js';

type Labels = Readonly<Record<string, string>>;
type MetricType = 'counter' | 'gauge' | 'histogram' | 'summary';

const PREFIX = 'marketdata_';
const SOURCES: readonly DataSource[] = ['rest', 'websocket', 'cache'];
const QUALITIES: readonly DataQuality[] = ['high', 'medium', 'low'];

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Number.POSITIVE_INFINITY) return '+Inf';
  if (value === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(value);
}

function formatLabels(labels: Labels): string {
  const entries = Object.entries(labels);
  if (entries.length === 0) return '';
  return `{${entries.map(([key, value]) => `${key}="${escapeLabel(value)}"`).join(',')}}`;
}

class PrometheusWriter {
  private readonly lines: string[] = [];

  family(name: string, type: MetricType, help: string, samples: readonly (readonly [Labels, number])[]): void {
    this.lines.push(`# HELP ${PREFIX}${name} ${help}`, `# TYPE ${PREFIX}${name} ${type}`);
    for (const [labels, value] of samples) this.sample(name, labels, value);
  }

  sample(name: string, labels: Labels, value: number): void {
    this.lines.push(`${PREFIX}${name}${formatLabels(labels)} ${formatValue(value)}`);
  }

  header(name: string, type: MetricType, help: string): void {
    this.lines.push(`# HELP ${PREFIX}${name} ${help}`, `# TYPE ${PREFIX}${name} ${type}`);
  }

  text(): string {
    return `${this.lines.join('\n')}\n`;
  }
}

function channelSamples(
  channels: StatsSnapshot['channels'],
  value: (view: ChannelHealthView) => number | undefined,
): (readonly [Labels, number])[] {
  const views = [channels.rest, channels.websocket].filter((view) => view !== undefined);
  return views.flatMap((view) => {
    const sample = value(view);
    return sample === undefined ? [] : [[{ channel: view.channel }, sample] as const];
  });
}

function record<K extends string>(entries: Readonly<Partial<Record<K, number>>>, label: string) {
  return Object.entries<number | undefined>(entries)
    .filter((entry): entry is [string, number] => entry[1] !== undefined)
    .map(([key, value]) => [{ [label]: key }, value] as const);
}

/** Renders a stats snapshot in the Prometheus text exposition format (version 0.0.4). */
export function toPrometheus(stats: StatsSnapshot): string {
  const out = new PrometheusWriter();
  out.family('channel_requests_total', 'counter', 'Calls made to each live channel (a REST batch is one call).', [
    [{ channel: 'rest' }, stats.requests.rest],
    [{ channel: 'websocket' }, stats.requests.websocket],
  ]);
  out.family(
    'served_total',
    'counter',
    'Tickers handed out, by where they came from.',
    SOURCES.map((source) => [{ source }, stats.served[source]] as const),
  );
  out.family('cache_hits_total', 'counter', 'Cache lookups that found a value within its TTL.', [
    [{}, stats.cache.hits],
  ]);
  out.family('cache_misses_total', 'counter', 'Cache lookups that found nothing usable.', [[{}, stats.cache.misses]]);
  out.family('cache_expired_total', 'counter', 'Cache entries found past their TTL.', [[{}, stats.cache.expired]]);
  out.family('cache_evicted_total', 'counter', 'Cache entries evicted by the size bound.', [[{}, stats.cache.evicted]]);
  out.family('cache_entries', 'gauge', 'Entries currently cached.', [[{}, stats.cache.size]]);
  out.family('fallbacks_total', 'counter', 'Results served by another channel than the preferred one.', [
    ...record(stats.fallbacks.byRoute, 'route'),
  ]);
  out.family('fallback_episodes_total', 'counter', 'Runs of fallbacks away from a channel until it worked again.', [
    [{}, stats.fallbacks.episodes],
  ]);
  out.family('errors_total', 'counter', 'Errors by kind (the error family code).', record(stats.errors.byKind, 'kind'));
  out.family(
    'quality_total',
    'counter',
    'Tickers handed out, by graded quality.',
    QUALITIES.map((quality) => [{ quality }, stats.quality.quality[quality]] as const),
  );
  out.family('ticks_checked_total', 'counter', 'Ticks run through the data-quality checks.', [
    [{}, stats.quality.ticksChecked],
  ]);
  out.family(
    'quality_issues_total',
    'counter',
    'Data-quality issues found, by kind.',
    record(stats.quality.issues, 'issue'),
  );
  out.family(
    'route_decisions_total',
    'counter',
    'Router decisions, by reason.',
    record(stats.routing.decisions, 'reason'),
  );
  out.family('recovery_probes_total', 'counter', 'Requests sent to a disabled channel as recovery probes.', [
    [{}, stats.routing.probes],
  ]);
  out.family('hot_subscriptions', 'gauge', 'WebSocket subscriptions held for hot symbols.', [
    [{}, stats.routing.subscriptions.active],
  ]);
  out.family('subscription_promotions_total', 'counter', 'Symbols moved to WebSocket because they became hot.', [
    [{}, stats.routing.subscriptions.promotions],
  ]);
  out.family('subscription_demotions_total', 'counter', 'Subscriptions released because the symbol turned cold.', [
    [{}, stats.routing.subscriptions.demotions],
  ]);
  out.family(
    'channel_up',
    'gauge',
    '1 while the channel is enabled, 0 while disabled.',
    channelSamples(stats.channels, (view) => (view.state === 'enabled' ? 1 : 0)),
  );
  out.family(
    'channel_consecutive_failures',
    'gauge',
    'Consecutive failures of the channel.',
    channelSamples(stats.channels, (view) => view.consecutiveFailures),
  );
  out.family(
    'channel_latency_ewma_seconds',
    'gauge',
    'EWMA of the channel call latency.',
    channelSamples(stats.channels, (view) =>
      view.latencyEwmaMs === undefined ? undefined : view.latencyEwmaMs / 1000,
    ),
  );
  out.family(
    'channel_error_rate',
    'gauge',
    'Failure share of the channel calls inside the error-rate window.',
    channelSamples(stats.channels, (view) => view.errorRate),
  );

  out.header('request_duration_seconds', 'histogram', 'Backbone call latency, by where the answer came from.');
  for (const source of SOURCES) {
    const histogram = stats.latencyBuckets[source];
    for (const bucket of histogram.buckets) {
      out.sample('request_duration_seconds_bucket', { source, le: formatValue(bucket.le / 1000) }, bucket.count);
    }
    out.sample('request_duration_seconds_bucket', { source, le: '+Inf' }, histogram.count);
    out.sample('request_duration_seconds_sum', { source }, histogram.sumMs / 1000);
    out.sample('request_duration_seconds_count', { source }, histogram.count);
  }
  out.header('request_latency_seconds', 'summary', 'Backbone call latency quantiles (p50/p90/p99), by source.');
  for (const source of SOURCES) {
    const summary = stats.latency[source];
    for (const [quantile, value] of [
      ['0.5', summary.p50],
      ['0.9', summary.p90],
      ['0.99', summary.p99],
    ] as const) {
      out.sample('request_latency_seconds', { source, quantile }, value === undefined ? Number.NaN : value / 1000);
    }
    out.sample('request_latency_seconds_sum', { source }, stats.latencyBuckets[source].sumMs / 1000);
    out.sample('request_latency_seconds_count', { source }, summary.count);
  }

  out.family('streams_active', 'gauge', 'Open watch streams.', [[{}, stats.streams.active]]);
  out.family(
    'stream_updates_total',
    'counter',
    'Updates delivered to watch consumers, by kind.',
    record(stats.streams.delivered, 'kind'),
  );
  out.family('stream_conflated_total', 'counter', 'Updates replaced by a newer one in a slow consumer queue.', [
    [{}, stats.streams.conflated],
  ]);
  out.family(
    'trades_backfilled_total',
    'counter',
    'Trades the stream missed, fetched from REST and delivered in order.',
    [[{}, stats.streams.backfilled]],
  );
  out.family('trade_backfills_abandoned_total', 'counter', 'Trade recoveries that gave up (the gap stays reported).', [
    [{}, stats.streams.backfillsAbandoned],
  ]);

  const ws = stats.websocket;
  if (ws !== undefined) {
    out.family('websocket_connected', 'gauge', '1 while the WebSocket connection is open.', [
      [{ state: ws.state }, ws.state === 'open' ? 1 : 0],
    ]);
    out.family('websocket_reconnects_total', 'counter', 'WebSocket reconnects.', [[{}, ws.reconnects]]);
    // Gauges, not counters: the stream may keep only its most recent gaps.
    out.family('websocket_recorded_gaps', 'gauge', 'Stream gaps the stream reports (disconnects, stalls).', [
      [{}, ws.gaps],
    ]);
    out.family('websocket_open_gaps', 'gauge', 'Stream gaps still open.', [[{}, ws.openGaps]]);
    out.family('websocket_recorded_gap_seconds', 'gauge', 'Time covered by the reported gaps.', [
      [{}, ws.gapMsTotal / 1000],
    ]);
    out.family('websocket_malformed_frames_total', 'counter', 'Malformed frames counted and skipped.', [
      [{}, ws.malformedFrames],
    ]);
  }
  return out.text();
}
