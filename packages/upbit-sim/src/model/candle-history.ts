import { nextPeriodStart, periodStart } from '@marketdata/domain';
import { DAY_MS, MINUTE_MS } from '../format/time-text.js';
import { type CandleSpec, previousPeriodStart, secondsWindowStart } from './candle-periods.js';
import type { LiveCandle } from './live-candles.js';
import type { MarketState } from './market-state.js';
import { SyntheticHistory } from './synthetic-history.js';

/** One candle, whichever unit. `start` is the candle's UTC start, epoch ms. */
export interface CandleRow {
  readonly start: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
  readonly turnover: number;
  /** Candle `timestamp`: the last trade in the candle. */
  readonly lastTradeTimestamp: number;
  /** Day candles only: the previous day's close (0 for other units). */
  readonly prevClose: number;
}

/** Synthetic history reaches this many days before the start (older periods have no candles). */
const MAX_HISTORY_DAYS = 800;
/** A minute-candle query looks this far back for candles (a quiet market may have long gaps). */
const MAX_SCAN_MINUTES = 60 * 1440;

/**
 * Candles of every unit. From the simulator's first recorded trade on (the seeded pre-start trades included),
 * every candle is the aggregate of the simulator's own trades (seconds and minutes from trade buckets, days from
 * the day's running figures, weeks/months/years from days), so a client that aggregates the trades it was sent
 * gets the same candles. Before that, candles are synthetic (see SyntheticHistory); the start day's day candle
 * carries the recorded day figures the market started from.
 */
export class CandleHistory {
  readonly synthetic: SyntheticHistory;
  private readonly startDay: number;
  private readonly startMinute: number;

  constructor(seed: number, startWall: number) {
    this.startDay = Math.floor(startWall / DAY_MS);
    this.startMinute = Math.floor(startWall / MINUTE_MS);
    this.synthetic = new SyntheticHistory(seed, this.startDay, this.startMinute);
  }

  /**
   * Candles newest first: periods that started before `to` (exclusive; default: now) and by `now`, at most
   * `count`. Seconds candles only within the last three months (documented): an older `to` gives [].
   */
  candles(market: MarketState, spec: CandleSpec, to: number | undefined, count: number, now: number): CandleRow[] {
    const end = to === undefined ? now + 1 : Math.min(to, now + 1);
    if (spec.unit === 'seconds') {
      const from = secondsWindowStart(now);
      if (end <= from) return [];
      return market.candles.secondsNewestFirst(from, end, count).map(liveRow);
    }
    const out: CandleRow[] = [];
    const oldest = this.oldestStart(spec, end - 1);
    for (let start = periodStart(spec, end - 1); start >= oldest && out.length < count; ) {
      const row = this.rowAt(market, spec, start, now);
      if (row !== undefined) out.push(row);
      start = previousPeriodStart(spec, start);
    }
    return out;
  }

  /** Every candle with `from <= start < to`, oldest first (the simulator's truth, for tests). */
  between(market: MarketState, spec: CandleSpec, from: number, to: number, now: number): CandleRow[] {
    const end = Math.min(to, now + 1);
    if (end <= from) return [];
    if (spec.unit === 'seconds') {
      return market.candles.secondsNewestFirst(from, end, Number.POSITIVE_INFINITY).map(liveRow).reverse();
    }
    const out: CandleRow[] = [];
    for (let start = periodStart(spec, from); start < end; start = nextPeriodStart(spec, start)) {
      if (start < from) continue;
      const row = this.rowAt(market, spec, start, now);
      if (row !== undefined) out.push(row);
    }
    return out;
  }

  /** The candle of the period starting at `start` (as far as `now`), if it has a trade. */
  rowAt(market: MarketState, spec: CandleSpec, start: number, now: number): CandleRow | undefined {
    switch (spec.unit) {
      case 'seconds':
        return market.candles.secondsNewestFirst(start, start + 1000, 1).map(liveRow)[0];
      case 'minutes':
        return this.minuteRow(market, start / MINUTE_MS, spec.size, Math.floor(now / MINUTE_MS));
      case 'days':
        return this.dayRow(market, start / DAY_MS);
      default:
        return this.periodRow(market, start, nextPeriodStart(spec, start), now);
    }
  }

  private oldestStart(spec: CandleSpec, last: number): number {
    const earliestDay = (this.startDay - MAX_HISTORY_DAYS) * DAY_MS;
    if (spec.unit === 'minutes') return Math.max(earliestDay, last - MAX_SCAN_MINUTES * MINUTE_MS);
    return periodStart(spec, earliestDay);
  }

  private liveFromMinute(market: MarketState): number {
    const first = market.firstTradeTimestamp;
    return first === undefined ? this.startMinute : Math.min(this.startMinute, Math.floor(first / MINUTE_MS));
  }

  private minuteRow(market: MarketState, slot: number, unit: number, nowMinute: number): CandleRow | undefined {
    const liveFrom = this.liveFromMinute(market);
    let row: Mutable<CandleRow> | undefined;
    const end = Math.min(slot + unit - 1, nowMinute);
    for (let minute = slot; minute <= end; minute++) {
      const c = minute >= liveFrom ? market.candles.minute(minute) : this.synthetic.minute(market, minute);
      if (c === undefined) continue;
      if (row === undefined) row = { ...liveRow(c), start: slot * MINUTE_MS };
      else merge(row, c);
    }
    return row;
  }

  private dayRow(market: MarketState, day: number): CandleRow | undefined {
    if (day < this.startDay - MAX_HISTORY_DAYS) return undefined;
    const start = day * DAY_MS;
    if (day === market.dayIndex) {
      const last = market.lastTrade;
      if (!market.openedToday || last === undefined) return undefined;
      return {
        start,
        open: market.open,
        high: market.high,
        low: market.low,
        close: market.price,
        volume: market.accVolume,
        turnover: market.accTurnover,
        lastTradeTimestamp: last.tradeTimestamp,
        prevClose: market.prevClose,
      };
    }
    if (day > market.dayIndex) return undefined;
    if (day >= this.startDay) {
      const done = market.completedDays.get(day);
      return done === undefined ? undefined : { ...done, start };
    }
    const bar = this.synthetic.dayBar(market, day);
    return {
      start,
      open: bar.open,
      high: bar.high,
      low: bar.low,
      close: bar.close,
      volume: bar.volume,
      turnover: Number((bar.volume * (bar.open + bar.close) * 0.5).toFixed(8)),
      lastTradeTimestamp: this.synthetic.dayLastTradeTimestamp(market, day),
      prevClose: this.synthetic.dayBar(market, day - 1).close,
    };
  }

  /** Weeks, months and years: the aggregate of their day candles. */
  private periodRow(market: MarketState, start: number, next: number, now: number): CandleRow | undefined {
    let row: Mutable<CandleRow> | undefined;
    const lastDay = Math.min(next / DAY_MS - 1, Math.floor(now / DAY_MS));
    for (let day = start / DAY_MS; day <= lastDay; day++) {
      const c = this.dayRow(market, day);
      if (c === undefined) continue;
      if (row === undefined) row = { ...c, start, prevClose: 0 };
      else merge(row, c);
    }
    return row;
  }
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function liveRow(c: LiveCandle): CandleRow {
  return { ...c, prevClose: 0 };
}

function merge(row: Mutable<CandleRow>, c: LiveCandle): void {
  if (c.high > row.high) row.high = c.high;
  if (c.low < row.low) row.low = c.low;
  row.close = c.close;
  row.volume += c.volume;
  row.turnover += c.turnover;
  row.lastTradeTimestamp = c.lastTradeTimestamp;
}
