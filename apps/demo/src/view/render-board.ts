import type { DataQuality, DataSource, Ticker } from '@marketdata/domain';
import type { BoardEventKind, BoardRow, BoardView, ChannelLevel, RoutedRequest } from '../app/board.js';
import { type Color, clipAnsi, type Painter } from './ansi.js';
import {
  formatChangeRate,
  formatDuration,
  formatPrice,
  formatTimeOfDay,
  padEnd,
  padStart,
  truncate,
} from './format.js';

export interface RenderContext {
  /** e.g. "LIVE api.upbit.com" or "SIMULATOR 127.0.0.1:PORT (not live data)". */
  readonly title: string;
  readonly hint?: string | undefined;
  /** Wall clock now, epoch ms: ages are shown as of this moment. */
  readonly now: number;
  readonly uptimeMs: number;
  /** Terminal columns; every line is cut to fit. */
  readonly width: number;
  readonly painter: Painter;
}

interface Column {
  readonly title: string;
  readonly width: number;
  readonly align: 'left' | 'right';
}

const QUALITY_COLOR: Readonly<Record<DataQuality, Color>> = { high: 'green', medium: 'yellow', low: 'red' };
const SOURCE_COLOR: Readonly<Record<DataSource, Color | undefined>> = {
  websocket: 'cyan',
  rest: undefined,
  cache: 'yellow',
};
const LEVEL_COLOR: Readonly<Record<ChannelLevel, Color>> = {
  ok: 'green',
  degraded: 'yellow',
  down: 'red',
  unknown: 'gray',
};
const EVENT_COLOR: Readonly<Record<BoardEventKind, Color | undefined>> = {
  route: 'cyan',
  fallback: 'yellow',
  warn: 'yellow',
  error: 'red',
  info: undefined,
};

// Upbit's own convention: rising prices are red, falling ones blue.
function changeColor(ticker: Ticker): Color | undefined {
  if (ticker.change === 'RISE') return 'red';
  if (ticker.change === 'FALL') return 'blue';
  return undefined;
}

function cell(text: string, column: Column): string {
  const cut = truncate(text, column.width);
  return column.align === 'right' ? padStart(cut, column.width) : padEnd(cut, column.width);
}

function columns(symbolWidth: number): Column[] {
  return [
    { title: 'SYMBOL', width: symbolWidth, align: 'left' },
    { title: 'PRICE', width: 16, align: 'right' },
    { title: 'CHANGE', width: 8, align: 'right' },
    { title: 'SOURCE', width: 9, align: 'left' },
    { title: 'AGE', width: 7, align: 'right' },
    { title: 'QUALITY', width: 7, align: 'left' },
    { title: 'CONF', width: 4, align: 'right' },
    { title: 'UPD', width: 6, align: 'right' },
    { title: 'ROUTED', width: 15, align: 'left' },
  ];
}

const SHORT_SOURCE: Readonly<Record<RoutedRequest['source'], string>> = {
  websocket: 'ws',
  rest: 'rest',
  cache: 'cache',
  error: 'error',
};

function routedText(routed: RoutedRequest | undefined): string {
  return routed === undefined ? '' : `${routed.demand} → ${SHORT_SOURCE[routed.source]}`;
}

function tickerCells(row: BoardRow, now: number): string[] {
  const { ticker, symbol, updates } = row;
  if (ticker === undefined) return [symbol, '…', '', '', '', 'waiting', '', String(updates), routedText(row.routed)];
  return [
    symbol,
    formatPrice(ticker.price),
    formatChangeRate(ticker.changeRate),
    ticker.source,
    formatDuration(now - ticker.exchangeTimestamp),
    ticker.quality,
    ticker.confidence.toFixed(2),
    String(updates),
    routedText(row.routed),
  ];
}

function routedColor(routed: RoutedRequest | undefined): Color | undefined {
  if (routed === undefined) return undefined;
  return routed.source === 'error' ? 'red' : SOURCE_COLOR[routed.source];
}

function cellColors(row: BoardRow): (Color | undefined)[] {
  const { ticker } = row;
  const routed = routedColor(row.routed);
  if (ticker === undefined)
    return ['bold', 'gray', undefined, undefined, undefined, 'gray', undefined, undefined, routed];
  return [
    'bold',
    undefined,
    changeColor(ticker),
    SOURCE_COLOR[ticker.source],
    undefined,
    QUALITY_COLOR[ticker.quality],
    undefined,
    'gray',
    routed,
  ];
}

function tableLines(view: BoardView, context: RenderContext): string[] {
  const { painter, width, now } = context;
  const symbolWidth = Math.max(6, ...view.rows.map((row) => row.symbol.length));
  const cols = columns(symbolWidth);
  const fixedWidth = cols.reduce((sum, column) => sum + column.width + 1, 1);
  const notesWidth = Math.max(0, width - fixedWidth);
  const header = ` ${cols.map((column) => cell(column.title, column)).join(' ')} ${notesWidth > 0 ? 'NOTES' : ''}`;
  const lines = [painter.paint('bold', truncate(header.trimEnd(), width))];
  for (const row of view.rows) {
    const texts = tickerCells(row, now);
    const colors = cellColors(row);
    const cells = cols.map((column, index) => painter.paint(colors[index], cell(texts[index] ?? '', column)));
    const notes = truncate(row.ticker?.qualityNotes.join('; ') ?? '', notesWidth);
    lines.push(` ${cells.join(' ')} ${painter.paint('gray', notes)}`.trimEnd());
  }
  return lines;
}

function channelLines(view: BoardView, context: RenderContext): string[] {
  const { painter, width } = context;
  if (view.channels.length === 0) return [painter.paint('gray', ' (no channel health yet)')];
  const nameWidth = Math.max(9, ...view.channels.map((channel) => channel.name.length));
  return view.channels.map((channel) => {
    const prefix = ` ${painter.paint(LEVEL_COLOR[channel.level], '●')} ${padEnd(channel.name, nameWidth)} `;
    const level = padEnd(channel.level, 9);
    const rest = truncate(channel.summary, width - nameWidth - 14);
    return `${prefix}${painter.paint(LEVEL_COLOR[channel.level], level)} ${rest}`;
  });
}

function eventLines(view: BoardView, context: RenderContext): string[] {
  const { painter, width } = context;
  if (view.events.length === 0) return [painter.paint('gray', ' (no routing decisions or events yet)')];
  return view.events.map((event) => {
    const stamp = formatTimeOfDay(event.at);
    const kind = padEnd(event.kind, 8);
    const text = truncate(event.text, width - stamp.length - kind.length - 3);
    return ` ${painter.paint('gray', stamp)} ${painter.paint(EVENT_COLOR[event.kind], kind)} ${text}`;
  });
}

/** The whole screen as lines, without cursor control; the terminal screen decides how to draw them. */
export function renderBoard(view: BoardView, context: RenderContext): string[] {
  const { painter, width } = context;
  const title = ` Upbit market data · ${context.title}`;
  const clock = `${formatTimeOfDay(context.now)} UTC `;
  const gap = Math.max(1, width - title.length - clock.length);
  const status =
    ` ${view.rows.length} markets · ${view.totalUpdates} updates · up ${formatDuration(context.uptimeMs)}` +
    ' · Ctrl-C to quit';
  const lines = [
    painter.paint('bold', truncate(`${title}${' '.repeat(gap)}${clock}`, width)),
    painter.paint('gray', truncate(status, width)),
    ...(context.hint === undefined ? [] : [painter.paint('gray', truncate(` ${context.hint}`, width))]),
    '',
    ...tableLines(view, context),
    '',
    painter.paint('bold', ' CHANNELS'),
    ...channelLines(view, context),
    '',
    painter.paint('bold', ' ROUTING DECISIONS & EVENTS'),
    ...eventLines(view, context),
  ];
  return lines.map((line) => clipAnsi(line, width).text);
}
