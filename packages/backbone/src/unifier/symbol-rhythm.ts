import type { MarketCode } from '@marketdata/domain';

export interface RhythmOptions {
  readonly defaultExpectedIntervalMs: number;
  readonly minExpectedIntervalMs: number;
  readonly maxExpectedIntervalMs: number;
  /** Symbols tracked at most; the least recently seen are forgotten beyond this. */
  readonly maxSymbols: number;
}

interface Rhythm {
  lastTradeTimestamp: number;
  intervalEwmaMs: number | undefined;
}

const EWMA_WEIGHT = 0.2;

/**
 * Learns how often each symbol's last trade changes, from the exchange trade timestamps it sees on any channel.
 * Seen through REST polling the estimate is an upper bound (changes are only seen when polled); the WebSocket
 * adapter's own per-symbol rhythm is preferred when it has one.
 */
export class RhythmTracker {
  private readonly rhythms = new Map<MarketCode, Rhythm>();

  constructor(private readonly options: RhythmOptions) {}

  observe(symbol: MarketCode, tradeTimestamp: number): void {
    const rhythm = this.rhythms.get(symbol);
    if (rhythm === undefined) {
      this.rhythms.set(symbol, { lastTradeTimestamp: tradeTimestamp, intervalEwmaMs: undefined });
      this.trim();
      return;
    }
    if (tradeTimestamp <= rhythm.lastTradeTimestamp) return;
    const delta = tradeTimestamp - rhythm.lastTradeTimestamp;
    rhythm.intervalEwmaMs =
      rhythm.intervalEwmaMs === undefined ? delta : EWMA_WEIGHT * delta + (1 - EWMA_WEIGHT) * rhythm.intervalEwmaMs;
    rhythm.lastTradeTimestamp = tradeTimestamp;
    // Keep recently seen symbols at the end of the map.
    this.rhythms.delete(symbol);
    this.rhythms.set(symbol, rhythm);
  }

  /**
   * The interval this symbol is expected to update at: the stream's own figure when given, else the learned
   * one, else the default; always clamped to [min, max].
   */
  expectedIntervalMs(symbol: MarketCode, fromStream?: number): number {
    const learned = this.rhythms.get(symbol)?.intervalEwmaMs;
    const raw = fromStream ?? learned ?? this.options.defaultExpectedIntervalMs;
    return Math.min(this.options.maxExpectedIntervalMs, Math.max(this.options.minExpectedIntervalMs, raw));
  }

  private trim(): void {
    while (this.rhythms.size > this.options.maxSymbols) {
      const oldest = this.rhythms.keys().next();
      if (oldest.done === true) return;
      this.rhythms.delete(oldest.value);
    }
  }
}
