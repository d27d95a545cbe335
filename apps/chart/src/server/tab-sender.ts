import type { Clock, TimerHandle } from '@marketdata/domain';
import type {
  ServerMessage,
  WireBookLevel,
  WireCandle,
  WireFeedStatus,
  WireMarketFlags,
  WireTicker,
  WireTrade,
} from '../protocol/messages.js';

/** The part of a server-side WebSocket the sender uses. */
export interface TabSocket {
  send(text: string): void;
  /** Bytes queued in the socket, not yet written. */
  readonly bufferedAmount: number;
}

export interface TabSenderOptions {
  /** Live updates are gathered this long and sent together (conflated). Default 50 ms. */
  readonly flushMs?: number | undefined;
  /** While more than this is queued in the socket, live updates wait (and keep conflating). Default 1 MiB. */
  readonly maxBufferedBytes?: number | undefined;
  /** Trades kept for a tab that falls behind; older ones are dropped and counted. Default 200. */
  readonly maxPendingTrades?: number | undefined;
}

type Book = { readonly levels: readonly WireBookLevel[]; readonly totalAskSize: number; readonly totalBidSize: number };

/**
 * Sends one tab its messages. Answers (`hello`, `history`, `older`, `error`) go out at once, in order; live updates
 * of the current selection are conflated and sent every `flushMs`: the latest ticker, book, status and flags, the
 * latest state of each candle (last-wins per time), and the trades (at most `maxPendingTrades`, the dropped ones
 * counted in `skipped`). A slow tab thus costs bounded memory and never sees a stale update after a newer one.
 */
export class TabSender {
  private readonly flushMs: number;
  private readonly maxBufferedBytes: number;
  private readonly maxPendingTrades: number;
  private selection = -1;
  private ticker: WireTicker | undefined;
  private book: Book | undefined;
  private status: WireFeedStatus | undefined;
  private flags: WireMarketFlags | undefined;
  private readonly candles = new Map<number, WireCandle>();
  private trades: WireTrade[] = [];
  private skippedTrades = 0;
  private timer: TimerHandle | undefined;
  private closed = false;

  constructor(
    private readonly socket: TabSocket,
    private readonly clock: Clock,
    options: TabSenderOptions = {},
  ) {
    this.flushMs = options.flushMs ?? 50;
    this.maxBufferedBytes = options.maxBufferedBytes ?? 1024 * 1024;
    this.maxPendingTrades = options.maxPendingTrades ?? 200;
  }

  /** Sends at once. */
  send(message: ServerMessage): void {
    if (this.closed) return;
    this.socket.send(JSON.stringify(message));
  }

  /** A new selection: whatever is pending for the previous one is dropped. */
  select(selection: number): void {
    this.selection = selection;
    this.ticker = undefined;
    this.book = undefined;
    this.status = undefined;
    this.flags = undefined;
    this.candles.clear();
    this.trades = [];
    this.skippedTrades = 0;
  }

  setTicker(ticker: WireTicker): void {
    this.ticker = ticker;
    this.schedule();
  }

  setBook(book: Book): void {
    this.book = book;
    this.schedule();
  }

  setStatus(status: WireFeedStatus): void {
    this.status = status;
    this.schedule();
  }

  setFlags(flags: WireMarketFlags): void {
    this.flags = flags;
    this.schedule();
  }

  addCandles(candles: readonly WireCandle[]): void {
    for (const candle of candles) this.candles.set(candle.time, candle);
    if (candles.length > 0) this.schedule();
  }

  addTrades(trades: readonly WireTrade[]): void {
    this.trades.push(...trades);
    const over = this.trades.length - this.maxPendingTrades;
    if (over > 0) {
      this.trades.splice(0, over);
      this.skippedTrades += over;
    }
    if (trades.length > 0) this.schedule();
  }

  close(): void {
    this.closed = true;
    this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(): void {
    if (this.closed || this.timer !== undefined) return;
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      this.flush();
    }, this.flushMs);
  }

  /** Sends what is pending, unless the socket is still busy with earlier messages (then later). */
  flush(): void {
    if (this.closed) return;
    if (this.socket.bufferedAmount > this.maxBufferedBytes) {
      this.schedule();
      return;
    }
    const selection = this.selection;
    if (this.status !== undefined) this.send({ t: 'status', selection, status: this.status });
    if (this.flags !== undefined) this.send({ t: 'flags', selection, flags: this.flags });
    if (this.ticker !== undefined) this.send({ t: 'ticker', selection, ticker: this.ticker });
    if (this.candles.size > 0) {
      const candles = [...this.candles.values()].sort((a, b) => a.time - b.time);
      this.send({ t: 'candles', selection, candles });
    }
    if (this.book !== undefined) this.send({ t: 'book', selection, ...this.book });
    if (this.trades.length > 0 || this.skippedTrades > 0) {
      this.send({ t: 'trades', selection, trades: this.trades, skipped: this.skippedTrades });
    }
    this.status = undefined;
    this.flags = undefined;
    this.ticker = undefined;
    this.candles.clear();
    this.book = undefined;
    this.trades = [];
    this.skippedTrades = 0;
  }
}
