import type { MarketCode, StreamKind, SymbolFreshness } from '@marketdata/domain';

export interface WsFreshnessOptions {
  /** Weight of the newest inter-arrival interval in the moving average (0..1]. */
  readonly smoothing: number;
  /** Expected interval before a symbol has shown its own rhythm. */
  readonly initialIntervalMs: number;
  /** Floor of the expected interval (a burst of frames must not make the next normal pause look stale). */
  readonly minIntervalMs: number;
  /** Ceiling of the expected interval (a market that went quiet for hours is still judged within this). */
  readonly maxIntervalMs: number;
  /** A symbol is suspected stale after this many expected intervals without an update… */
  readonly staleFactor: number;
  /** …and never sooner than this. */
  readonly minStaleMs: number;
}

export const DEFAULT_WS_FRESHNESS: WsFreshnessOptions = {
  smoothing: 0.2,
  initialIntervalMs: 30_000,
  minIntervalMs: 250,
  maxIntervalMs: 600_000,
  staleFactor: 6,
  minStaleMs: 2_000,
};

interface Entry {
  /** Monotonic time the symbol was subscribed or last updated. */
  sinceMono: number;
  lastUpdateMono: number | undefined;
  lastUpdateWall: number | undefined;
  averageMs: number | undefined;
  /** Connection epoch of the last REALTIME update: intervals are only measured within one connection. */
  lastRealtimeEpoch: number;
  lastRealtimeMono: number | undefined;
}

const clamp = (value: number, low: number, high: number): number => Math.min(high, Math.max(low, value));

/**
 * Learns each symbol's own update rhythm (an exponentially weighted mean of the intervals between REALTIME
 * frames) and judges staleness against it, so a market that trades once a minute is not stale after 10 s while
 * a busy one is. SNAPSHOT frames refresh `lastUpdateAt` but are not market rhythm, so they are not measured;
 * neither is an interval that spans a reconnect.
 */
export class FreshnessTracker {
  private readonly entries: Record<StreamKind, Map<MarketCode, Entry>> = {
    ticker: new Map(),
    trade: new Map(),
    orderbook: new Map(),
  };
  private epoch = 0;

  constructor(private readonly options: WsFreshnessOptions) {}

  track(kind: StreamKind, symbol: MarketCode, nowMono: number): void {
    if (this.entries[kind].has(symbol)) return;
    this.entries[kind].set(symbol, {
      sinceMono: nowMono,
      lastUpdateMono: undefined,
      lastUpdateWall: undefined,
      averageMs: undefined,
      lastRealtimeEpoch: -1,
      lastRealtimeMono: undefined,
    });
  }

  untrack(kind: StreamKind, symbol: MarketCode): void {
    this.entries[kind].delete(symbol);
  }

  /** A new connection starts: the next interval of every symbol would include the outage, so it is not measured. */
  newConnection(): void {
    this.epoch++;
  }

  record(kind: StreamKind, symbol: MarketCode, nowMono: number, nowWall: number, realtime: boolean): void {
    const entry = this.entries[kind].get(symbol);
    if (entry === undefined) return;
    entry.lastUpdateMono = nowMono;
    entry.lastUpdateWall = nowWall;
    entry.sinceMono = nowMono;
    if (!realtime) return;
    if (entry.lastRealtimeMono !== undefined && entry.lastRealtimeEpoch === this.epoch) {
      const interval = nowMono - entry.lastRealtimeMono;
      const alpha = this.options.smoothing;
      entry.averageMs =
        entry.averageMs === undefined ? interval : entry.averageMs + alpha * (interval - entry.averageMs);
    }
    entry.lastRealtimeMono = nowMono;
    entry.lastRealtimeEpoch = this.epoch;
  }

  /** `connected` false means every tracked symbol is suspected stale: nothing can arrive. */
  get(kind: StreamKind, symbol: MarketCode, nowMono: number, connected: boolean): SymbolFreshness | undefined {
    const entry = this.entries[kind].get(symbol);
    if (entry === undefined) return undefined;
    const { initialIntervalMs, minIntervalMs, maxIntervalMs, staleFactor, minStaleMs } = this.options;
    const expectedIntervalMs = Math.round(clamp(entry.averageMs ?? initialIntervalMs, minIntervalMs, maxIntervalMs));
    const staleAfterMs = Math.max(minStaleMs, staleFactor * expectedIntervalMs);
    return {
      symbol,
      kind,
      lastUpdateAt: entry.lastUpdateWall,
      expectedIntervalMs,
      suspectedStale: !connected || nowMono - entry.sinceMono > staleAfterMs,
    };
  }

  clear(): void {
    for (const map of Object.values(this.entries)) map.clear();
  }
}
