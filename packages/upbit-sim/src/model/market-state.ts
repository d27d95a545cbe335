import { DAY_MS, dashedDateUtc, MINUTE_MS, utcDayIndex } from '../format/time-text.js';
import { type LiveCandle, LiveCandles } from './live-candles.js';
import type { BookTop, MarketInfo, PriceChange, SimMarketState, TradeRecord, TradeSide } from './market-types.js';

const WINDOW_MINUTES = 1440;
const TRADE_HISTORY = 500;

/** The figures a market starts from (one row of the generated seed data). */
export interface MarketSeed {
  readonly tradePrice: number;
  readonly openingPrice: number;
  readonly highPrice: number;
  readonly lowPrice: number;
  readonly prevClosingPrice: number;
  readonly volume24h: number;
  readonly turnover24h: number;
  readonly highest52WeekPrice: number;
  readonly highest52WeekDate: string;
  readonly lowest52WeekPrice: number;
  readonly lowest52WeekDate: string;
}

/** A day that finished while the simulator ran (a day candle of real simulated trades). */
export interface CompletedDay {
  readonly dayIndex: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly prevClose: number;
  readonly volume: number;
  readonly turnover: number;
  readonly lastTradeTimestamp: number;
}

export function changeOf(price: number, prevClose: number): PriceChange {
  return price > prevClose ? 'RISE' : price < prevClose ? 'FALL' : 'EVEN';
}

/**
 * The mutable state of one market: last trade, daily (00:00 UTC) and rolling 24h figures, 52-week range, recent
 * trades, live minute candles and the top of the book. Every read goes through `roll(now)` first so that day
 * rollover and the 24h window are applied at the instant of the read.
 */
export class MarketState {
  readonly info: MarketInfo;
  readonly index: number;
  readonly seed: MarketSeed;
  /** Average trades per second (after tradeRateScale). */
  tradesPerSecond: number;
  /** The tradeRateScale applied to `tradesPerSecond` (history uses the unscaled rate). */
  rateScale = 1;
  /** Book-only changes per second. */
  quotesPerSecond: number;
  /** Log-price standard deviation per trade. */
  sigmaPerTrade: number;
  /** Average traded value per trade, quote currency. */
  notionalPerTrade: number;
  spreadTicks: number;
  /** Levels present on each side (the rest are zero slots, as thin real books are padded). */
  askDepth = 30;
  bidDepth = 30;
  /** Phase of the 100 ms book publication grid, ms. */
  bookPhaseMs: number;
  frozen = false;

  // Last trade and day figures.
  price: number;
  prevClose: number;
  open: number;
  high: number;
  low: number;
  /** False after a rollover until the day's first trade sets the opening price. */
  openedToday = true;
  dayIndex: number;
  accVolume: number;
  accTurnover: number;
  accAskVolume: number;
  accBidVolume: number;
  high52: number;
  high52Date: string;
  low52: number;
  low52Date: string;
  /** Fair (mid) price the walk moves; trades happen at the best bid or ask around it. */
  fair: number;

  // Rolling 24h window: per-minute buckets.
  private readonly volumeBuckets = new Float64Array(WINDOW_MINUTES);
  private readonly turnoverBuckets = new Float64Array(WINDOW_MINUTES);
  private bucketMinute: number;
  volume24h = 0;
  turnover24h = 0;

  lastTrade: TradeRecord | undefined;
  private readonly trades: TradeRecord[] = [];
  private tradeHead = 0;
  seq = 0;
  tickerTimestamp: number;
  readonly candles = new LiveCandles();
  readonly completedDays = new Map<number, CompletedDay>();

  // Book.
  bestBid: number;
  bestAsk: number;
  bestBidSize: number;
  bestAskSize: number;
  bookTimestamp: number;
  /** Bumped on every book change; serializers cache by it. */
  bookVersion = 0;
  /** The book as last published (REST and WebSocket serve this one, with `bookTimestamp`). */
  publishedTop: BookTop;
  bookPublishPending = false;

  constructor(info: MarketInfo, index: number, seed: MarketSeed, startWall: number) {
    this.info = info;
    this.index = index;
    this.seed = seed;
    this.tradesPerSecond = 0;
    this.quotesPerSecond = 0;
    this.sigmaPerTrade = 0;
    this.notionalPerTrade = 0;
    this.spreadTicks = 1;
    this.bookPhaseMs = 0;
    this.price = seed.tradePrice;
    this.fair = seed.tradePrice;
    this.prevClose = seed.prevClosingPrice;
    this.open = seed.openingPrice;
    this.high = Math.max(seed.highPrice, seed.tradePrice);
    this.low = Math.min(seed.lowPrice, seed.tradePrice);
    this.dayIndex = utcDayIndex(startWall);
    // The 24h window starts evenly filled with the recorded 24h figures; today's totals are the share of it
    // since 00:00 UTC, so acc_* <= acc_*_24h holds from the first read.
    const perMinuteVolume = seed.volume24h / WINDOW_MINUTES;
    const perMinuteTurnover = seed.turnover24h / WINDOW_MINUTES;
    this.volumeBuckets.fill(perMinuteVolume);
    this.turnoverBuckets.fill(perMinuteTurnover);
    this.volume24h = seed.volume24h;
    this.turnover24h = seed.turnover24h;
    this.bucketMinute = Math.floor(startWall / MINUTE_MS);
    const dayShare = (startWall - this.dayIndex * DAY_MS) / DAY_MS;
    this.accVolume = seed.volume24h * dayShare;
    this.accTurnover = seed.turnover24h * dayShare;
    this.accAskVolume = this.accVolume * 0.5;
    this.accBidVolume = this.accVolume - this.accAskVolume;
    this.high52 = Math.max(seed.highest52WeekPrice, this.high);
    this.high52Date = seed.highest52WeekDate;
    this.low52 = Math.min(seed.lowest52WeekPrice, this.low);
    this.low52Date = seed.lowest52WeekDate;
    this.tickerTimestamp = startWall;
    this.bestBid = seed.tradePrice;
    this.bestAsk = seed.tradePrice;
    this.bestBidSize = 0;
    this.bestAskSize = 0;
    this.bookTimestamp = startWall;
    this.publishedTop = {
      version: 0,
      bestBid: this.bestBid,
      bestAsk: this.bestAsk,
      bestBidSize: 0,
      bestAskSize: 0,
      fair: this.fair,
    };
  }

  /** Applies day rollover (00:00 UTC) and expires 24h buckets up to `now`. Idempotent for the same instant. */
  roll(now: number): void {
    const day = utcDayIndex(now);
    if (day > this.dayIndex) this.rollover(day);
    const minute = Math.floor(now / MINUTE_MS);
    if (minute > this.bucketMinute) {
      const steps = Math.min(minute - this.bucketMinute, WINDOW_MINUTES);
      for (let i = 1; i <= steps; i++) {
        const slot = (this.bucketMinute + i) % WINDOW_MINUTES;
        this.volume24h -= this.volumeBuckets[slot] ?? 0;
        this.turnover24h -= this.turnoverBuckets[slot] ?? 0;
        this.volumeBuckets[slot] = 0;
        this.turnoverBuckets[slot] = 0;
      }
      if (this.volume24h < 1e-9) this.volume24h = 0;
      if (this.turnover24h < 1e-9) this.turnover24h = 0;
      this.bucketMinute = minute;
    }
  }

  private rollover(day: number): void {
    const last = this.lastTrade;
    if (this.openedToday && last !== undefined && utcDayIndex(last.tradeTimestamp) === this.dayIndex) {
      this.completedDays.set(this.dayIndex, {
        dayIndex: this.dayIndex,
        open: this.open,
        high: this.high,
        low: this.low,
        close: this.price,
        prevClose: this.prevClose,
        volume: this.accVolume,
        turnover: this.accTurnover,
        lastTradeTimestamp: last.tradeTimestamp,
      });
    }
    this.dayIndex = day;
    this.prevClose = this.price;
    // Until the day's first trade, Upbit's opening/high/low are not on record; the previous close stands in.
    this.open = this.price;
    this.high = this.price;
    this.low = this.price;
    this.openedToday = false;
    this.accVolume = 0;
    this.accTurnover = 0;
    this.accAskVolume = 0;
    this.accBidVolume = 0;
  }

  /** Records a trade. The caller has rolled the state to `timestamp` and set the book's best quotes. */
  applyTrade(side: TradeSide, price: number, volume: number, tradeTimestamp: number, timestamp: number): TradeRecord {
    const turnover = price * volume;
    if (!this.openedToday) {
      this.open = price;
      this.high = price;
      this.low = price;
      this.openedToday = true;
    }
    this.price = price;
    if (price > this.high) this.high = price;
    if (price < this.low) this.low = price;
    if (price > this.high52) {
      this.high52 = price;
      this.high52Date = dashedDateUtc(tradeTimestamp);
    }
    if (price < this.low52) {
      this.low52 = price;
      this.low52Date = dashedDateUtc(tradeTimestamp);
    }
    this.accVolume += volume;
    this.accTurnover += turnover;
    if (side === 'ASK') this.accAskVolume += volume;
    else this.accBidVolume += volume;
    const slot = this.bucketMinute % WINDOW_MINUTES;
    this.volumeBuckets[slot] = (this.volumeBuckets[slot] ?? 0) + volume;
    this.turnoverBuckets[slot] = (this.turnoverBuckets[slot] ?? 0) + turnover;
    this.volume24h += volume;
    this.turnover24h += turnover;
    this.candles.add(tradeTimestamp, price, volume, turnover);

    this.seq++;
    const change = changeOf(price, this.prevClose);
    const trade: TradeRecord = {
      seq: this.seq,
      sequentialId: sequentialIdOf(tradeTimestamp, this.seq),
      price,
      volume,
      side,
      tradeTimestamp,
      timestamp,
      prevClose: this.prevClose,
      change,
      changePrice: Math.abs(price - this.prevClose),
      bestAskPrice: this.bestAsk,
      bestAskSize: this.bestAskSize,
      bestBidPrice: this.bestBid,
      bestBidSize: this.bestBidSize,
    };
    this.pushTrade(trade);
    this.tickerTimestamp = timestamp;
    return trade;
  }

  /** Adds a trade from before the simulation started (history only: day and 24h figures already include it). */
  addHistoricTrade(side: TradeSide, price: number, volume: number, tradeTimestamp: number): TradeRecord {
    this.seq++;
    const change = changeOf(price, this.prevClose);
    const trade: TradeRecord = {
      seq: this.seq,
      sequentialId: sequentialIdOf(tradeTimestamp, this.seq),
      price,
      volume,
      side,
      tradeTimestamp,
      timestamp: tradeTimestamp,
      prevClose: this.prevClose,
      change,
      changePrice: Math.abs(price - this.prevClose),
      bestAskPrice: side === 'BID' ? price : this.bestAsk,
      bestAskSize: this.bestAskSize,
      bestBidPrice: side === 'ASK' ? price : this.bestBid,
      bestBidSize: this.bestBidSize,
    };
    this.pushTrade(trade);
    return trade;
  }

  private pushTrade(trade: TradeRecord): void {
    if (this.trades.length < TRADE_HISTORY) this.trades.push(trade);
    else {
      this.trades[this.tradeHead] = trade;
      this.tradeHead = (this.tradeHead + 1) % TRADE_HISTORY;
    }
    this.lastTrade = trade;
  }

  /** Recent trades, newest first. */
  recentTrades(): TradeRecord[] {
    const out: TradeRecord[] = [];
    const n = this.trades.length;
    for (let i = 0; i < n; i++) {
      const trade = this.trades[(this.tradeHead - 1 - i + 2 * n) % n];
      if (trade !== undefined) out.push(trade);
    }
    return out;
  }

  get change(): PriceChange {
    return changeOf(this.price, this.prevClose);
  }

  /** The live candle of a minute, if any trade happened in it. */
  liveMinute(minute: number): LiveCandle | undefined {
    return this.candles.get(minute);
  }

  view(): SimMarketState {
    const last = this.lastTrade;
    return {
      code: this.info.code,
      tradePrice: this.price,
      openingPrice: this.open,
      highPrice: this.high,
      lowPrice: this.low,
      prevClosingPrice: this.prevClose,
      change: this.change,
      accTradeVolume: this.accVolume,
      accTradePrice: this.accTurnover,
      accTradeVolume24h: this.volume24h,
      accTradePrice24h: this.turnover24h,
      tradeTimestamp: last?.tradeTimestamp ?? this.tickerTimestamp,
      tickerTimestamp: this.tickerTimestamp,
      lastTradeSeq: this.seq,
      lastSequentialId: last?.sequentialId ?? '0',
      bestAskPrice: this.bestAsk,
      bestBidPrice: this.bestBid,
      tradesPerSecond: this.tradesPerSecond,
      frozen: this.frozen,
    };
  }
}

/** `trade_timestamp * 10000 + seq % 10000`, written as digits (it exceeds 2^53). */
export function sequentialIdOf(tradeTimestamp: number, seq: number): string {
  const low = seq % 10000;
  return `${tradeTimestamp}${low < 10 ? '000' : low < 100 ? '00' : low < 1000 ? '0' : ''}${low}`;
}
