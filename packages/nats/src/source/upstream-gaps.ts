import type { Clock, MarketCode, StreamGap } from '@marketdata/domain';
import type { GapReport } from '../wire/messages.js';
import type { StreamFacts } from './stream-facts.js';

/** Open upstream gaps remembered at most (a report that never closes must not grow the map for ever). */
const MAX_OPEN = 64;

/**
 * The gateway's upstream gaps (its Upbit WebSocket lost), relayed as this source's own gaps for the symbols this
 * consumer has on its wire. Wall times are the gateway's (what a REST backfill asks for); monotonic times are this
 * process's, placed by the durations the gateway measured on its own monotonic clock: no wall time is converted.
 */
export class UpstreamGaps {
  private readonly open = new Map<string, StreamGap>();

  constructor(
    private readonly clock: Clock,
    private readonly facts: StreamFacts,
    private readonly wantedSymbols: () => readonly MarketCode[],
  ) {}

  onReport(report: GapReport): void {
    const key = `${report.gateway} ${report.startedAt}`;
    const now = this.clock.monotonic();
    const known = this.open.get(key);
    if (report.endedAt !== undefined) {
      if (known === undefined) return;
      this.open.delete(key);
      const startedAtMonotonic = now - report.sinceStartMs;
      const end = report.durationMs === undefined ? now : startedAtMonotonic + report.durationMs;
      this.facts.closeGap(known, report.endedAt, end);
      return;
    }
    if (known !== undefined) return;
    const wanted = new Set(this.wantedSymbols());
    const symbols = report.symbols.length === 0 ? [...wanted] : report.symbols.filter((symbol) => wanted.has(symbol));
    if (symbols.length === 0) return;
    const gap = this.facts.openGap(
      `fleet gateway upstream: ${report.reason}`,
      symbols,
      report.startedAt,
      now - report.sinceStartMs,
      false,
    );
    this.open.set(key, gap);
    if (this.open.size > MAX_OPEN) {
      const oldest = this.open.keys().next().value;
      if (oldest !== undefined) this.open.delete(oldest);
    }
  }
}
