import type { HealthReport, StatsSnapshot } from '@marketdata/backbone';
import type { BoardEvent } from './board.js';

/** A routing reason not seen for this long is announced again when it comes back. */
const QUIET_MS = 30_000;

/**
 * Turns successive stats/health samples into events worth showing: a routing reason the router starts using,
 * a new fallback episode, a change of overall health. Steady state produces nothing.
 */
export class RouterWatch {
  private previousDecisions: Readonly<Partial<Record<string, number>>> = {};
  private readonly lastSeen = new Map<string, number>();
  private previousStatus: string | undefined;
  private previousEpisodes = 0;

  observe(stats: StatsSnapshot, health: HealthReport, at: number): BoardEvent[] {
    const events: BoardEvent[] = [];
    for (const [reason, count] of Object.entries(stats.routing.decisions)) {
      const added = (count ?? 0) - (this.previousDecisions[reason] ?? 0);
      if (added <= 0) continue;
      const seen = this.lastSeen.get(reason);
      if (seen === undefined || at - seen > QUIET_MS) {
        events.push({ at, kind: 'route', text: `router: ${reason} (${added} decision${added === 1 ? '' : 's'})` });
      }
      this.lastSeen.set(reason, at);
    }
    this.previousDecisions = { ...stats.routing.decisions };

    if (stats.fallbacks.episodes > this.previousEpisodes) {
      const routes = Object.entries(stats.fallbacks.byRoute)
        .map(([route, count]) => `${route} ${count}`)
        .join(', ');
      events.push({ at, kind: 'fallback', text: `fallback episode #${stats.fallbacks.episodes} (${routes})` });
    }
    this.previousEpisodes = stats.fallbacks.episodes;

    if (health.status !== this.previousStatus) {
      if (this.previousStatus !== undefined || health.status !== 'ok') {
        const reasons = health.reasons.length > 0 ? `: ${health.reasons.join('; ')}` : '';
        events.push({ at, kind: health.status === 'ok' ? 'info' : 'warn', text: `health ${health.status}${reasons}` });
      }
      this.previousStatus = health.status;
    }
    return events;
  }
}
