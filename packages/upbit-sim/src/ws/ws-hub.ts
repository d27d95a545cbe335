import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { type Clock, createSeededRandom, type Logger } from '@marketdata/domain';
import { type RawData, type WebSocket, WebSocketServer } from 'ws';
import type { CounterBook } from '../control/counters.js';
import type { FaultState } from '../control/fault-state.js';
import type { WsFaults } from '../control/ws-faults.js';
import type { MarketEngine, MarketListener } from '../model/market-engine.js';
import type { MarketState } from '../model/market-state.js';
import type { TradeRecord } from '../model/market-types.js';
import { mixSeed } from '../model/random-tools.js';
import { supportedLevels } from '../model/tick-size.js';
import type { RateLimitOptions } from '../options.js';
import type { RateLimiter } from '../rest/rate-limiter.js';
import { CandleStream } from './candle-stream.js';
import { Connection } from './connection.js';
import { FORMAT_INDEX } from './frame-texts.js';
import { FrameWriter } from './frame-writer.js';
import { KeepAlive } from './keep-alive.js';
import { MessageLimit } from './message-limit.js';
import {
  isCandleType,
  parseSubscribeRequest,
  type SubscribeRequest,
  splitOrderbookCode,
  type WsDataType,
} from './request-parser.js';
import { StateStreams } from './state-streams.js';
import { resetSocket, UpgradeGate } from './upgrade-gate.js';
import { simulatorError, type WsErrorFrame } from './ws-errors.js';
import { binaryFrameOf } from './ws-frame.js';

export { WS_PATH } from './upgrade-gate.js';

export interface WsHubDeps {
  readonly engine: MarketEngine;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly limiter: RateLimiter | undefined;
  /** The resolved rate limits (for the per-connection request limit); undefined when limits are off. */
  readonly rateLimits: RateLimitOptions | undefined;
  readonly faults: FaultState;
  readonly wsFaults: WsFaults;
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

/**
 * The WebSocket side of the simulator: upgrades on /websocket/v1 (see UpgradeGate), subscription requests and
 * the per-connection request limit, snapshots, and fan-out of every market update. A frame is serialized and
 * framed once per update and format, and the same bytes are written to every subscriber's socket.
 */
export class WsHub implements MarketListener {
  private readonly wss: WebSocketServer;
  private readonly gate: UpgradeGate;
  private readonly writer: FrameWriter;
  private readonly candles: CandleStream;
  private readonly connections = new Set<Connection>();
  private readonly states: StateStreams;
  private readonly upgradeHeaders = new WeakMap<IncomingMessage, string>();
  private readonly keepAlive: KeepAlive;
  private nextId = 1;

  constructor(private readonly deps: WsHubDeps) {
    this.gate = new UpgradeGate(deps);
    this.writer = new FrameWriter({ ...deps, random: createSeededRandom(mixSeed(deps.engine.seed, 77)) });
    this.candles = new CandleStream({ ...deps, writer: this.writer });
    this.states = new StateStreams({ ...deps, writer: this.writer });
    this.keepAlive = new KeepAlive({
      ...deps,
      writer: this.writer,
      connections: this.connections,
      forget: (conn) => this.forget(conn),
    });
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
    const verdict = this.gate.check(req, socket);
    if (verdict.kind !== 'accept') return;
    this.upgradeHeaders.set(req, verdict.remainingReq);
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, socket));
  }

  private accept(ws: WebSocket, socket: Duplex): void {
    const limits = this.deps.rateLimits;
    const limit =
      limits === undefined ? undefined : new MessageLimit(limits.wsMessagesPerSecond, limits.wsMessagesPerMinute);
    const conn = new Connection(this.nextId++, ws, socket, this.deps.clock.monotonic(), limit);
    this.connections.add(conn);
    this.deps.counters.wsConnections++;
    ws.on('message', (data) => this.onMessage(conn, data));
    ws.on('ping', (data) => {
      this.touch(conn);
      if (!this.deps.faults.stalled && conn.open) conn.ws.pong(data);
    });
    ws.on('pong', () => this.touch(conn));
    ws.on('error', (error) =>
      this.deps.logger.debug('upbit-sim: websocket error', { id: conn.id, error: String(error) }),
    );
    ws.on('close', () => this.forget(conn));
    this.keepAlive.armIdle(conn);
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
      this.keepAlive.onPing(conn);
      return;
    }
    const counters = this.deps.counters;
    counters.wsMessagesReceived++;
    const limits = this.deps.rateLimits;
    if (limits !== undefined && conn.limit !== undefined && !conn.limit.admit(this.deps.clock.monotonic())) {
      counters.wsMessagesRefused++;
      const error = simulatorError(limits.wsMessageLimitName, limits.wsMessageLimitMessage);
      this.sendErrorTo(conn, error, limits.wsMessageLimitClose);
      return;
    }
    const parsed = parseSubscribeRequest(text);
    if (!parsed.ok) {
      this.sendErrorTo(conn, parsed.error, true);
      return;
    }
    const rejection = this.deps.wsFaults.subscriptionRejection;
    if (rejection !== undefined) {
      counters.wsSubscriptionsRejected++;
      this.sendErrorTo(conn, simulatorError(rejection.name, rejection.message), rejection.close);
      return;
    }
    this.subscribe(conn, parsed.request);
  }

  private subscribe(conn: Connection, request: SubscribeRequest): void {
    this.unsubscribeAll(conn);
    conn.format = request.format;
    conn.subscriptions = request.types.map((t) => ({ type: t.type, codes: t.codes }));
    const format = FORMAT_INDEX[request.format];
    const snapshots = !this.deps.replay;
    for (const t of request.types) {
      for (const raw of t.codes) {
        const { code, units } = t.type === 'orderbook' ? splitOrderbookCode(raw) : { code: raw, units: 30 };
        // Unknown and lower-case codes are ignored silently (observed): no frame, no error.
        const market = this.deps.engine.get(code);
        if (market === undefined) continue;
        if (isCandleType(t.type)) {
          this.candles.subscribe(t.type, market, { conn, format }, snapshots && !t.onlyRealtime, !t.onlySnapshot);
          continue;
        }
        if (t.type === 'orderbook' && t.level !== 0) {
          // Grouping exists on KRW markets only; a level on a BTC market sent nothing at all (observed).
          if (!supportedLevels(code, market.price).includes(t.level)) continue;
        }
        const sub = { conn, format, units, level: t.type === 'orderbook' ? t.level : 0 };
        this.states.subscribe(t.type, market, sub, snapshots && !t.onlyRealtime, !t.onlySnapshot);
      }
    }
    this.writer.flush();
  }

  /** An error frame; then, when `close`, the close with 1000 that Upbit sends after its error frames. */
  private sendErrorTo(conn: Connection, error: WsErrorFrame, close: boolean): void {
    this.writer.begin();
    this.writer.write(conn, binaryFrameOf(error.text), 'error');
    this.writer.flush();
    if (close && conn.open) conn.ws.close(1000);
  }

  // MarketListener ----------------------------------------------------------------------------------------

  onTrade(market: MarketState, trade: TradeRecord): void {
    this.candles.onTrade(market, trade);
    this.states.onTrade(market, trade);
  }

  /** A status change is sent as a ticker frame right away (Upbit's timing for it is not on record). */
  onStatusChange(market: MarketState): void {
    this.states.onTickerChange(market);
    this.writer.flush();
  }

  onBook(market: MarketState): void {
    this.states.onBook(market);
  }

  onBatchEnd(): void {
    this.writer.flush();
  }

  /** Sends a recorded frame as is to the subscribers of its type and code (replay). */
  broadcastRaw(type: WsDataType, code: string, text: string): void {
    if (isCandleType(type)) this.candles.broadcastRaw(type, code, text);
    else {
      this.states.broadcastRaw(type, code, text);
      this.writer.flush();
    }
  }

  // Control --------------------------------------------------------------------------------------------------

  private unsubscribeAll(conn: Connection): void {
    this.states.unsubscribe(conn);
    this.candles.unsubscribe(conn);
    conn.subscriptions = [];
  }

  private forget(conn: Connection): void {
    if (conn.closed) return;
    conn.closed = true;
    this.unsubscribeAll(conn);
    this.connections.delete(conn);
    this.keepAlive.onClosed(conn);
    this.deps.counters.connectionFrames(conn.id, conn.frames);
  }

  /** Abrupt close of every connection: no close frame (the client sees 1006). */
  dropAll(): void {
    for (const conn of [...this.connections]) {
      conn.ws.terminate();
      this.forget(conn);
    }
  }

  /** Every connection reset at the TCP level (RST: the client sees ECONNRESET, then 1006). */
  resetAll(): void {
    for (const conn of [...this.connections]) {
      resetSocket(conn.socket);
      this.forget(conn);
    }
  }

  sendError(name: string, message: string, close: boolean): void {
    const error = simulatorError(name, message);
    for (const conn of [...this.connections]) this.sendErrorTo(conn, error, close);
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
    this.gate.close();
    this.candles.close();
    this.keepAlive.close();
    this.wss.close();
  }
}
