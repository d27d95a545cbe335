import { CandleSeries } from '../protocol/candle-series.js';
import { type ChartInterval, DEFAULT_INTERVAL, isChartInterval } from '../protocol/intervals.js';
import { FIRST_SCREEN_CANDLES, PROTOCOL_VERSION, type ServerMessage } from '../protocol/messages.js';
import { ChartView } from './chart-view.js';
import { ServerConnection } from './connection.js';
import { element } from './format.js';
import { Header } from './header.js';
import { IntervalPicker } from './interval-picker.js';
import { MarketPicker } from './market-picker.js';
import { BookPanel, TradesTape } from './panels.js';
import type { ChartTestHook } from './test-hook.js';

/** Candles asked for per older page. */
const OLDER_PAGE = 300;
/** The book is redrawn at most this often: 30 table rows ten times a second cost more than a reader gains. */
const BOOK_REDRAW_MS = 250;

const now = (): number => performance.now();
const container = element('chart');
const header = new Header(now);
const book = new BookPanel();
const tape = new TradesTape();
const series = new CandleSeries();

let state = 'connecting';
let symbol: string | undefined;
let interval: ChartInterval | undefined;
let selection = 0;
let selectedAt = 0;
let firstScreenMs: number | undefined;
let olderPages = 0;
let loadingOlder = false;
let exhausted = false;
let pendingBook: Extract<ServerMessage, { t: 'book' }> | undefined;
let bookTimer: ReturnType<typeof setTimeout> | undefined;

function showBook(message: Extract<ServerMessage, { t: 'book' }>): void {
  pendingBook = message;
  if (bookTimer !== undefined) return;
  bookTimer = setTimeout(() => {
    bookTimer = undefined;
    if (pendingBook !== undefined && pendingBook.selection === selection) {
      book.show(pendingBook.levels, pendingBook.totalAskSize, pendingBook.totalBidSize);
    }
    pendingBook = undefined;
  }, BOOK_REDRAW_MS);
}

const chart = new ChartView(container, () => requestOlder());
const intervals = new IntervalPicker((picked) => {
  if (symbol !== undefined) select(symbol, picked);
});
const picker = new MarketPicker((picked) => select(picked, interval ?? DEFAULT_INTERVAL));
const connection = new ServerConnection(`ws://${location.host}/stream`, {
  onOpen: () => header.showLink(true),
  onClose: () => {
    header.showLink(false);
    setState('disconnected');
  },
  onMessage: (message) => receive(message),
});

function setState(next: string): void {
  state = next;
  container.dataset.state = next;
  container.dataset.candles = String(series.length);
  container.dataset.symbol = symbol ?? '';
  container.dataset.interval = interval ?? '';
  container.dataset.selection = String(selection);
}

/** `#KRW-ETH/5m` in the address bar: a reload or a shared link opens the same chart. */
function fromHash(): { symbol: string | undefined; interval: ChartInterval | undefined } {
  const [hashSymbol, hashInterval] = decodeURIComponent(location.hash.slice(1)).split('/');
  return {
    symbol: hashSymbol === undefined || hashSymbol === '' ? undefined : hashSymbol,
    interval: isChartInterval(hashInterval) ? hashInterval : undefined,
  };
}

function select(nextSymbol: string, nextInterval: ChartInterval): void {
  symbol = nextSymbol;
  interval = nextInterval;
  selection++;
  selectedAt = now();
  firstScreenMs = undefined;
  olderPages = 0;
  loadingOlder = false;
  exhausted = false;
  series.reset([]);
  chart.show([]);
  chart.setSecondsVisible(nextInterval === '1s');
  history.replaceState(null, '', `#${nextSymbol}/${nextInterval}`);
  header.showMarket(nextSymbol, picker.find(nextSymbol));
  header.showError(undefined);
  intervals.show(nextInterval);
  book.clear();
  tape.clear();
  setState('loading');
  connection.send({ t: 'select', selection, symbol: nextSymbol, interval: nextInterval });
}

function requestOlder(): void {
  const first = series.first();
  if (state !== 'ready' || loadingOlder || exhausted || first === undefined) return;
  loadingOlder = true;
  connection.send({ t: 'older', selection, before: first.time, count: OLDER_PAGE });
}

function receive(message: ServerMessage): void {
  if (message.t === 'hello') {
    if (message.version !== PROTOCOL_VERSION) {
      location.reload();
      return;
    }
    header.showMode(message.mode);
    picker.setMarkets(message.markets);
    const wanted = fromHash();
    const known = (code: string | undefined) => code !== undefined && picker.find(code) !== undefined;
    const pick = known(symbol) ? symbol : known(wanted.symbol) ? wanted.symbol : message.defaultSymbol;
    select(pick ?? message.defaultSymbol, interval ?? wanted.interval ?? DEFAULT_INTERVAL);
    return;
  }
  if (message.t === 'error') {
    if (message.selection === undefined || message.selection === selection) {
      header.showError(message.message, message.hint);
      if (state === 'loading') setState('error');
    }
    return;
  }
  if (message.selection !== selection) return;
  switch (message.t) {
    case 'history':
      series.reset(message.candles);
      chart.show(series.all());
      exhausted = message.candles.length < FIRST_SCREEN_CANDLES;
      firstScreenMs = now() - selectedAt;
      setState('ready');
      break;
    case 'older': {
      const added = series.prepend(message.candles);
      chart.prepended(added, series.all());
      olderPages++;
      loadingOlder = false;
      exhausted = message.exhausted || added === 0;
      setState(state);
      break;
    }
    case 'candles':
      for (const candle of message.candles) chart.apply(series.upsert(candle), series.all());
      setState(state);
      break;
    case 'ticker':
      header.showTicker(message.ticker);
      break;
    case 'book':
      showBook(message);
      break;
    case 'trades':
      tape.add(message.trades);
      break;
    case 'status':
      header.showStatus(message.status);
      break;
    case 'flags':
      header.showFlags(message.flags);
      break;
  }
}

setInterval(() => header.tick(), 250);

const hook: ChartTestHook = {
  get state() {
    return state;
  },
  get symbol() {
    return symbol;
  },
  get interval() {
    return interval;
  },
  get selection() {
    return selection;
  },
  get length() {
    return series.length;
  },
  get firstScreenMs() {
    return firstScreenMs;
  },
  get olderPages() {
    return olderPages;
  },
  get stale() {
    return element('banner').dataset.stale === 'true';
  },
  candles: () => [...series.all()],
  last: () => series.last(),
  scrollBy: (bars) => chart.scrollBy(bars),
};
window.__chart = hook;
