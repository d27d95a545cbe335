import type { TradeRecord } from './market-types.js';

const TRADE_HISTORY = 500;

/** The last 500 trades of a market (what `/v1/trades/ticks` can page through), in a ring. */
export class TradeTape {
  private readonly trades: TradeRecord[] = [];
  private head = 0;
  last: TradeRecord | undefined;

  push(trade: TradeRecord): void {
    if (this.trades.length < TRADE_HISTORY) this.trades.push(trade);
    else {
      this.trades[this.head] = trade;
      this.head = (this.head + 1) % TRADE_HISTORY;
    }
    this.last = trade;
  }

  /** Recent trades, newest first. */
  newestFirst(): TradeRecord[] {
    const out: TradeRecord[] = [];
    const n = this.trades.length;
    for (let i = 0; i < n; i++) {
      const trade = this.trades[(this.head - 1 - i + 2 * n) % n];
      if (trade !== undefined) out.push(trade);
    }
    return out;
  }
}
