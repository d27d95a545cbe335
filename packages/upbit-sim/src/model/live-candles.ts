import { MINUTE_MS } from '../format/time-text.js';

/** One minute of simulated trades. */
export interface LiveCandle {
  readonly minute: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  turnover: number;
  lastTradeTimestamp: number;
}

const KEEP_MINUTES = 4 * 1440;

/** Minute candles built from the trades the simulator made (Upbit only has candles for minutes with trades). */
export class LiveCandles {
  private readonly byMinute = new Map<number, LiveCandle>();
  add(tradeTimestamp: number, price: number, volume: number, turnover: number): void {
    const minute = Math.floor(tradeTimestamp / MINUTE_MS);
    const candle = this.byMinute.get(minute);
    if (candle === undefined) {
      this.byMinute.set(minute, {
        minute,
        open: price,
        high: price,
        low: price,
        close: price,
        volume,
        turnover,
        lastTradeTimestamp: tradeTimestamp,
      });
      if (this.byMinute.size > KEEP_MINUTES) {
        const oldest = this.byMinute.keys().next().value;
        if (oldest !== undefined) this.byMinute.delete(oldest);
      }
      return;
    }
    if (price > candle.high) candle.high = price;
    if (price < candle.low) candle.low = price;
    candle.close = price;
    candle.volume += volume;
    candle.turnover += turnover;
    candle.lastTradeTimestamp = tradeTimestamp;
  }

  get(minute: number): LiveCandle | undefined {
    return this.byMinute.get(minute);
  }
}
