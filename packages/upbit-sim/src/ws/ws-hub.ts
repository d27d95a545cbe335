import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { type Clock, createSeededRandom, type Logger, type TimerHandle } from '@marketdata/domain';
import { type RawData, type WebSocket, WebSocketServer } from 'ws';
import type { CounterBook } from '../control/counters.js';
import type { FaultState } from '../control/fault-state.js';
import {
  type StreamType,
  wsOrderbookDefault,
  wsOrderbookSimple,
  wsTickerDefault,
  wsTickerSimple,
  wsTradeDefault,
  wsTradeSimple,
} from '../format/ws-payloads.js';
import type { MarketEngine, MarketListener } from '../model/market-engine.js';
import type { MarketState } from '../model/market-state.js';
import type { TradeRecord } from '../model/market-types.js';
import { type BookLevels, buildBook } from '../model/order-book.js';
import { mixSeed } from '../model/random-tools.js';
import { supportedLevels } from '../model/tick-size.js';
import type { RateLimiter } from '../rest/rate-limiter.js';
import { malformFrame } from './malform.js';
import { parseSubscribeRequest, type StreamKind, splitOrderbookCode, type WsFormat } from './request-parser.js';
import { STATUS_UP, simulatorError, type WsErrorFrame } from './ws-errors.js';
import { binaryFrameOf } from './ws-frame.js';

export const WS_PATH = '/websocket/v1';

const FORMAT_INDEX: Readonly<Record<WsFormat, number>> = { DEFAULT: 0, SIMPLE: 1, JSON_LIST: 2, SIMPLE_LIST: 3 };

interface Subscriber {
  readonly conn: Connection;
  /** 0 DEFAULT, 1 SIMPLE, 2 JSON_LIST, 3 SIMPLE_LIST */
  readonly format: number;
  readonly units: number;
  readonly level: number;
}

interface ActiveType {
  readonly type: StreamKind;
  readonly codes: readonly string[];
}

class Connection {
  subscriptions: readonly ActiveType[] = [];
  format: WsFormat = 'DEFAULT';
  lastActivity: number;
  idleTimer: TimerHandle | undefined;
  statusUp = false;
  frames = 0;
  corked = false;
  closed = false;

  constructor(
    readonly id: number,
    readonly ws: WebSocket,
    readonly socket: Duplex,
    now: number,
  ) {
    this.lastActivity = now;
  }
}

export interface WsHubDeps {
  readonly engine: MarketEngine;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly limiter: RateLimiter | undefined;
  readonly faults: FaultState;
  readonly counters: CounterBook;
  readonly idleTimeoutMs: number;
  readonly statusIntervalMs: number;
  readonly maxBufferedBytes: number;
  /** While replaying, no snapshots come from the model: only recorded frames are sent. */
  readonly replay: boolean;
}

export interface SubscriptionView {
  readonly connectionId: number;
  readonly type: string;
  readonly codes: readonly string[];
  readonly format: string;
}

type FrameCache = (Buffer | undefined)[];

/**
 * The WebSocket side of the simulator: upgrades on /websocket/v1, subscription requests, snapshots, and fan-out
 * of every market update. A frame is serialized and framed once per update and format, and the same bytes are
 * written to every subscriber's socket (corked for the length of one batch of events).
 */
export class WsHub implements MarketListener {
  private readonly wss: WebSocketServer;
  private readonly connections = new Set<Connection>();
  private readonly tickerSubs = new Map<string, Subscriber[]>();
  private readonly tradeSubs = new Map<string, Subscriber[]>();
  private readonly bookSubs = new Map<string, Subscriber[]>();
  private readonly corked: Connection[] = [];
  private readonly upgradeHeaders = new WeakMap<IncomingMessage, string>();
  private readonly random;
  private readonly origin: number;
  private nextId = 1;
  private statusTimer: TimerHandle | undefined;
  private activityStamp = 0;

  constructor(private readonly deps: WsHubDeps) {
    this.random = createSeededRandom(mixSeed(deps.engine.seed, 77));
    this.origin = deps.clock.monotonic();
    this.wss = new WebSocketServer({
      noServer: true,
      clientTracking: false,
      perMessageDeflate: false,
      autoPong: false,
      maxPayload: 1 << 20,
    });
    this.wss.on('headers', (headers, req) => {
      const remaining = this.upgradeHeaders.get(req);
      if (remaining !== undefined) headers.push(`Remaining-Req: ${remaining}`, 'Limit-By-Ip: Yes');
    });
  }

  /** The http server's `upgrade` event. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== WS_PATH) {
      rejectUpgrade(
        socket,
        404,
        'application/json;charset=UTF-8',
        '{"error":{"name":"not_found","message":"no Route matched with those values"}}',
      );
      return;
    }
    let remaining = 'group=websocket; min=300; sec=4';
    if (this.deps.limiter !== undefined) {
      const ip = req.socket.remoteAddress ?? 'unknown';
      const decision = this.deps.limiter.checkWsConnect(ip, req.headers.origin !== undefined);
      if (decision.kind !== 'ok') {
        // Upbit's refusal of a WebSocket connect is not on record; the simulator answers like a REST 429/418.
        this.deps.counters.wsConnectionsRefused++;
        const status = decision.kind === 'limited' ? 429 : 418;
        this.deps.counters.response(status);
        rejectUpgrade(socket, status, 'text/plain;charset=UTF-8', 'Too many API requests.', decision.header);
        return;
      }
      remaining = decision.header;
    }
    this.upgradeHeaders.set(req, remaining);
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, socket));
  }

  private accept(ws: WebSocket, socket: Duplex): void {
    const conn = new Connection(this.nextId++, ws, socket, this.deps.clock.monotonic());
    this.connections.add(conn);
    this.deps.counters.wsConnections++;
    ws.on('message', (data) => this.onMessage(conn, data));
    ws.on('ping', (data) => {
      this.touch(conn);
      if (!this.deps.faults.stalled && conn.ws.readyState === conn.ws.OPEN) conn.ws.pong(data);
    });
    ws.on('pong', () => this.touch(conn));
    ws.on('error', (error) =>
      this.deps.logger.debug('upbit-sim: websocket error', { id: conn.id, error: String(error) }),
    );
    ws.on('close', () => this.forget(conn));
    this.armIdle(conn);
  }

  private touch(conn: Connection): void {
    conn.lastActivity = this.deps.clock.monotonic();
  }

  private onMessage(conn: Connection, data: RawData): void {
    this.touch(conn);
    const text = Buffer.isBuffer(data)
      ? data.toString('utf8')
      : Array.isArray(data)
        ? Buffer.concat(data).toString('utf8')
        : Buffer.from(data).toString('utf8');
    if (text === 'PING') {
      // Documented and observed: after a text PING the server sends {"status":"UP"} every 10 s.
      conn.statusUp = true;
      this.armStatus();
      return;
    }
    const parsed = parseSubscribeRequest(text);
    if (!parsed.ok) {
      this.failConnection(conn, parsed.error);
      return;
    }
    const request = parsed.request;
    this.unsubscribeAll(conn);
    conn.format = request.format;
    conn.subscriptions = request.types.map((t) => ({ type: t.type, codes: t.codes }));
    const format = FORMAT_INDEX[request.format];
    for (const t of request.types) {
      for (const raw of t.codes) {
        const { code, units } = t.type === 'orderbook' ? splitOrderbookCode(raw) : { code: raw, units: 30 };
        // Unknown and lower-case codes are ignored silently (observed): no frame, no error.
        const market = this.deps.engine.get(code);
        if (market === undefined) continue;
        if (t.type === 'orderbook' && t.level !== 0) {
          // Grouping exists on KRW markets only; a level on a BTC market sent nothing at all (observed).
          if (!supportedLevels(code, market.price).includes(t.level)) continue;
        }
        const sub: Subscriber = { conn, format, units, level: t.type === 'orderbook' ? t.level : 0 };
        if (!t.onlyRealtime && !this.deps.replay) this.sendSnapshot(sub, t.type, market);
        if (!t.onlySnapshot) this.indexFor(t.type).set(code, [...(this.indexFor(t.type).get(code) ?? []), sub]);
      }
    }
    this.uncorkAll();
  }

  private indexFor(type: StreamKind): Map<string, Subscriber[]> {
    return type === 'ticker' ? this.tickerSubs : type === 'trade' ? this.tradeSubs : this.bookSubs;
  }

  private sendSnapshot(sub: Subscriber, type: StreamKind, market: MarketState): void {
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
    this.activityStamp = this.deps.clock.monotonic();
    if (this.write(sub.conn, binaryFrameOf(text), text)) this.deps.counters.frames(market.info.code, 1);
  }

  private failConnection(conn: Connection, error: WsErrorFrame): void {
    this.activityStamp = this.deps.clock.monotonic();
    this.write(conn, binaryFrameOf(error.text), undefined);
    this.uncorkAll();
    // The server closes with 1000 after an error frame (observed).
    if (conn.ws.readyState === conn.ws.OPEN) conn.ws.close(1000);
  }

  /**
   * Writes one framed message. `payload` is the frame's text, used only when the malformed-frame fault replaces
   * it (undefined for frames that must stay intact, such as errors).
   */
  private write(conn: Connection, frame: Buffer, payload: string | undefined): boolean {
    const faults = this.deps.faults;
    if (faults.stalled || conn.closed || conn.ws.readyState !== conn.ws.OPEN) return false;
    let bytes = frame;
    if (payload !== undefined && faults.malformedRatio > 0 && this.random.next() < faults.malformedRatio) {
      bytes = binaryFrameOf(malformFrame(payload, this.random).text);
      this.deps.counters.malformedFramesSent++;
    }
    if (!conn.corked) {
      conn.socket.cork();
      conn.corked = true;
      this.corked.push(conn);
    }
    conn.socket.write(bytes);
    conn.frames++;
    conn.lastActivity = this.activityStamp;
    if (conn.ws.bufferedAmount > this.deps.maxBufferedBytes) {
      this.deps.logger.warn('upbit-sim: websocket client too slow, cutting it off', { id: conn.id });
      conn.ws.terminate();
      return false;
    }
    return true;
  }

  private uncorkAll(): void {
    for (const conn of this.corked) {
      conn.corked = false;
      conn.socket.uncork();
    }
    this.corked.length = 0;
  }

  // MarketListener ----------------------------------------------------------------------------------------

  onTrade(market: MarketState, trade: TradeRecord): void {
    const code = market.info.code;
    const trades = this.tradeSubs.get(code);
    const tickers = this.tickerSubs.get(code);
    if (trades === undefined && tickers === undefined) return;
    this.activityStamp = this.deps.clock.monotonic();
    if (trades !== undefined) {
      const cache: FrameCache = [undefined, undefined, undefined, undefined];
      const texts: (string | undefined)[] = [undefined, undefined, undefined, undefined];
      let sent = 0;
      for (const sub of trades) {
        let frame = cache[sub.format];
        if (frame === undefined) {
          texts[sub.format] = tradeText(code, trade, sub.format, 'REALTIME');
          frame = binaryFrameOf(texts[sub.format] as string);
          cache[sub.format] = frame;
        }
        if (this.write(sub.conn, frame, texts[sub.format])) sent++;
      }
      if (sent > 0) this.deps.counters.frames(code, sent);
    }
    if (tickers !== undefined) {
      const cache: FrameCache = [undefined, undefined, undefined, undefined];
      const texts: (string | undefined)[] = [undefined, undefined, undefined, undefined];
      let sent = 0;
      for (const sub of tickers) {
        let frame = cache[sub.format];
        if (frame === undefined) {
          texts[sub.format] = tickerText(market, sub.format, 'REALTIME');
          frame = binaryFrameOf(texts[sub.format] as string);
          cache[sub.format] = frame;
        }
        if (this.write(sub.conn, frame, texts[sub.format])) sent++;
      }
      if (sent > 0) this.deps.counters.frames(code, sent);
    }
  }

  onBook(market: MarketState): void {
    const subs = this.bookSubs.get(market.info.code);
    if (subs === undefined) return;
    this.activityStamp = this.deps.clock.monotonic();
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
      if (this.write(sub.conn, entry.frame, entry.text)) sent++;
    }
    if (sent > 0) this.deps.counters.frames(market.info.code, sent);
  }

  onBatchEnd(): void {
    this.uncorkAll();
  }

  /** Sends a recorded frame as is to the subscribers of its type and code (replay). */
  broadcastRaw(type: StreamKind, code: string, text: string): void {
    const subs = this.indexFor(type).get(code);
    if (subs === undefined) return;
    this.activityStamp = this.deps.clock.monotonic();
    const frame = binaryFrameOf(text);
    let sent = 0;
    for (const sub of subs) if (this.write(sub.conn, frame, text)) sent++;
    if (sent > 0) this.deps.counters.frames(code, sent);
    this.uncorkAll();
  }

  // Keep-alive and idle close ------------------------------------------------------------------------------

  private armIdle(conn: Connection): void {
    const clock = this.deps.clock;
    const due = conn.lastActivity + this.deps.idleTimeoutMs;
    conn.idleTimer = clock.setTimeout(() => this.checkIdle(conn), Math.max(0, due - clock.monotonic()));
  }

  private checkIdle(conn: Connection): void {
    conn.idleTimer = undefined;
    if (conn.closed) return;
    const now = this.deps.clock.monotonic();
    if (this.deps.faults.stalled) {
      // While stalled the idle clock is held: the socket stays open however long the stall lasts.
      conn.lastActivity = now;
    } else if (now - conn.lastActivity >= this.deps.idleTimeoutMs) {
      // Observed: an idle socket is closed after about 60 s with 1006 and no close frame.
      this.deps.logger.debug('upbit-sim: closing idle websocket', { id: conn.id, silentMs: now - conn.lastActivity });
      conn.ws.terminate();
      this.forget(conn);
      return;
    }
    this.armIdle(conn);
  }

  private armStatus(): void {
    if (this.statusTimer !== undefined) return;
    const clock = this.deps.clock;
    const interval = this.deps.statusIntervalMs;
    const elapsed = (clock.monotonic() - this.origin) % interval;
    this.statusTimer = clock.setTimeout(this.sendStatus, interval - elapsed);
  }

  private readonly sendStatus = (): void => {
    this.statusTimer = undefined;
    this.activityStamp = this.deps.clock.monotonic();
    const frame = binaryFrameOf(STATUS_UP);
    let any = false;
    for (const conn of this.connections) {
      if (!conn.statusUp || conn.closed) continue;
      any = true;
      this.write(conn, frame, undefined);
    }
    this.uncorkAll();
    if (any) this.armStatus();
  };

  // Control --------------------------------------------------------------------------------------------------

  private unsubscribeAll(conn: Connection): void {
    for (const index of [this.tickerSubs, this.tradeSubs, this.bookSubs]) {
      for (const [code, subs] of index) {
        if (!subs.some((sub) => sub.conn === conn)) continue;
        const rest = subs.filter((sub) => sub.conn !== conn);
        if (rest.length === 0) index.delete(code);
        else index.set(code, rest);
      }
    }
    conn.subscriptions = [];
  }

  private forget(conn: Connection): void {
    if (conn.closed) return;
    conn.closed = true;
    this.deps.clock.clearTimeout(conn.idleTimer);
    conn.idleTimer = undefined;
    this.unsubscribeAll(conn);
    this.connections.delete(conn);
    this.deps.counters.connectionFrames(conn.id, conn.frames);
    if (this.statusTimer !== undefined && ![...this.connections].some((c) => c.statusUp)) {
      this.deps.clock.clearTimeout(this.statusTimer);
      this.statusTimer = undefined;
    }
  }

  /** Abrupt close of every connection: no close frame (the client sees 1006). */
  dropAll(): void {
    for (const conn of [...this.connections]) {
      conn.ws.terminate();
      this.forget(conn);
    }
  }

  sendError(name: string, message: string, close: boolean): void {
    const error = simulatorError(name, message);
    for (const conn of [...this.connections]) {
      if (close) this.failConnection(conn, error);
      else {
        this.activityStamp = this.deps.clock.monotonic();
        this.write(conn, binaryFrameOf(error.text), undefined);
      }
    }
    this.uncorkAll();
  }

  connectionCount(): number {
    return this.connections.size;
  }

  liveConnectionFrames(): ReadonlyMap<number, number> {
    return new Map([...this.connections].map((conn) => [conn.id, conn.frames]));
  }

  subscriptions(): SubscriptionView[] {
    const out: SubscriptionView[] = [];
    for (const conn of this.connections) {
      for (const sub of conn.subscriptions) {
        out.push({ connectionId: conn.id, type: sub.type, codes: sub.codes, format: conn.format });
      }
    }
    return out;
  }

  close(): void {
    this.dropAll();
    this.deps.clock.clearTimeout(this.statusTimer);
    this.statusTimer = undefined;
    this.wss.close();
  }
}

function tickerText(market: MarketState, format: number, stream: StreamType): string {
  const text = format === 0 || format === 2 ? wsTickerDefault(market, stream) : wsTickerSimple(market, stream);
  return format >= 2 ? `[${text}]` : text;
}

function tradeText(code: string, trade: TradeRecord, format: number, stream: StreamType): string {
  const text = format === 0 || format === 2 ? wsTradeDefault(code, trade, stream) : wsTradeSimple(code, trade, stream);
  return format >= 2 ? `[${text}]` : text;
}

function bookText(market: MarketState, book: BookLevels, units: number, format: number, stream: StreamType): string {
  const text =
    format === 0 || format === 2
      ? wsOrderbookDefault(market, book, units, stream)
      : wsOrderbookSimple(market, book, units, stream);
  return format >= 2 ? `[${text}]` : text;
}

function rejectUpgrade(socket: Duplex, status: number, contentType: string, body: string, remaining?: string): void {
  const reason = status === 404 ? 'Not Found' : status === 429 ? 'Too Many Requests' : "I'm a Teapot";
  const bytes = Buffer.from(body, 'utf8');
  const extra = remaining === undefined ? '' : `Remaining-Req: ${remaining}\r\nLimit-By-Ip: Yes\r\n`;
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: ${contentType}\r\nContent-Length: ${bytes.length}\r\n${extra}Connection: close\r\n\r\n${body}`,
  );
}
