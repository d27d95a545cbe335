import { type Candle, nextPeriodStart } from '@marketdata/domain';
import type { IntervalSpec } from './candle-intervals.js';
import { isNewerState, sameCandleData } from './candle-merge.js';
import type { SeriesCandle } from './candle-update.js';

export interface CandleSeriesOptions {
  readonly interval: IntervalSpec;
  /** Candles kept at most (the oldest are forgotten; a consumer keeps its own chart). */
  readonly keep: number;
  /**
   * How long after its period ends a candle without a successor is called closed: Upbit sends a candle's last state
   * at the next whole second or so ("at most about once a second"), so the close waits that long for it.
   */
  readonly closeGraceMs: number;
}

/**
 * One symbol's candles of one interval, ordered by `openTime`, merged from wherever they come (REST history, the
 * live stream, a backfill) by `isNewerState`: the same period is held once (no duplicate), a repeated frame with the
 * same data changes nothing, an older state never replaces a newer one. Only the newest candle can be open; it
 * closes when a later one arrives or when its period (plus the grace) has passed. Pure: time comes in as arguments.
 */
export class CandleSeries {
  private readonly candles: Candle[] = [];
  /** Whether the newest candle has been called closed. */
  private newestClosed = false;

  constructor(private readonly options: CandleSeriesOptions) {}

  /** Merges without reporting (the history, before the snapshot). */
  load(candles: readonly Candle[], nowMs: number): void {
    for (const candle of candles) this.merge(candle, nowMs);
  }

  /** Merges one candle state; returns the candles whose state or closed flag changed, oldest first. */
  merge(candle: Candle, nowMs: number): SeriesCandle[] {
    const newest = this.candles.at(-1);
    if (newest === undefined || candle.openTime > newest.openTime) {
      const changes: SeriesCandle[] = [];
      if (newest !== undefined && !this.newestClosed) changes.push({ ...newest, closed: true });
      this.candles.push(candle);
      this.newestClosed = this.periodOver(candle, nowMs);
      this.trim();
      changes.push({ ...candle, closed: this.newestClosed });
      return changes;
    }
    const index = this.indexOf(candle.openTime);
    const held = index < 0 ? undefined : this.candles[index];
    if (held !== undefined && !isNewerState(held, candle)) return [];
    if (held !== undefined && sameCandleData(held, candle)) {
      this.candles[index] = candle;
      return [];
    }
    if (held === undefined) {
      // A period the series lacked (a backfill after a gap): inserted in order, closed (a newer one exists).
      const at = this.insertionPoint(candle.openTime);
      this.candles.splice(at, 0, candle);
      this.trim();
      return [{ ...candle, closed: true }];
    }
    this.candles[index] = candle;
    const isNewest = index === this.candles.length - 1;
    return [{ ...candle, closed: isNewest ? this.newestClosed : true }];
  }

  /** Calls the newest candle closed once its period (and the grace) is over; returns it then, else nothing. */
  closeDue(nowMs: number): SeriesCandle[] {
    const newest = this.candles.at(-1);
    if (newest === undefined || this.newestClosed || !this.periodOver(newest, nowMs)) return [];
    this.newestClosed = true;
    return [{ ...newest, closed: true }];
  }

  /** When `closeDue` will next have something to close (wall ms); undefined when nothing is open. */
  nextCloseAt(): number | undefined {
    const newest = this.candles.at(-1);
    if (newest === undefined || this.newestClosed) return undefined;
    return nextPeriodStart(this.options.interval, newest.openTime) + this.options.closeGraceMs;
  }

  snapshot(): SeriesCandle[] {
    const last = this.candles.length - 1;
    return this.candles.map((candle, index) => ({ ...candle, closed: index < last || this.newestClosed }));
  }

  /** The newest candle held (open or closed). */
  newest(): Candle | undefined {
    return this.candles.at(-1);
  }

  private periodOver(candle: Candle, nowMs: number): boolean {
    return nowMs >= nextPeriodStart(this.options.interval, candle.openTime) + this.options.closeGraceMs;
  }

  private trim(): void {
    const excess = this.candles.length - this.options.keep;
    if (excess > 0) this.candles.splice(0, excess);
  }

  private indexOf(openTime: number): number {
    const at = this.insertionPoint(openTime);
    return this.candles[at]?.openTime === openTime ? at : -1;
  }

  /** The first index whose candle opens at or after `openTime` (binary search: the series is ordered). */
  private insertionPoint(openTime: number): number {
    let low = 0;
    let high = this.candles.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((this.candles[middle] as Candle).openTime < openTime) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}
