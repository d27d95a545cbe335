import { MINUTE_MS } from '../format/time-text.js';

/** One bucket of simulated trades (a second or a minute). */
export interface LiveCandle {
  /** Bucket start, UTC epoch ms. */
  readonly start: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
  readonly turnover: number;
  /** The last trade's `trade_timestamp` (the candle `timestamp`). */
  readonly lastTradeTimestamp: number;
}

interface MutableCandle {
  start: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  turnover: number;
  lastTradeTimestamp: number;
}

/** Minute buckets are kept this long (4 days); older minute candles of simulated time are gone. */
const KEEP_MINUTES = 4 * 1440;
/**
 * Second buckets kept per market (6 hours of seconds with a trade). Upbit serves seconds candles for 3 months;
 * the simulator keeps fewer to bound its memory (a busy market fills one slot per second). Chosen here.
 */
export const KEEP_SECONDS = 6 * 3600;
const FIRST_SECOND_SLOTS = 64;

/**
 * Second buckets of one market in a growing ring of typed arrays (oldest first). Trades arrive in time order
 * (trade timestamps never go back within a market), so a trade lands in the newest bucket or opens a new one.
 */
class SecondRing {
  private capacity = 0;
  private count = 0;
  private head = 0;
  private starts = new Float64Array(0);
  private values = new Float64Array(0);

  add(tradeTimestamp: number, price: number, volume: number, turnover: number): void {
    const start = Math.floor(tradeTimestamp / 1000) * 1000;
    const newest = this.count > 0 ? this.slot(this.count - 1) : -1;
    if (newest >= 0 && (this.starts[newest] ?? 0) >= start) {
      // Same second as the newest bucket (an earlier second cannot happen: timestamps are monotonic per market).
      this.update(newest, price, volume, turnover, tradeTimestamp);
      return;
    }
    if (this.count === this.capacity) {
      if (this.capacity < KEEP_SECONDS) this.grow();
      else {
        this.head = (this.head + 1) % this.capacity;
        this.count--;
      }
    }
    const slot = this.slot(this.count);
    this.count++;
    this.starts[slot] = start;
    const v = slot * 7;
    this.values[v] = price;
    this.values[v + 1] = price;
    this.values[v + 2] = price;
    this.values[v + 3] = price;
    this.values[v + 4] = volume;
    this.values[v + 5] = turnover;
    this.values[v + 6] = tradeTimestamp;
  }

  private update(slot: number, price: number, volume: number, turnover: number, tradeTimestamp: number): void {
    const v = slot * 7;
    if (price > (this.values[v + 1] ?? price)) this.values[v + 1] = price;
    if (price < (this.values[v + 2] ?? price)) this.values[v + 2] = price;
    this.values[v + 3] = price;
    this.values[v + 4] = (this.values[v + 4] ?? 0) + volume;
    this.values[v + 5] = (this.values[v + 5] ?? 0) + turnover;
    this.values[v + 6] = tradeTimestamp;
  }

  private grow(): void {
    const capacity = Math.min(Math.max(FIRST_SECOND_SLOTS, this.capacity * 2), KEEP_SECONDS);
    const starts = new Float64Array(capacity);
    const values = new Float64Array(capacity * 7);
    for (let i = 0; i < this.count; i++) {
      const from = this.slot(i);
      starts[i] = this.starts[from] ?? 0;
      values.set(this.values.subarray(from * 7, from * 7 + 7), i * 7);
    }
    this.starts = starts;
    this.values = values;
    this.capacity = capacity;
    this.head = 0;
  }

  private slot(index: number): number {
    return (this.head + index) % this.capacity;
  }

  private candleAt(index: number): LiveCandle {
    const slot = this.slot(index);
    const v = slot * 7;
    return {
      start: this.starts[slot] ?? 0,
      open: this.values[v] ?? 0,
      high: this.values[v + 1] ?? 0,
      low: this.values[v + 2] ?? 0,
      close: this.values[v + 3] ?? 0,
      volume: this.values[v + 4] ?? 0,
      turnover: this.values[v + 5] ?? 0,
      lastTradeTimestamp: this.values[v + 6] ?? 0,
    };
  }

  /** Buckets with `from <= start < to`, newest first, at most `limit`. */
  newestFirst(from: number, to: number, limit: number): LiveCandle[] {
    const out: LiveCandle[] = [];
    // Binary search for the first bucket at or after `to`; walk back from there.
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.starts[this.slot(mid)] ?? 0) < to) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo - 1; i >= 0 && out.length < limit; i--) {
      const candle = this.candleAt(i);
      if (candle.start < from) break;
      out.push(candle);
    }
    return out;
  }
}

/**
 * Candle buckets built from the trades the simulator made (Upbit only has candles for periods with trades):
 * seconds in a ring (see KEEP_SECONDS) and minutes in a map (KEEP_MINUTES). Longer units aggregate these.
 */
export class LiveCandles {
  private readonly byMinute = new Map<number, MutableCandle>();
  private readonly seconds = new SecondRing();

  add(tradeTimestamp: number, price: number, volume: number, turnover: number): void {
    this.seconds.add(tradeTimestamp, price, volume, turnover);
    const minute = Math.floor(tradeTimestamp / MINUTE_MS);
    const candle = this.byMinute.get(minute);
    if (candle === undefined) {
      this.byMinute.set(minute, {
        start: minute * MINUTE_MS,
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

  /** The bucket of a minute (index since the epoch), if any trade happened in it. */
  minute(minute: number): LiveCandle | undefined {
    return this.byMinute.get(minute);
  }

  /** Second buckets with `from <= start < to`, newest first, at most `limit`. */
  secondsNewestFirst(from: number, to: number, limit: number): LiveCandle[] {
    return this.seconds.newestFirst(from, to, limit);
  }
}
