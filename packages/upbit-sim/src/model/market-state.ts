import { DAY_MS, dashedDateUtc, utcDayIndex } from '../format/time-text.js';
import { LiveCandles } from './live-candles.js';
import { initialStatus, isTrading, type MarketStatus, type MarketStatusPatch, patchStatus } from './market-status.js';
import type { BookTop, MarketInfo, PriceChange, SimMarketState, TradeRecord, TradeSide } from './market-types.js';
import { Rolling24h } from './rolling-24h.js';
import { TradeTape } from './trade-tape.js';

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
/**
 * The mutable state of one market: last trade, daily (00:00 UTC) and rolling 24h figures, 52-week range, recent
 * trades, candle buckets, listing status and the top of the book. Every read goes through `roll(now)` first so
 * that day rollover and the 24h window are applied at the instant of the read. (Over 300 lines because it is
 * mostly the list of figures Upbit's ticker carries; the 24h window, trade tape and candle buckets have their own
 * files.)
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
  status: MarketStatus;

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

  private readonly window24h: Rolling24h;
  private readonly tape = new TradeTape();
  seq = 0;
  tickerTimestamp: number;
  /** The first trade on record (the earliest seeded one): candles from then on aggregate recorded trades. */
  firstTradeTimestamp: number | undefined;
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
    this.status = initialStatus(info.warning, info.cautions);
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
    this.window24h = new Rolling24h(seed.volume24h, seed.turnover24h, startWall);
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

  get volume24h(): number {
    return this.window24h.volume;
  }

  get turnover24h(): number {
    return this.window24h.turnover;
  }

  get lastTrade(): TradeRecord | undefined {
    return this.tape.last;
  }

  /** Whether the market trades now (not frozen by a fault, not suspended, ACTIVE). */
  get trading(): boolean {
    return !this.frozen && isTrading(this.status);
  }

  setStatus(patch: MarketStatusPatch): void {
    this.status = patchStatus(this.status, patch);
  }

  /** Applies day rollover (00:00 UTC) and expires 24h buckets up to `now`. Idempotent for the same instant. */
  roll(now: number): void {
    const day = utcDayIndex(now);
    if (day > this.dayIndex) this.rollover(day);
    this.window24h.roll(now);
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
    this.window24h.add(volume, turnover);
    const trade = this.record(side, price, volume, tradeTimestamp, timestamp, this.bestAsk, this.bestBid);
    this.tickerTimestamp = timestamp;
    return trade;
  }

  /** Adds a trade from before the simulation started (history only: day and 24h figures already include it). */
  addHistoricTrade(side: TradeSide, price: number, volume: number, tradeTimestamp: number): TradeRecord {
    const bestAsk = side === 'BID' ? price : this.bestAsk;
    const bestBid = side === 'ASK' ? price : this.bestBid;
    return this.record(side, price, volume, tradeTimestamp, tradeTimestamp, bestAsk, bestBid);
  }

  private record(
    side: TradeSide,
    price: number,
    volume: number,
    tradeTimestamp: number,
    timestamp: number,
    bestAsk: number,
    bestBid: number,
  ): TradeRecord {
    this.seq++;
    this.firstTradeTimestamp ??= tradeTimestamp;
    this.candles.add(tradeTimestamp, price, volume, price * volume);
    const trade: TradeRecord = {
      seq: this.seq,
      sequentialId: sequentialIdOf(tradeTimestamp, this.seq),
      price,
      volume,
      side,
      tradeTimestamp,
      timestamp,
      prevClose: this.prevClose,
      change: changeOf(price, this.prevClose),
      changePrice: Math.abs(price - this.prevClose),
      signedChangePrice: price - this.prevClose,
      bestAskPrice: bestAsk,
      bestAskSize: this.bestAskSize,
      bestBidPrice: bestBid,
      bestBidSize: this.bestBidSize,
    };
    this.tape.push(trade);
    return trade;
  }

  /** Recent trades, newest first. */
  recentTrades(): TradeRecord[] {
    return this.tape.newestFirst();
  }

  get change(): PriceChange {
    return changeOf(this.price, this.prevClose);
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
      status: this.status,
    };
  }
}

/** `trade_timestamp * 10000 + seq % 10000`, written as digits (it exceeds 2^53). */
export function sequentialIdOf(tradeTimestamp: number, seq: number): string {
  const low = seq % 10000;
  return `${tradeTimestamp}${low < 10 ? '000' : low < 100 ? '00' : low < 1000 ? '0' : ''}${low}`;
}
