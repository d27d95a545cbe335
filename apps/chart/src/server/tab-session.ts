import {
  type Clock,
  isDataValidationError,
  type Logger,
  type MarketCode,
  type MarketDataError,
  parseMarketCode,
  type TimerHandle,
} from '@marketdata/domain';
import type { ChartFeed } from '../feed/chart-feed.js';
import { asMarketDataError } from '../feed/errors.js';
import type { ChartInterval } from '../protocol/intervals.js';
import type { ChartMode } from '../protocol/messages.js';
import { type ClientMessage, FIRST_SCREEN_CANDLES, PROTOCOL_VERSION, type WireCandle } from '../protocol/messages.js';
import type { FeedStatusMonitor } from './feed-status.js';
import type { MarketCatalog } from './market-catalog.js';
import { parseClientMessage } from './parse-client-message.js';
import type { TabSender } from './tab-sender.js';
import { marketFlags, wireBook, wireCandle, wireMarket, wireTicker, wireTrade } from './to-wire.js';
import { candleKey, type Upstream } from './upstream.js';

/** After an upstream stream failed, a tab still looking at the market joins it again this much later. */
export const REJOIN_AFTER_MS = 5_000;

/** What every tab shares: one upstream, one market list, one status monitor. */
export interface ChartHub {
  readonly mode: ChartMode;
  readonly upstream: Upstream;
  readonly feed: ChartFeed;
  readonly catalog: MarketCatalog;
  readonly status: FeedStatusMonitor;
  readonly clock: Clock;
  readonly logger: Logger;
}

interface Selection {
  readonly id: number;
  readonly symbol: MarketCode;
  readonly interval: ChartInterval;
  readonly abort: AbortController;
  readonly leave: Array<() => void>;
  /** Live candles that came before the history was sent (the history would otherwise overwrite them). */
  pendingCandles: WireCandle[] | undefined;
  rejoin: TimerHandle | undefined;
  /** The flags last sent (JSON), so a ticker that changes nothing of them sends nothing. */
  flags: string | undefined;
}

/** One browser tab: reads its messages, joins the shared streams of its selection, sends through its TabSender. */
export class TabSession {
  private current: Selection | undefined;
  private readonly stopCatalog: () => void;
  private closed = false;

  constructor(
    private readonly hub: ChartHub,
    private readonly sender: TabSender,
  ) {
    this.sender.send({
      t: 'hello',
      version: PROTOCOL_VERSION,
      mode: hub.mode,
      markets: hub.catalog.list().map(wireMarket),
      defaultSymbol: hub.catalog.defaultSymbol() ?? 'KRW-BTC',
    });
    this.stopCatalog = hub.catalog.onChange(() => {
      const selection = this.current;
      if (selection !== undefined) this.sendFlags(selection);
    });
  }

  /** One text frame from the page. A bad one is answered with an error; the tab stays connected. */
  receive(text: string): void {
    if (this.closed) return;
    let message: ClientMessage;
    try {
      message = parseClientMessage(text);
    } catch (error) {
      const message = isDataValidationError(error) ? error.message : String(error);
      this.sender.send({ t: 'error', selection: undefined, message, hint: undefined });
      return;
    }
    if (message.t === 'select') this.select(message.selection, parseMarketCode(message.symbol), message.interval);
    else void this.older(message.selection, message.before, message.count);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.leave();
    this.stopCatalog();
    this.sender.close();
  }

  private leave(): void {
    const selection = this.current;
    if (selection === undefined) return;
    selection.abort.abort();
    this.hub.clock.clearTimeout(selection.rejoin);
    for (const leave of selection.leave.splice(0)) leave();
    this.current = undefined;
  }

  private select(id: number, symbol: MarketCode, interval: ChartInterval): void {
    this.leave();
    const selection: Selection = {
      id,
      symbol,
      interval,
      abort: new AbortController(),
      leave: [],
      pendingCandles: [],
      rejoin: undefined,
      flags: undefined,
    };
    this.current = selection;
    this.sender.select(id);
    this.sendFlags(selection);
    this.joinStreams(selection);
    void this.sendHistory(selection);
  }

  private isCurrent(selection: Selection): boolean {
    return !this.closed && this.current === selection;
  }

  private joinStreams(selection: Selection): void {
    const { upstream, status } = this.hub;
    const { symbol, interval } = selection;
    const onError = (error: MarketDataError) => this.streamFailed(selection, error);
    selection.leave.push(
      status.listen(symbol, (value) => this.sender.setStatus(value)),
      upstream.tickers.join(symbol, {
        onValue: (ticker) => {
          this.sender.setTicker(wireTicker(ticker));
          this.sendFlags(selection);
        },
        onError,
      }),
      upstream.books.join(symbol, { onValue: (book) => this.sender.setBook(wireBook(book)), onError }),
      upstream.trades.join(symbol, { onValue: (trade) => this.sender.addTrades([wireTrade(trade)]), onError }),
      upstream.candles.join(candleKey(symbol, interval), {
        onValue: (candles) => {
          const wire = candles.map(wireCandle);
          if (selection.pendingCandles !== undefined) selection.pendingCandles.push(...wire);
          else this.sender.addCandles(wire);
        },
        onError,
      }),
    );
  }

  /** The header's flags, when they changed: the market list's, joined with the latest ticker's status fields. */
  private sendFlags(selection: Selection): void {
    const flags = marketFlags(
      this.hub.catalog.get(selection.symbol),
      this.hub.upstream.tickers.latest(selection.symbol),
    );
    const text = JSON.stringify(flags);
    if (text === selection.flags) return;
    selection.flags = text;
    this.sender.setFlags(flags);
  }

  /** A shared stream failed: say so, and join everything again a little later while the tab still looks. */
  private streamFailed(selection: Selection, error: MarketDataError): void {
    if (!this.isCurrent(selection) || selection.rejoin !== undefined) return;
    this.sendError(selection.id, error);
    selection.rejoin = this.hub.clock.setTimeout(() => {
      selection.rejoin = undefined;
      if (!this.isCurrent(selection)) return;
      for (const leave of selection.leave.splice(0)) leave();
      this.joinStreams(selection);
    }, REJOIN_AFTER_MS);
  }

  private async sendHistory(selection: Selection): Promise<void> {
    try {
      const candles = await this.hub.feed.history(selection.symbol, selection.interval, {
        count: FIRST_SCREEN_CANDLES,
        signal: selection.abort.signal,
      });
      if (!this.isCurrent(selection)) return;
      this.sender.send({
        t: 'history',
        selection: selection.id,
        symbol: selection.symbol,
        interval: selection.interval,
        candles: candles.map(wireCandle),
      });
    } catch (error) {
      if (!this.isCurrent(selection)) return;
      this.sendError(selection.id, asMarketDataError(error, 'history'));
    } finally {
      if (this.isCurrent(selection)) {
        const pending = selection.pendingCandles ?? [];
        selection.pendingCandles = undefined;
        this.sender.addCandles(pending);
      }
    }
  }

  private async older(id: number, before: number, count: number): Promise<void> {
    const selection = this.current;
    if (selection === undefined || selection.id !== id) return;
    try {
      const candles = await this.hub.feed.history(selection.symbol, selection.interval, {
        count,
        before,
        signal: selection.abort.signal,
      });
      if (!this.isCurrent(selection)) return;
      this.sender.send({
        t: 'older',
        selection: id,
        candles: candles.map(wireCandle),
        exhausted: candles.length < count,
      });
    } catch (error) {
      if (this.isCurrent(selection)) this.sendError(id, asMarketDataError(error, 'older candles'));
    }
  }

  private sendError(selection: number, error: MarketDataError): void {
    this.hub.logger.warn('tab error', { selection, error: error.message, code: error.code });
    this.sender.send({
      t: 'error',
      selection,
      message: error.message,
      hint:
        this.hub.mode !== 'sim'
          ? 'If Upbit is unreachable from here, `pnpm chart --sim` runs the chart against the local simulator.'
          : undefined,
    });
  }
}
