import type { WireCandle } from './messages.js';

/** What a change to the series asks of the chart: redraw everything, or update one bar (possibly an older one). */
export type SeriesChange =
  | { readonly kind: 'reset' }
  | { readonly kind: 'update'; readonly candle: WireCandle; readonly historical: boolean }
  | { readonly kind: 'none' };

function validCandle(candle: WireCandle): boolean {
  return (
    Number.isFinite(candle.time) &&
    [candle.open, candle.high, candle.low, candle.close, candle.volume].every(Number.isFinite)
  );
}

/**
 * The page's candle series: ordered by time, one candle per time, last-wins. History replaces it, older pages
 * are put before it, live updates replace the candle of their time (an older time than the newest is a historical
 * update, e.g. a REST reconcile). Pure: the chart view applies the returned change.
 */
export class CandleSeries {
  private candles: WireCandle[] = [];

  get length(): number {
    return this.candles.length;
  }

  all(): readonly WireCandle[] {
    return this.candles;
  }

  first(): WireCandle | undefined {
    return this.candles[0];
  }

  last(): WireCandle | undefined {
    return this.candles[this.candles.length - 1];
  }

  /** Replaces everything (a new selection's history). */
  reset(candles: readonly WireCandle[]): SeriesChange {
    const byTime = new Map<number, WireCandle>();
    for (const candle of candles) if (validCandle(candle)) byTime.set(candle.time, candle);
    this.candles = [...byTime.values()].sort((a, b) => a.time - b.time);
    return { kind: 'reset' };
  }

  /** Older candles: only those before the first one held are taken. Returns how many were added. */
  prepend(candles: readonly WireCandle[]): number {
    const first = this.first()?.time ?? Number.POSITIVE_INFINITY;
    const older = new Map<number, WireCandle>();
    for (const candle of candles) if (validCandle(candle) && candle.time < first) older.set(candle.time, candle);
    const sorted = [...older.values()].sort((a, b) => a.time - b.time);
    this.candles = [...sorted, ...this.candles];
    return sorted.length;
  }

  /** One live candle, last-wins for its time. */
  upsert(candle: WireCandle): SeriesChange {
    if (!validCandle(candle)) return { kind: 'none' };
    const last = this.last();
    if (last === undefined || candle.time > last.time) {
      this.candles.push(candle);
      return { kind: 'update', candle, historical: false };
    }
    const index = this.indexOf(candle.time);
    if (index >= 0) {
      this.candles[index] = candle;
      return { kind: 'update', candle, historical: index !== this.candles.length - 1 };
    }
    // A time inside the series that it lacks (a period without trades, now filled by a reconcile).
    const at = -index - 1;
    this.candles.splice(at, 0, candle);
    return { kind: 'reset' };
  }

  /** Binary search: the index of `time`, or `-(insertion point) - 1`. */
  private indexOf(time: number): number {
    let low = 0;
    let high = this.candles.length - 1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const at = this.candles[middle]?.time ?? 0;
      if (at === time) return middle;
      if (at < time) low = middle + 1;
      else high = middle - 1;
    }
    return -low - 1;
  }
}
