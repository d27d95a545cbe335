import type { MarketCode } from '@marketdata/domain';

/**
 * Which symbols' recoveries run now: at most `concurrency` at once (each is at least one REST request; the group's
 * budget is 10 a second per IP, shared with every other caller), the others wait, the most urgent first: the caller
 * says how urgent (the trades it holds back), and every second of waiting counts as one more, so a quiet symbol is
 * not starved by busy ones. A burst of recoveries after a long gap thus delivers the busiest symbols first instead
 * of queueing them behind quiet ones in the REST budget.
 */
export class RecoveryQueue {
  private readonly waiting = new Map<MarketCode, number>();
  private running = 0;

  constructor(
    private readonly concurrency: number,
    private readonly urgency: (symbol: MarketCode) => number,
    private readonly run: (symbol: MarketCode, queuedAt: number) => Promise<void>,
    private readonly now: () => number,
  ) {}

  add(symbol: MarketCode): void {
    if (!this.waiting.has(symbol)) this.waiting.set(symbol, this.now());
    this.pump();
  }

  /** Stops waiting for `symbol` (its recovery was abandoned or is no longer needed). */
  drop(symbol: MarketCode): void {
    this.waiting.delete(symbol);
  }

  get size(): number {
    return this.waiting.size + this.running;
  }

  private pump(): void {
    while (this.running < this.concurrency && this.waiting.size > 0) {
      let next: MarketCode | undefined;
      let best = Number.NEGATIVE_INFINITY;
      const now = this.now();
      for (const [symbol, queuedAt] of this.waiting) {
        const urgency = this.urgency(symbol) + (now - queuedAt) / 1_000;
        if (urgency > best) {
          best = urgency;
          next = symbol;
        }
      }
      if (next === undefined) return;
      const queuedAt = this.waiting.get(next) ?? this.now();
      this.waiting.delete(next);
      this.running++;
      void this.run(next, queuedAt).finally(() => {
        this.running--;
        this.pump();
      });
    }
  }
}
