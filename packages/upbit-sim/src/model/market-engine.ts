import { type Clock, createSeededRandom, type Random, type TimerHandle } from '@marketdata/domain';
import { configError } from '../config-error.js';
import { MARKET_SEED_ROWS } from '../data/markets.js';
import { DAY_MS } from '../format/time-text.js';
import { CandleHistory } from './candle-history.js';
import { EventHeap, type EventKind } from './event-heap.js';
import { crossRate, krwRate, seedOf } from './market-rates.js';
import { MarketState } from './market-state.js';
import type { MarketStatusPatch } from './market-status.js';
import type { TradeRecord, TradeSide } from './market-types.js';
import { placeTopOfBook, sizeAround, topOf } from './order-book.js';
import { exponentialGap, mixSeed, normal } from './random-tools.js';
import { seedTrades } from './seed-trades.js';
import { roundToTick, stepTicks } from './tick-size.js';

const TRADE: EventKind = 0;
const QUOTE: EventKind = 1;
const PUBLISH: EventKind = 2;
/** Busy Upbit books publish on a 100 ms grid with a per-market phase (2026-09 probe). */
const BOOK_GRID_MS = 100;
/** At most this many events per timer callback, so a backlog never starves the event loop (and socket I/O). */
const MAX_EVENTS_PER_RUN = 4_000;
/** The listener flushes (uncorks sockets) after this many events, keeping write buffers small. */
const FLUSH_EVERY = 256;

export interface MarketListener {
  /** A trade happened; the ticker changed with it. */
  onTrade(market: MarketState, trade: TradeRecord): void;
  /** The book changed and is published (on the market's 100 ms grid). */
  onBook(market: MarketState): void;
  /** Called once after each batch of events (lets the listener flush). */
  onBatchEnd?(): void;
}

export interface MarketEngineOptions {
  readonly seed: number;
  readonly clock: Clock;
  readonly markets?: readonly string[] | undefined;
  readonly tradeRateScale?: number | undefined;
}

/**
 * The simulated market: every market's state, moved by a seeded random walk on Upbit's tick sizes. One timer
 * drives all markets from a heap of scheduled events (trades, book-only changes, book publications), and
 * all time comes from the injected clock.
 */
export class MarketEngine {
  readonly markets: readonly MarketState[];
  readonly history: CandleHistory;
  readonly seed: number;
  private readonly byCode = new Map<string, MarketState>();
  private readonly clock: Clock;
  private readonly random: Random;
  private readonly heap = new EventHeap();
  private timer: TimerHandle | undefined;
  private timerDue = Number.POSITIVE_INFINITY;
  private running = false;
  private inRun = false;
  private listener: MarketListener | undefined;

  constructor(options: MarketEngineOptions) {
    this.seed = options.seed;
    this.clock = options.clock;
    this.random = createSeededRandom(mixSeed(options.seed, 1));
    const startWall = Math.floor(this.clock.now());
    const scale = options.tradeRateScale ?? 1;
    if (!(scale >= 0) || !Number.isFinite(scale))
      throw configError('tradeRateScale', `tradeRateScale must be >= 0, got ${scale}`);
    const wanted = options.markets === undefined ? undefined : new Set(options.markets);
    if (wanted !== undefined) {
      const known = new Set(MARKET_SEED_ROWS.map((row) => row[0]));
      const unknown = [...wanted].filter((code) => !known.has(code));
      if (unknown.length > 0) throw configError('markets', `Unknown simulator markets: ${unknown.join(', ')}`);
    }
    const krwCount = MARKET_SEED_ROWS.filter((row) => row[0].startsWith('KRW-')).length;
    const rateRandom = createSeededRandom(mixSeed(options.seed, 2));
    const markets: MarketState[] = [];
    let krwRank = 0;
    for (const row of MARKET_SEED_ROWS) {
      const code = row[0];
      const isKrw = code.startsWith('KRW-');
      const baseRate = isKrw ? krwRate(krwRank++, krwCount) : crossRate(code, rateRandom);
      if (wanted !== undefined && !wanted.has(code)) continue;
      const [quote = '', base = ''] = code.split('-');
      const market = new MarketState(
        { code, quote, base, koreanName: row[1], englishName: row[2], warning: row[3], cautions: row[4] },
        markets.length,
        seedOf(row),
        startWall,
      );
      this.configure(market, baseRate, scale);
      markets.push(market);
      this.byCode.set(code, market);
    }
    this.markets = markets;
    this.history = new CandleHistory(options.seed, startWall);
    for (const market of markets) {
      seedTrades(market, this.seed, startWall, (m, price, random) => this.volumeFor(m, price, random));
    }
  }

  private configure(market: MarketState, baseRate: number, scale: number): void {
    const seed = market.seed;
    market.rateScale = scale;
    market.tradesPerSecond = baseRate * scale;
    market.quotesPerSecond = Math.max(baseRate, 1 / 20) * scale;
    const dailySigma = Math.max(0.005, Math.log(seed.highPrice / Math.max(seed.lowPrice, 1e-12)) / 2);
    market.sigmaPerTrade = dailySigma / Math.sqrt(Math.max(baseRate * 86_400, 1));
    market.notionalPerTrade = seed.turnover24h / Math.max(baseRate * 86_400, 1);
    market.spreadTicks = baseRate >= 1 ? 1 : 1 + Math.floor(this.random.next() * 3);
    market.bookPhaseMs = Math.floor(this.random.next() * BOOK_GRID_MS);
    if (market.info.quote === 'BTC') market.bidDepth = 18 + Math.floor(this.random.next() * 13);
    market.price = roundToTick(market.info.code, seed.tradePrice);
    market.fair = market.price;
  }

  private volumeFor(market: MarketState, price: number, random: Random): number {
    const volume = (market.notionalPerTrade / Math.max(price, 1e-12)) * Math.exp(1.2 * normal(random) - 0.72);
    return Math.max(0.00000001, Math.round(volume * 1e8) / 1e8);
  }

  setListener(listener: MarketListener | undefined): void {
    this.listener = listener;
  }

  get(code: string): MarketState | undefined {
    return this.byCode.get(code);
  }

  codes(): readonly string[] {
    return this.markets.map((market) => market.info.code);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    const now = this.clock.monotonic();
    for (const market of this.markets) {
      this.scheduleNext(market, TRADE, now);
      this.scheduleNext(market, QUOTE, now);
    }
    this.arm();
  }

  stop(): void {
    this.running = false;
    this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.timerDue = Number.POSITIVE_INFINITY;
  }

  freeze(code: string, frozen: boolean): void {
    const market = this.require(code);
    market.frozen = frozen;
  }

  /** Changes a market's listing status (a market that is suspended or not ACTIVE stops trading). */
  setStatus(code: string, patch: MarketStatusPatch): MarketState {
    const market = this.require(code);
    market.roll(this.clock.now());
    market.setStatus(patch);
    return market;
  }

  /** Trades right now at `ratio` times the last price (on the tick grid), e.g. 1.05 for +5%. */
  jumpPrice(code: string, ratio: number): TradeRecord {
    if (!(ratio > 0) || !Number.isFinite(ratio))
      throw configError('jumpPrice', `jumpPrice ratio must be > 0, got ${ratio}`);
    const market = this.require(code);
    const wall = Math.floor(this.clock.now());
    market.roll(wall);
    const target = roundToTick(code, market.price * ratio);
    market.fair = target;
    const side: TradeSide = ratio >= 1 ? 'BID' : 'ASK';
    placeTopOfBook(market, this.random);
    if (side === 'BID') {
      market.bestAsk = target;
      market.bestBid = stepTicks(code, target, -market.spreadTicks);
    } else {
      market.bestBid = target;
      market.bestAsk = stepTicks(code, target, market.spreadTicks);
    }
    return this.trade(market, side, target, wall, this.clock.monotonic());
  }

  private require(code: string): MarketState {
    const market = this.byCode.get(code);
    if (market === undefined) throw configError('code', `Unknown simulator market: ${code}`);
    return market;
  }

  private scheduleNext(market: MarketState, kind: EventKind, from: number): void {
    const rate = kind === TRADE ? market.tradesPerSecond : market.quotesPerSecond;
    if (!(rate > 0)) return;
    this.heap.push(from + exponentialGap(this.random, rate / 1000), kind, market.index);
  }

  private schedulePublish(market: MarketState, fromMono: number): void {
    if (market.bookPublishPending) return;
    market.bookPublishPending = true;
    const phase = market.bookPhaseMs;
    const due = Math.ceil((fromMono - phase) / BOOK_GRID_MS) * BOOK_GRID_MS + phase;
    this.heap.push(due, PUBLISH, market.index);
  }

  private arm(): void {
    if (!this.running) return;
    const next = this.heap.peek();
    if (next === undefined) return;
    if (this.timer !== undefined && this.timerDue <= next.due) return;
    this.clock.clearTimeout(this.timer);
    const delay = Math.max(0, next.due - this.clock.monotonic());
    this.timerDue = next.due;
    this.timer = this.clock.setTimeout(this.run, delay);
  }

  private readonly run = (): void => {
    this.timer = undefined;
    this.timerDue = Number.POSITIVE_INFINITY;
    if (!this.running) return;
    const nowMono = this.clock.monotonic();
    const nowWall = this.clock.now();
    let processed = 0;
    this.inRun = true;
    for (let event = this.heap.peek(); event !== undefined && event.due <= nowMono; event = this.heap.peek()) {
      if (processed++ >= MAX_EVENTS_PER_RUN) break;
      if (processed % FLUSH_EVERY === 0) this.listener?.onBatchEnd?.();
      this.heap.pop();
      const market = this.markets[event.market];
      if (market === undefined) continue;
      const wall = Math.floor(nowWall - (nowMono - event.due));
      if (event.kind === TRADE) this.onTradeEvent(market, wall, event.due);
      else if (event.kind === QUOTE) this.onQuoteEvent(market, wall, event.due);
      else this.onPublishEvent(market, wall);
    }
    this.inRun = false;
    this.listener?.onBatchEnd?.();
    this.arm();
  };

  private onTradeEvent(market: MarketState, wall: number, dueMono: number): void {
    this.scheduleNext(market, TRADE, dueMono);
    if (!market.trading) return;
    market.roll(wall);
    const anchor = market.seed.tradePrice;
    // A random walk with a faint pull back to the recorded price, so long runs stay in a realistic range.
    const pull = -0.0005 * Math.log(market.fair / anchor);
    market.fair *= Math.exp(market.sigmaPerTrade * normal(this.random) + pull);
    placeTopOfBook(market, this.random);
    const side: TradeSide = this.random.next() < 0.5 ? 'BID' : 'ASK';
    const price = side === 'BID' ? market.bestAsk : market.bestBid;
    this.trade(market, side, price, wall, dueMono);
  }

  private trade(market: MarketState, side: TradeSide, price: number, wall: number, dueMono: number): TradeRecord {
    const previous = market.lastTrade?.tradeTimestamp ?? 0;
    // A few ms before publication, but never before 00:00 UTC of the publishing day: the trade counts in the day
    // the market state rolled to, so day figures and trade-time candles agree.
    const dayStart = Math.floor(wall / DAY_MS) * DAY_MS;
    const tradeTimestamp = Math.max(previous, dayStart, wall - 1 - Math.floor(this.random.next() * 40));
    const timestamp = Math.max(wall, tradeTimestamp);
    const trade = market.applyTrade(side, price, this.volumeFor(market, price, this.random), tradeTimestamp, timestamp);
    // The taker consumed part of the touched level.
    if (side === 'BID') market.bestAskSize = sizeAround(market.bestAskSize * 2, this.random);
    else market.bestBidSize = sizeAround(market.bestBidSize * 2, this.random);
    market.bookVersion++;
    this.listener?.onTrade(market, trade);
    this.schedulePublish(market, dueMono);
    if (this.running && !this.inRun) this.arm();
    return trade;
  }

  private onQuoteEvent(market: MarketState, wall: number, dueMono: number): void {
    this.scheduleNext(market, QUOTE, dueMono);
    if (!market.trading) return;
    market.roll(wall);
    market.fair *= Math.exp(0.3 * market.sigmaPerTrade * normal(this.random));
    placeTopOfBook(market, this.random);
    market.bookVersion++;
    this.schedulePublish(market, dueMono);
  }

  private onPublishEvent(market: MarketState, wall: number): void {
    market.bookPublishPending = false;
    if (!market.trading) return;
    market.bookTimestamp = wall;
    market.publishedTop = topOf(market);
    this.listener?.onBook(market);
  }
}
