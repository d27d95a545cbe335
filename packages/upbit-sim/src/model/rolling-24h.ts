import { MINUTE_MS } from '../format/time-text.js';

const WINDOW_MINUTES = 1440;

/** Rolling 24h traded volume and turnover in per-minute buckets (`acc_trade_volume_24h`, `acc_trade_price_24h`). */
export class Rolling24h {
  private readonly volumeBuckets = new Float64Array(WINDOW_MINUTES);
  private readonly turnoverBuckets = new Float64Array(WINDOW_MINUTES);
  private bucketMinute: number;
  volume = 0;
  turnover = 0;

  /** Starts evenly filled with `volume24h`/`turnover24h` (the recorded figures), at `startWall`. */
  constructor(volume24h: number, turnover24h: number, startWall: number) {
    this.volumeBuckets.fill(volume24h / WINDOW_MINUTES);
    this.turnoverBuckets.fill(turnover24h / WINDOW_MINUTES);
    this.volume = volume24h;
    this.turnover = turnover24h;
    this.bucketMinute = Math.floor(startWall / MINUTE_MS);
  }

  /** Expires the buckets older than 24h at `now`. */
  roll(now: number): void {
    const minute = Math.floor(now / MINUTE_MS);
    if (minute <= this.bucketMinute) return;
    const steps = Math.min(minute - this.bucketMinute, WINDOW_MINUTES);
    for (let i = 1; i <= steps; i++) {
      const slot = (this.bucketMinute + i) % WINDOW_MINUTES;
      this.volume -= this.volumeBuckets[slot] ?? 0;
      this.turnover -= this.turnoverBuckets[slot] ?? 0;
      this.volumeBuckets[slot] = 0;
      this.turnoverBuckets[slot] = 0;
    }
    if (this.volume < 1e-9) this.volume = 0;
    if (this.turnover < 1e-9) this.turnover = 0;
    this.bucketMinute = minute;
  }

  add(volume: number, turnover: number): void {
    const slot = this.bucketMinute % WINDOW_MINUTES;
    this.volumeBuckets[slot] = (this.volumeBuckets[slot] ?? 0) + volume;
    this.turnoverBuckets[slot] = (this.turnoverBuckets[slot] ?? 0) + turnover;
    this.volume += volume;
    this.turnover += turnover;
  }
}
