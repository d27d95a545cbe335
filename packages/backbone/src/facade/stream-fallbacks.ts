import type { Clock, MarketCode } from '@marketdata/domain';

/** A stream serving some of its symbols from REST because the WebSocket cannot, as `health()` reports it. */
export interface StreamFallbackView {
  readonly operation: string;
  readonly symbols: readonly MarketCode[];
  /** Why the first of them left the WebSocket. */
  readonly reason: string;
  /** How long the stream has had symbols on REST, ms. */
  readonly forMs: number;
}

interface Entry {
  readonly operation: string;
  symbols: readonly MarketCode[];
  reason: string;
  readonly since: number;
}

/** The open streams that stand in with REST right now (one entry per stream), for `health()`. */
export class StreamFallbacks {
  private readonly entries = new Map<object, Entry>();

  constructor(private readonly clock: Clock) {}

  /** The stream `key` serves `symbols` from REST (none: it is back on the WebSocket). */
  set(key: object, operation: string, symbols: readonly MarketCode[], reason: string): void {
    if (symbols.length === 0) {
      this.entries.delete(key);
      return;
    }
    const entry = this.entries.get(key);
    if (entry === undefined) {
      this.entries.set(key, { operation, symbols, reason, since: this.clock.monotonic() });
      return;
    }
    entry.symbols = symbols;
  }

  views(): readonly StreamFallbackView[] {
    const now = this.clock.monotonic();
    return [...this.entries.values()].map((entry) => ({
      operation: entry.operation,
      symbols: entry.symbols,
      reason: entry.reason,
      forMs: now - entry.since,
    }));
  }
}
