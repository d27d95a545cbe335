import type { ChannelHealthView, HealthReport, StatsSnapshot } from '@marketdata/backbone';
import type { ChannelLevel, ChannelView } from './board.js';

function percent(rate: number | undefined): string {
  return rate === undefined ? 'n/a' : `${(rate * 100).toFixed(0)}%`;
}

function latency(ms: number | undefined): string {
  if (ms === undefined) return 'n/a';
  return ms < 10 ? `${ms.toFixed(1)}ms` : `${ms.toFixed(0)}ms`;
}

function routerLevel(view: ChannelHealthView): ChannelLevel {
  if (!view.configured) return 'unknown';
  if (view.state === 'disabled') return 'down';
  if (view.state === 'probe-due') return 'degraded';
  return 'ok';
}

function routerDetail(view: ChannelHealthView): string {
  const parts = [`latency ewma ${latency(view.latencyEwmaMs)}`, `error rate ${percent(view.errorRate)}`];
  if (view.consecutiveFailures > 0) parts.push(`${view.consecutiveFailures} failing in a row`);
  if (view.timesDisabled > 0) parts.push(`disabled ${view.timesDisabled}× · recovered ${view.timesRecovered}×`);
  if (view.state !== 'enabled' && view.lastError !== undefined) parts.push(`last error: ${view.lastError}`);
  return parts.join(' · ');
}

/** The backbone's health and stats, summarized per channel for the table. */
export function channelViews(health: HealthReport, stats: StatsSnapshot): ChannelView[] {
  const rest = health.channels.rest;
  const views: ChannelView[] = [
    {
      name: 'rest',
      level: routerLevel(rest),
      summary: `${stats.requests.rest} requests · ${routerDetail(rest)}`,
    },
  ];
  const websocket = health.channels.websocket;
  if (websocket === undefined) {
    views.push({ name: 'websocket', level: 'unknown', summary: 'not used (useWebSocket: false)' });
  } else {
    let level = routerLevel(websocket);
    if (level === 'ok' && (websocket.connection !== 'open' || websocket.openGaps > 0)) level = 'degraded';
    const stream = stats.websocket;
    const streamParts = [
      websocket.connection,
      `${websocket.reconnects} reconnects`,
      `${stream?.gaps ?? 0} gaps`,
      `${stream?.malformedFrames ?? 0} malformed`,
      `${health.hotSubscriptions} hot subs`,
    ];
    views.push({ name: 'websocket', level, summary: `${streamParts.join(' · ')} · ${routerDetail(websocket)}` });
  }
  const overall: ChannelLevel =
    health.status === 'ok'
      ? 'ok'
      : health.status === 'degraded'
        ? 'degraded'
        : health.status === 'down'
          ? 'down'
          : 'unknown';
  views.push({
    name: 'backbone',
    level: overall,
    summary:
      `${health.status}${health.reasons.length > 0 ? ` (${health.reasons.join('; ')})` : ''}` +
      ` · fallbacks ${stats.fallbacks.total} · cache hits ${stats.cache.hits}/${stats.cache.hits + stats.cache.misses}`,
  });
  return views;
}
