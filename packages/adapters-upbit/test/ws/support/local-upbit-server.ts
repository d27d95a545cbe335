import type { AddressInfo } from 'node:net';
import { type Clock, type StreamKind, systemClock, type TimerHandle } from '@marketdata/domain';
import { type WebSocket, WebSocketServer } from 'ws';
import { STREAM_KINDS, subscriptionSet } from '../../../src/ws/protocol/subscription-request.js';
import { type FrameFormat, type FrameKind, type FrameOverrides, frameText } from './frame-templates.js';

/**
 * A small WebSocket server on 127.0.0.1 that answers like Upbit where the facts are known (API.md): a request is a
 * JSON array that replaces the connection's subscription, every code gets a SNAPSHOT, data goes out as binary
 * frames, text `PING` is answered `{"status":"UP"}`, a bad request gets an error frame and a 1000 close. Faults
 * (drop, stall, idle close, restart on the same port, error frames, raw frames, refused upgrades, a close right
 * after the snapshots) are switched on by the test. It records when each upgrade and each request arrived (on the
 * given clock), so tests count connects and requests where Upbit would.
 */
export interface ParsedSubscription {
  readonly ticket: string | undefined;
  readonly format: FrameFormat;
  /** Every stream kind, in the adapter's order (kinds the request left out are empty). */
  readonly codes: Readonly<Record<StreamKind, readonly string[]>>;
}

interface Client {
  readonly socket: WebSocket;
  subscription: ParsedSubscription | undefined;
  idleTimer: TimerHandle | undefined;
}

export interface LocalServerOptions {
  /** Close a connection (no close frame, like Upbit's 1006) after this long without a client message. */
  readonly idleTimeoutMs?: number;
  /** Clock driving the idle timeout. */
  readonly clock?: Clock;
  /** Send SNAPSHOT frames on each request (default true). */
  readonly snapshots?: boolean;
}

/** How upgrades are refused (the status and headers of the answer), or undefined to accept them. */
export interface UpgradeRefusal {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
}

export class LocalUpbitServer {
  readonly requests: string[] = [];
  /** Clock monotonic time each request arrived. */
  readonly requestTimes: number[] = [];
  /** Clock monotonic time of each upgrade request (accepted or refused). */
  readonly upgradeTimes: number[] = [];
  /** Upgrades answered with a refusal. */
  refusedUpgrades = 0;
  /** When set, every upgrade is refused with this answer. */
  refusal: UpgradeRefusal | undefined;
  /** When true, every connection is dropped (no close frame) right after the SNAPSHOTs of its first request. */
  dropAfterSnapshot = false;
  /** When set, every request is answered with this error frame and a 1000 close, as Upbit answers a bad one. */
  refuseRequests: { readonly name: string; readonly message: string } | undefined;
  pings = 0;
  /** WebSocket ping frames received (heartbeat mode `ws-ping`). */
  wsPings = 0;
  totalConnections = 0;
  private server: WebSocketServer | undefined;
  private readonly clients = new Set<Client>();
  private stalled = false;
  private sequence = 0n;
  /** Latest trade id per code: a trade SNAPSHOT repeats the latest trade, as Upbit's does. */
  private readonly lastTradeId = new Map<string, string>();
  port = 0;

  private constructor(private readonly options: LocalServerOptions) {}

  static async start(options: LocalServerOptions = {}): Promise<LocalUpbitServer> {
    const server = new LocalUpbitServer(options);
    await server.listen(0);
    return server;
  }

  get url(): string {
    return `ws://127.0.0.1:${this.port}/websocket/v1`;
  }

  connectionCount(): number {
    return this.clients.size;
  }

  /** Latest subscription of every open connection. */
  subscriptions(): readonly ParsedSubscription[] {
    return [...this.clients].flatMap((client) => (client.subscription === undefined ? [] : [client.subscription]));
  }

  parsedRequests(): readonly ParsedSubscription[] {
    return this.requests.map((text) => parseRequest(text)).filter((r): r is ParsedSubscription => r !== undefined);
  }

  /** A REALTIME frame to every connection subscribed to `code` for `kind`. Returns how many sockets got it. */
  publish(kind: FrameKind, code: string, overrides: FrameOverrides = {}): number {
    let sent = 0;
    for (const client of this.clients) {
      const subscription = client.subscription;
      if (this.stalled || subscription === undefined || !subscription.codes[kind].includes(code)) continue;
      client.socket.send(Buffer.from(this.frame(kind, subscription.format, code, overrides)), { binary: true });
      sent++;
    }
    return sent;
  }

  /** Raw bytes to every connection (malformed frames, odd payloads). */
  sendRaw(text: string, binary = true): void {
    for (const client of this.clients) client.socket.send(binary ? Buffer.from(text) : text, { binary });
  }

  /** Upbit's error frame, then (as Upbit does) a 1000 close unless `close` is false. */
  sendError(name: string, message: string, close = true): void {
    const text = JSON.stringify({ error: { name, message } });
    for (const client of this.clients) {
      client.socket.send(Buffer.from(text), { binary: true });
      if (close) client.socket.close(1000);
    }
  }

  /** Abrupt close, no close frame: the client sees 1006. */
  dropConnections(): void {
    for (const client of this.clients) client.socket.terminate();
  }

  /** Keep sockets open but send nothing (no data, no PING answers). */
  stall(enabled: boolean): void {
    this.stalled = enabled;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server === undefined) return;
    for (const client of this.clients) client.socket.terminate();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Listen again on the same port. */
  async restart(): Promise<void> {
    await this.stop();
    await this.listen(this.port);
  }

  async close(): Promise<void> {
    for (const client of this.clients) this.clearIdle(client);
    await this.stop();
  }

  private async listen(port: number): Promise<void> {
    // Pongs are sent by hand so a stalled server can withhold them.
    const server = new WebSocketServer({
      host: '127.0.0.1',
      port,
      autoPong: false,
      verifyClient: (_info, accept) => {
        this.upgradeTimes.push(this.now());
        const refusal = this.refusal;
        if (refusal === undefined) {
          accept(true);
          return;
        }
        this.refusedUpgrades++;
        accept(false, refusal.status, refusal.status === 429 ? 'Too Many Requests' : "I'm a Teapot", {
          ...refusal.headers,
        });
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.once('listening', () => resolve());
      server.once('error', reject);
    });
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
    server.on('connection', (socket) => this.accept(socket));
  }

  private accept(socket: WebSocket): void {
    this.totalConnections++;
    const client: Client = { socket, subscription: undefined, idleTimer: undefined };
    this.clients.add(client);
    this.armIdle(client);
    socket.on('message', (data, isBinary) => this.onMessage(client, data.toString(), isBinary));
    socket.on('close', () => {
      this.clearIdle(client);
      this.clients.delete(client);
    });
    socket.on('error', () => {});
    socket.on('ping', (data) => {
      this.wsPings++;
      if (!this.stalled) socket.pong(data);
    });
  }

  private onMessage(client: Client, text: string, isBinary: boolean): void {
    this.armIdle(client);
    if (!isBinary && text === 'PING') {
      this.pings++;
      if (!this.stalled) client.socket.send('{"status":"UP"}');
      return;
    }
    this.requests.push(text);
    this.requestTimes.push(this.now());
    const subscription = parseRequest(text);
    const refused =
      subscription === undefined ? { name: 'WRONG_FORMAT', message: 'Format 이 맞지 않습니다.' } : this.refuseRequests;
    if (refused !== undefined || subscription === undefined) {
      client.socket.send(Buffer.from(JSON.stringify({ error: refused })));
      client.socket.close(1000);
      return;
    }
    client.subscription = subscription;
    if (this.stalled || this.options.snapshots === false) return;
    const frames: string[] = [];
    for (const kind of ['ticker', 'trade', 'orderbook'] as const) {
      for (const code of subscription.codes[kind]) {
        frames.push(this.frame(kind, subscription.format, code, { streamType: 'SNAPSHOT' }));
      }
    }
    const drop = this.dropAfterSnapshot;
    frames.forEach((frame, index) => {
      const last = index === frames.length - 1;
      // Dropped once the last SNAPSHOT has been written out, so the client has it before the connection dies.
      client.socket.send(Buffer.from(frame), { binary: true }, () => {
        if (drop && last) client.socket.terminate();
      });
    });
  }

  private now(): number {
    return (this.options.clock ?? systemClock).monotonic();
  }

  private frame(kind: FrameKind, format: FrameFormat, code: string, overrides: FrameOverrides): string {
    if (kind !== 'trade') return frameText(kind, format, code, overrides);
    let sequentialId = overrides.sequentialId;
    if (sequentialId === undefined && overrides.streamType === 'SNAPSHOT') sequentialId = this.lastTradeId.get(code);
    if (sequentialId === undefined) {
      this.sequence++;
      sequentialId = (17303368620470000n + this.sequence).toString();
    }
    this.lastTradeId.set(code, sequentialId);
    return frameText(kind, format, code, { ...overrides, sequentialId });
  }

  private armIdle(client: Client): void {
    const { idleTimeoutMs, clock } = this.options;
    if (idleTimeoutMs === undefined || clock === undefined) return;
    clock.clearTimeout(client.idleTimer);
    client.idleTimer = clock.setTimeout(() => client.socket.terminate(), idleTimeoutMs);
  }

  private clearIdle(client: Client): void {
    this.options.clock?.clearTimeout(client.idleTimer);
    client.idleTimer = undefined;
  }
}

/** Reads a request the way the fixtures show it; undefined when it is not an Upbit-shaped array. */
export function parseRequest(text: string): ParsedSubscription | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed)) return undefined;
  const codes: Partial<Record<StreamKind, string[]>> = {};
  let ticket: string | undefined;
  let format: FrameFormat = 'DEFAULT';
  for (const item of parsed as Record<string, unknown>[]) {
    if (typeof item.ticket === 'string') ticket = item.ticket;
    if (item.format === 'SIMPLE' || item.format === 'DEFAULT') format = item.format;
    const type = item.type;
    const kind = STREAM_KINDS.find((known) => known === type);
    if (kind !== undefined && Array.isArray(item.codes)) codes[kind] = item.codes.map(String);
  }
  return { ticket, format, codes: subscriptionSet(codes) };
}
