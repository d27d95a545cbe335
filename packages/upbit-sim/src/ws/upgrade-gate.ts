import { type IncomingMessage, STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Clock } from '@marketdata/domain';
import type { CounterBook } from '../control/counters.js';
import type { WsFaults } from '../control/ws-faults.js';
import { blockedBody, NO_ROUTE, serverErrorBody, TOO_MANY_REQUESTS } from '../rest/error-bodies.js';
import type { RateLimiter } from '../rest/rate-limiter.js';

export const WS_PATH = '/websocket/v1';

export interface UpgradeGateDeps {
  readonly clock: Clock;
  readonly limiter: RateLimiter | undefined;
  readonly counters: CounterBook;
  readonly wsFaults: WsFaults;
}

/** Accept, with the `Remaining-Req` value for the upgrade reply; or the request was answered (or broken) here. */
export type UpgradeVerdict = { readonly kind: 'accept'; readonly remainingReq: string } | { readonly kind: 'handled' };

const JSON_TYPE = 'application/json;charset=UTF-8';
const TEXT_TYPE = 'text/plain;charset=UTF-8';

/**
 * Decides each WebSocket upgrade request, in order: the path (404 as the gateway answers unknown routes), the
 * TCP-level fault (`breakWsConnects`), an injected refusal (`failWsUpgrades`), then Upbit's connection limit
 * (5 per second per IP, documented). Every request on the WebSocket path is counted (attempts, rolling-second
 * maximum). Upbit's reply to a refused connect is not on record: the simulator answers like its REST 429/418.
 */
export class UpgradeGate {
  private readonly hanging = new Set<Duplex>();

  constructor(private readonly deps: UpgradeGateDeps) {}

  check(req: IncomingMessage, socket: Duplex): UpgradeVerdict {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== WS_PATH) {
      reject(socket, 404, JSON_TYPE, NO_ROUTE);
      return { kind: 'handled' };
    }
    const { counters, wsFaults, limiter } = this.deps;
    counters.wsConnectAttempt(this.deps.clock.monotonic());
    const broken = wsFaults.takeConnectBreak();
    if (broken !== undefined) {
      counters.wsUpgradesBroken++;
      if (broken === 'reset') resetSocket(socket);
      else if (broken === 'close') socket.destroy();
      else this.hang(socket);
      return { kind: 'handled' };
    }
    const injected = wsFaults.takeUpgradeFailure();
    if (injected !== undefined) {
      const { status, retryAfter } = injected;
      counters.response(status);
      counters.refusal('wsUpgrade', 'injected', status);
      const headers = retryAfter === undefined ? {} : { 'Retry-After': retryAfter };
      reject(socket, status, ...bodyOf(status), headers);
      return { kind: 'handled' };
    }
    if (limiter === undefined) return { kind: 'accept', remainingReq: 'group=websocket; min=300; sec=4' };
    const ip = req.socket.remoteAddress ?? 'unknown';
    const decision = limiter.checkWsConnect(ip, req.headers.origin !== undefined);
    if (decision.kind === 'ok') return { kind: 'accept', remainingReq: decision.header };
    const status = decision.kind === 'limited' ? 429 : 418;
    counters.wsConnectionsRefused++;
    counters.response(status);
    counters.refusal('wsUpgrade', 'limit', status);
    const body = decision.kind === 'limited' ? TOO_MANY_REQUESTS : blockedBody(decision.blockedForMs);
    reject(socket, status, TEXT_TYPE, body, { 'Remaining-Req': decision.header, 'Limit-By-Ip': 'Yes' });
    return { kind: 'handled' };
  }

  /** Reads nothing more and never answers; the socket is destroyed when the client gives up or on close. */
  private hang(socket: Duplex): void {
    this.hanging.add(socket);
    socket.on('error', () => {});
    socket.once('close', () => this.hanging.delete(socket));
  }

  close(): void {
    for (const socket of this.hanging) socket.destroy();
    this.hanging.clear();
  }
}

function bodyOf(status: number): [contentType: string, body: string] {
  if (status === 429) return [TEXT_TYPE, TOO_MANY_REQUESTS];
  if (status === 418) return [TEXT_TYPE, blockedBody(10_000)];
  return [JSON_TYPE, serverErrorBody(status)];
}

/** A TCP RST (the client sees ECONNRESET), where the socket supports it; otherwise an abrupt destroy. */
export function resetSocket(socket: Duplex): void {
  const net = socket as Partial<Socket>;
  if (typeof net.resetAndDestroy === 'function') net.resetAndDestroy();
  else socket.destroy();
}

function reject(
  socket: Duplex,
  status: number,
  contentType: string,
  body: string,
  headers: Readonly<Record<string, string>> = {},
): void {
  const bytes = Buffer.from(body, 'utf8');
  const extra = Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  socket.on('error', () => {});
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\nContent-Type: ${contentType}\r\n` +
      `Content-Length: ${bytes.length}\r\n${extra}Connection: close\r\n\r\n${body}`,
  );
}
