import type { Clock } from '@marketdata/domain';
import type { CounterBook } from '../control/counters.js';
import type { MarketEngine } from '../model/market-engine.js';
import type { MarketState } from '../model/market-state.js';
import type { TradeRecord } from '../model/market-types.js';
import { type BookLevels, buildBook } from '../model/order-book.js';
import type { Connection } from './connection.js';
import { bookText, type FormatIndex, tickerText, tradeText } from './frame-texts.js';
import type { FrameWriter } from './frame-writer.js';
import { binaryFrameOf } from './ws-frame.js';

export type StateType = 'ticker' | 'trade' | 'orderbook';

export interface StateSubscriber {
  readonly conn: Connection;
  readonly format: FormatIndex;
  /** Orderbook units (`.N` suffix) and price grouping; 30 and 0 for the other types. */
  readonly units: number;
  readonly level: number;
}

export interface StateStreamsDeps {
  readonly engine: MarketEngine;
  readonly clock: Clock;
  readonly writer: FrameWriter;
  readonly counters: CounterBook;
}

type FrameCache = ({ frame: Buffer; text: string } | undefined)[];

/**
 * The ticker, trade and orderbook streams: who subscribed to what, the snapshot on subscribe, and the fan-out
 * of each update. A frame is serialized and framed once per update and format (and book shape), and the same
 * bytes go to every subscriber.
 */
export class StateStreams {
  private readonly index: Record<StateType, Map<string, StateSubscriber[]>> = {
    ticker: new Map(),
    trade: new Map(),
    orderbook: new Map(),
  };

  constructor(private readonly deps: StateStreamsDeps) {}

  subscribe(type: StateType, market: MarketState, sub: StateSubscriber, snapshot: boolean, realtime: boolean): void {
    if (snapshot) this.sendSnapshot(type, market, sub);
    if (!realtime) return;
    const code = market.info.code;
    this.index[type].set(code, [...(this.index[type].get(code) ?? []), sub]);
  }

  unsubscribe(conn: Connection): void {
    for (const index of Object.values(this.index)) {
      for (const [code, subs] of index) {
        if (!subs.some((sub) => sub.conn === conn)) continue;
        const rest = subs.filter((sub) => sub.conn !== conn);
        if (rest.length === 0) index.delete(code);
        else index.set(code, rest);
      }
    }
  }

  private sendSnapshot(type: StateType, market: MarketState, sub: StateSubscriber): void {
    market.roll(this.deps.clock.now());
    let text: string | undefined;
    if (type === 'ticker') text = tickerText(market, sub.format, 'SNAPSHOT');
    else if (type === 'trade') {
      const last = market.lastTrade;
      if (last !== undefined) text = tradeText(market.info.code, last, sub.format, 'SNAPSHOT');
    } else {
      const book = buildBook(market, this.deps.engine.seed, sub.level);
      text = bookText(market, book, sub.units, sub.format, 'SNAPSHOT');
    }
    if (text === undefined) return;
    this.deps.writer.begin();
    if (this.deps.writer.write(sub.conn, binaryFrameOf(text), 'data', text)) {
      this.deps.counters.frames(market.info.code, 1);
    }
  }

  /** A trade: trade frames, and a ticker frame (the ticker changed with it). The caller flushes the batch. */
  onTrade(market: MarketState, trade: TradeRecord): void {
    const code = market.info.code;
    const trades = this.index.trade.get(code);
    const tickers = this.index.ticker.get(code);
    if (trades === undefined && tickers === undefined) return;
    this.deps.writer.begin();
    if (trades !== undefined) this.fanOut(code, trades, (format) => tradeText(code, trade, format, 'REALTIME'));
    if (tickers !== undefined) this.fanOut(code, tickers, (format) => tickerText(market, format, 'REALTIME'));
  }

  /** A ticker frame now (a status change; Upbit's timing for it is not on record). The caller flushes. */
  onTickerChange(market: MarketState): void {
    const tickers = this.index.ticker.get(market.info.code);
    if (tickers === undefined) return;
    market.roll(this.deps.clock.now());
    this.deps.writer.begin();
    this.fanOut(market.info.code, tickers, (format) => tickerText(market, format, 'REALTIME'));
  }

  /** A published book. The caller flushes. */
  onBook(market: MarketState): void {
    const subs = this.index.orderbook.get(market.info.code);
    if (subs === undefined) return;
    this.deps.writer.begin();
    const books = new Map<number, BookLevels>();
    const frames = new Map<string, { frame: Buffer; text: string }>();
    let sent = 0;
    for (const sub of subs) {
      const key = `${sub.format}:${sub.units}:${sub.level}`;
      let entry = frames.get(key);
      if (entry === undefined) {
        let book = books.get(sub.level);
        if (book === undefined) {
          book = buildBook(market, this.deps.engine.seed, sub.level);
          books.set(sub.level, book);
        }
        const text = bookText(market, book, sub.units, sub.format, 'REALTIME');
        entry = { frame: binaryFrameOf(text), text };
        frames.set(key, entry);
      }
      if (this.deps.writer.write(sub.conn, entry.frame, 'data', entry.text)) sent++;
    }
    if (sent > 0) this.deps.counters.frames(market.info.code, sent);
  }

  /** Sends a recorded frame as is to the subscribers of its type and code (replay). The caller flushes. */
  broadcastRaw(type: StateType, code: string, text: string): void {
    const subs = this.index[type].get(code);
    if (subs === undefined) return;
    this.deps.writer.begin();
    this.fanOut(code, subs, () => text);
  }

  private fanOut(code: string, subs: readonly StateSubscriber[], textOf: (format: FormatIndex) => string): void {
    const cache: FrameCache = [];
    let sent = 0;
    for (const sub of subs) {
      let entry = cache[sub.format];
      if (entry === undefined) {
        const text = textOf(sub.format);
        entry = { frame: binaryFrameOf(text), text };
        cache[sub.format] = entry;
      }
      if (this.deps.writer.write(sub.conn, entry.frame, 'data', entry.text)) sent++;
    }
    if (sent > 0) this.deps.counters.frames(code, sent);
  }
}
