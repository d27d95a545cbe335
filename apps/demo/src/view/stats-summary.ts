import type { StatsSnapshot } from '@marketdata/backbone';
import type { DataSource } from '@marketdata/domain';
import { formatDuration } from './format.js';

export interface DemoTotals {
  readonly title: string;
  readonly runMs: number;
  readonly ticks: number;
  readonly ticksPerSymbol: readonly { readonly symbol: string; readonly ticks: number }[];
  readonly recorded: { readonly path: string; readonly frames: number; readonly dropped: number } | undefined;
  readonly stopReason: string;
}

function counts(record: Readonly<Record<string, number | undefined>>): string {
  const entries = Object.entries(record).filter((entry): entry is [string, number] => (entry[1] ?? 0) > 0);
  if (entries.length === 0) return 'none';
  return entries
    .sort((a, b) => b[1] - a[1])
    .map(([key, value]) => `${key} ${value}`)
    .join(' · ');
}

function ms(value: number | undefined): string {
  if (value === undefined) return '—';
  return value < 10 ? value.toFixed(2) : value.toFixed(0);
}

function latencies(stats: StatsSnapshot): string {
  const parts: string[] = [];
  for (const source of ['rest', 'websocket', 'cache'] as const satisfies readonly DataSource[]) {
    const summary = stats.latency[source];
    if (summary.count === 0) continue;
    parts.push(`${source} ${ms(summary.p50)}/${ms(summary.p90)}/${ms(summary.p99)} ms (n=${summary.count})`);
  }
  return parts.length === 0 ? 'no calls' : parts.join(' · ');
}

/** The exit summary: what the demo saw and what the backbone counted. Plain text, one fact per line. */
export function renderSummary(totals: DemoTotals, stats: StatsSnapshot | undefined): string[] {
  const lines = [
    `Summary · ${totals.title} · ran ${formatDuration(totals.runMs)} · stopped: ${totals.stopReason}`,
    `  ticks received       ${totals.ticks}${
      totals.ticksPerSymbol.length === 0
        ? ''
        : ` (${totals.ticksPerSymbol.map((entry) => `${entry.symbol} ${entry.ticks}`).join(', ')})`
    }`,
  ];
  if (stats !== undefined) {
    const websocket = stats.websocket;
    lines.push(
      `  requests             rest ${stats.requests.rest} · websocket ${stats.requests.websocket}`,
      `  served by            ${counts(stats.served)}`,
      `  stream updates       ${counts(stats.streams.delivered)} · conflated ${stats.streams.conflated}`,
      `  cache                hits ${stats.cache.hits} · misses ${stats.cache.misses} · expired ${stats.cache.expired}`,
      `  fallbacks            ${stats.fallbacks.total} in ${stats.fallbacks.episodes} episodes${
        stats.fallbacks.total > 0 ? ` (${counts(stats.fallbacks.byRoute)})` : ''
      }`,
      `  errors               ${stats.errors.total}${stats.errors.total > 0 ? ` (${counts(stats.errors.byKind)})` : ''}`,
      `  quality              ${counts(stats.quality.quality)} · checks ${stats.quality.ticksChecked}` +
        ` · flagged ${counts(stats.quality.issues)}`,
      `  latency p50/p90/p99  ${latencies(stats)}`,
      `  routing decisions    ${counts(stats.routing.decisions)}`,
      `  hot subscriptions    promoted ${stats.routing.subscriptions.promotions} · released ${stats.routing.subscriptions.demotions}`,
      websocket === undefined
        ? '  websocket            not used'
        : `  websocket            ${websocket.state} · ${websocket.reconnects} reconnects · ${websocket.gaps} gaps` +
            ` (${formatDuration(websocket.gapMsTotal)}) · ${websocket.malformedFrames} malformed frames`,
    );
  }
  if (totals.recorded !== undefined) {
    const { path, frames, dropped } = totals.recorded;
    lines.push(`  recorded             ${frames} frames to ${path}${dropped > 0 ? ` (${dropped} dropped)` : ''}`);
  }
  return lines;
}
