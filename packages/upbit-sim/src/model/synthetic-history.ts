import { createSeededRandom } from '@marketdata/domain';
import { DAY_MS, MINUTE_MS } from '../format/time-text.js';
import type { LiveCandle } from './live-candles.js';
import type { MarketState } from './market-state.js';
import { mixSeed, normal } from './random-tools.js';
import { roundToTick } from './tick-size.js';

/** A synthetic day before the simulation's first day. */
export interface DayBar {
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
}

const PATH_CACHE = 256;

/**
 * History from before the simulator started, deterministic per seed: days walk back from the recorded previous
 * close, and each day's minutes are a Brownian bridge from that day's open to its close, kept inside its
 * high/low. Minutes without a trade have no candle, as on Upbit. Synthetic volumes are not reconciled with the
 * day totals, and there are no synthetic seconds (seconds candles exist only for the simulator's own trades).
 */
export class SyntheticHistory {
  private readonly dayBars = new Map<number, DayBar[]>();
  private readonly paths = new Map<string, Float64Array>();

  constructor(
    private readonly seed: number,
    /** First simulated day and minute (indexes since the epoch). */
    readonly startDay: number,
    readonly startMinute: number,
  ) {}

  /** A synthetic day bar; `day` must be before the start day. */
  dayBar(market: MarketState, day: number): DayBar {
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

  /** The synthetic last-trade time of a synthetic day. */
  dayLastTradeTimestamp(market: MarketState, day: number): number {
    const random = createSeededRandom(mixSeed(this.seed, market.index, day, 11));
    return day * DAY_MS + DAY_MS - 1 - Math.floor(random.next() * 600_000);
  }

  /** A synthetic minute (before the start minute), or undefined when no trade happened in it. */
  minute(market: MarketState, minute: number): LiveCandle | undefined {
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
      start: minute * MINUTE_MS,
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
