import { createSeededRandom } from '@marketdata/domain';
import { DAY_MS, MINUTE_MS } from '../format/time-text.js';
import type { MarketState } from './market-state.js';
import { mixSeed, normal } from './random-tools.js';
import { roundToTick } from './tick-size.js';

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
  /** Day candles only: the previous day's close. */
  readonly prevClose: number;
}

interface DayBar {
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
}

const MAX_HISTORY_DAYS = 800;
const MAX_SCAN_MINUTES = 60 * 1440;
const PATH_CACHE = 256;

/**
 * Candles: live ones from the simulator's own trades since it started, synthetic ones before that. The synthetic
 * history is deterministic per seed: days walk back from the recorded previous close, and each day's minutes
 * are a Brownian bridge from that day's open to its close, kept inside its high/low. Minutes without a trade
 * have no candle, as on Upbit. Synthetic volumes are not reconciled with the day totals.
 */
export class CandleHistory {
  private readonly startMinute: number;
  private readonly startDay: number;
  private readonly dayBars = new Map<number, DayBar[]>();
  private readonly paths = new Map<string, Float64Array>();

  constructor(
    private readonly seed: number,
    startWall: number,
  ) {
    this.startMinute = Math.floor(startWall / MINUTE_MS);
    this.startDay = Math.floor(startWall / DAY_MS);
  }

  /** Candles of `unit` minutes, newest first, with start < `to` (or up to now), at most `count`. */
  minuteCandles(market: MarketState, unit: number, to: number | undefined, count: number, now: number): CandleRow[] {
    const nowMinute = Math.floor(now / MINUTE_MS);
    const lastMinute = to === undefined ? nowMinute : Math.min(nowMinute, Math.floor((to - 1) / MINUTE_MS));
    const oldest = Math.max(lastMinute - MAX_SCAN_MINUTES, (this.startDay - MAX_HISTORY_DAYS) * 1440);
    const out: CandleRow[] = [];
    for (let slot = Math.floor(lastMinute / unit) * unit; slot >= oldest && out.length < count; slot -= unit) {
      const row = this.aggregate(market, slot, unit, lastMinute);
      if (row !== undefined) out.push(row);
    }
    return out;
  }

  /** Day candles (00:00 UTC), newest first, with start < `to` (or up to now), at most `count`. */
  dayCandles(market: MarketState, to: number | undefined, count: number, now: number): CandleRow[] {
    const today = Math.floor(now / DAY_MS);
    const lastDay = to === undefined ? today : Math.min(today, Math.floor((to - 1) / DAY_MS));
    const out: CandleRow[] = [];
    for (let day = lastDay; day >= this.startDay - MAX_HISTORY_DAYS && out.length < count; day--) {
      const row = this.dayCandle(market, day);
      if (row !== undefined) out.push(row);
    }
    return out;
  }

  private dayCandle(market: MarketState, day: number): CandleRow | undefined {
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
    if (day >= this.startDay) {
      const done = market.completedDays.get(day);
      if (done === undefined) return undefined;
      return {
        start,
        open: done.open,
        high: done.high,
        low: done.low,
        close: done.close,
        volume: done.volume,
        turnover: done.turnover,
        lastTradeTimestamp: done.lastTradeTimestamp,
        prevClose: done.prevClose,
      };
    }
    const bar = this.dayBar(market, day);
    const before = this.dayBar(market, day - 1);
    const random = createSeededRandom(mixSeed(this.seed, market.index, day, 11));
    return {
      start,
      open: bar.open,
      high: bar.high,
      low: bar.low,
      close: bar.close,
      volume: bar.volume,
      turnover: Number((bar.volume * (bar.open + bar.close) * 0.5).toFixed(8)),
      lastTradeTimestamp: start + DAY_MS - 1 - Math.floor(random.next() * 600_000),
      prevClose: before.close,
    };
  }

  /** A synthetic day before the simulation's first day. */
  private dayBar(market: MarketState, day: number): DayBar {
    const back = this.startDay - 1 - day;
    let bars = this.dayBars.get(market.index);
    if (bars === undefined) {
      bars = [];
      this.dayBars.set(market.index, bars);
    }
    const code = market.info.code;
    const seed = market.seed;
    const dailySigma = Math.max(0.01, Math.log(seed.highPrice / Math.max(seed.lowPrice, 1e-12)));
    while (bars.length <= Math.max(back, 0)) {
      const k = bars.length;
      const close = k === 0 ? seed.prevClosingPrice : (bars[k - 1]?.open ?? seed.prevClosingPrice);
      const random = createSeededRandom(mixSeed(this.seed, market.index, this.startDay - 1 - k, 3));
      const open = roundToTick(code, close * Math.exp(-dailySigma * normal(random) * 0.7));
      const top = Math.max(open, close) * Math.exp(Math.abs(normal(random)) * dailySigma * 0.4);
      const bottom = Math.min(open, close) * Math.exp(-Math.abs(normal(random)) * dailySigma * 0.4);
      const volume = Number((seed.volume24h * Math.exp(0.4 * normal(random) - 0.08)).toFixed(8));
      bars.push({
        open,
        high: roundToTick(code, top, 'up'),
        low: Math.max(roundToTick(code, bottom, 'down'), 0),
        close,
        volume,
      });
    }
    const bar = bars[Math.max(back, 0)];
    if (bar === undefined) throw new Error('unreachable: day bar missing');
    return bar;
  }

  private aggregate(market: MarketState, slot: number, unit: number, lastMinute: number): CandleRow | undefined {
    let open = 0;
    let high = 0;
    let low = 0;
    let close = 0;
    let volume = 0;
    let turnover = 0;
    let lastTs = 0;
    let any = false;
    const end = Math.min(slot + unit - 1, lastMinute);
    for (let minute = slot; minute <= end; minute++) {
      const c = minute >= this.startMinute ? market.liveMinute(minute) : this.syntheticMinute(market, minute);
      if (c === undefined) continue;
      if (!any) {
        open = c.open;
        high = c.high;
        low = c.low;
        any = true;
      }
      if (c.high > high) high = c.high;
      if (c.low < low) low = c.low;
      close = c.close;
      volume += c.volume;
      turnover += c.turnover;
      lastTs = c.lastTradeTimestamp;
    }
    if (!any) return undefined;
    return {
      start: slot * MINUTE_MS,
      open,
      high,
      low,
      close,
      volume,
      turnover,
      lastTradeTimestamp: lastTs,
      prevClose: 0,
    };
  }

  private syntheticMinute(
    market: MarketState,
    minute: number,
  ):
    | {
        open: number;
        high: number;
        low: number;
        close: number;
        volume: number;
        turnover: number;
        lastTradeTimestamp: number;
      }
    | undefined {
    const day = Math.floor(minute / 1440);
    const path = this.path(market, day);
    const i = minute - day * 1440;
    const open = path[i];
    const close = path[i + 1];
    if (open === undefined || close === undefined) return undefined;
    const random = createSeededRandom(mixSeed(this.seed, market.index, minute, 7));
    const baseRate = market.tradesPerSecond / Math.max(market.rateScale, 1e-9);
    const chance = 1 - Math.exp(-baseRate * 60);
    if (random.next() >= chance) return undefined;
    const code = market.info.code;
    const sigma = Math.max(0.01, Math.log(market.seed.highPrice / Math.max(market.seed.lowPrice, 1e-12))) / 38;
    const high = roundToTick(code, Math.max(open, close) * (1 + Math.abs(normal(random)) * sigma * 0.5), 'up');
    const low = roundToTick(code, Math.min(open, close) * (1 - Math.abs(normal(random)) * sigma * 0.5), 'down');
    const price = (open + close) / 2;
    const volume = Number(
      ((market.seed.turnover24h / 1440 / chance / Math.max(price, 1e-12)) * Math.exp(normal(random) - 0.5)).toFixed(8),
    );
    return {
      open,
      high,
      low: Math.max(low, 0),
      close,
      volume,
      turnover: Number((volume * price).toFixed(8)),
      lastTradeTimestamp: minute * MINUTE_MS + Math.floor(random.next() * MINUTE_MS),
    };
  }

  /** Prices at each minute boundary of a synthetic day (a bridge from its open to its close). */
  private path(market: MarketState, day: number): Float64Array {
    const key = `${market.index}:${day}`;
    const cached = this.paths.get(key);
    if (cached !== undefined) return cached;
    const seed = market.seed;
    let open: number;
    let close: number;
    let top: number;
    let bottom: number;
    let steps: number;
    if (day === this.startDay) {
      open = seed.openingPrice;
      close = seed.tradePrice;
      top = Math.max(seed.highPrice, open, close);
      bottom = Math.min(seed.lowPrice, open, close);
      steps = this.startMinute - day * 1440;
    } else if (day < this.startDay) {
      const bar = this.dayBar(market, day);
      open = bar.open;
      close = bar.close;
      top = bar.high;
      bottom = bar.low;
      steps = 1440;
    } else {
      return new Float64Array(0);
    }
    const path = new Float64Array(steps + 1);
    const random = createSeededRandom(mixSeed(this.seed, market.index, day, 5));
    const sigma = Math.max(0.01, Math.log(seed.highPrice / Math.max(seed.lowPrice, 1e-12))) / 38;
    const walk = new Float64Array(steps + 1);
    for (let i = 1; i <= steps; i++) walk[i] = (walk[i - 1] ?? 0) + sigma * normal(random);
    const lastWalk = walk[steps] ?? 0;
    const drift = Math.log(close / Math.max(open, 1e-12));
    const code = market.info.code;
    for (let i = 0; i <= steps; i++) {
      const share = steps === 0 ? 1 : i / steps;
      const bridged = (walk[i] ?? 0) - share * lastWalk;
      const price = open * Math.exp(share * drift + bridged);
      path[i] = roundToTick(code, Math.min(top, Math.max(bottom, price)));
    }
    path[0] = open;
    path[steps] = close;
    if (this.paths.size >= PATH_CACHE) {
      const oldest = this.paths.keys().next().value;
      if (oldest !== undefined) this.paths.delete(oldest);
    }
    this.paths.set(key, path);
    return path;
  }
}
