import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isMarketDataError, type Logger } from '@marketdata/domain';
import type { SimControl } from '../control/sim-control.js';
import { WS_CONNECT_BREAKS, type WsConnectBreak } from '../control/ws-faults.js';
import { CANDLE_UNITS } from '../model/candle-periods.js';
import { CAUTION_FLAGS, type CautionFlag, MARKET_STATE_NAMES, type MarketStatusPatch } from '../model/market-status.js';
import { REST_GROUPS, type RestGroup } from '../options.js';

export interface AdminServer {
  readonly port: number;
  close(): Promise<void>;
}

interface AdminOptions {
  readonly control: SimControl;
  readonly host: string;
  readonly port: number;
  readonly logger: Logger;
}

class BadRequest extends Error {}

function text(query: URLSearchParams, name: string): string {
  const value = query.get(name);
  if (value === null || value === '') throw new BadRequest(`missing query parameter "${name}"`);
  return value;
}

function number(query: URLSearchParams, name: string, fallback?: number): number {
  const raw = query.get(name);
  if ((raw === null || raw === '') && fallback !== undefined) return fallback;
  const value = Number(text(query, name));
  if (!Number.isFinite(value)) throw new BadRequest(`query parameter "${name}" must be a number`);
  return value;
}

/** A count of requests: a number, or `inf` for "until switched off". */
function count(query: URLSearchParams, fallback: number): number {
  const raw = query.get('count');
  if (raw !== null && ['inf', 'infinity', 'Infinity'].includes(raw)) return Number.POSITIVE_INFINITY;
  return number(query, 'count', fallback);
}

/** `Retry-After` passes through as text (absurd values are the point). */
function retryAfter(query: URLSearchParams): { retryAfter?: string } {
  const raw = query.get('retryAfter');
  return raw === null ? {} : { retryAfter: raw };
}

function optionalFlag(query: URLSearchParams, name: string): boolean | undefined {
  return query.get(name) === null ? undefined : onOff(query, name);
}

/** `POST /markets/{code}/status?warning=1&PRICE_FLUCTUATIONS=1&marketState=DELISTED&suspended=1&delistingDate=...` */
function statusPatch(query: URLSearchParams): MarketStatusPatch {
  const cautions: Partial<Record<CautionFlag, boolean>> = {};
  for (const flag of CAUTION_FLAGS) {
    const value = optionalFlag(query, flag);
    if (value !== undefined) cautions[flag] = value;
  }
  const warning = optionalFlag(query, 'warning');
  const suspended = optionalFlag(query, 'suspended');
  const state = query.get('marketState');
  const date = query.get('delistingDate');
  const marketState = MARKET_STATE_NAMES.find((name) => name === state);
  if (state !== null && marketState === undefined) {
    throw new BadRequest(`marketState must be one of ${MARKET_STATE_NAMES.join(', ')}`);
  }
  return {
    ...(warning === undefined ? {} : { warning }),
    ...(Object.keys(cautions).length === 0 ? {} : { cautions }),
    ...(marketState === undefined ? {} : { marketState }),
    ...(suspended === undefined ? {} : { tradingSuspended: suspended }),
    ...(date === null ? {} : { delistingDate: date === 'null' || date === '' ? null : date }),
  };
}

function candleQuery(control: SimControl, query: URLSearchParams): unknown {
  const unit = text(query, 'unit');
  const found = CANDLE_UNITS.find((u) => u === unit);
  if (found === undefined) throw new BadRequest(`unit must be one of ${CANDLE_UNITS.join(', ')}`);
  return control.candles(
    text(query, 'code'),
    { unit: found, size: number(query, 'size', 1) },
    number(query, 'from'),
    number(query, 'to'),
  );
}

function onOff(query: URLSearchParams, name: string): boolean {
  const raw = query.get(name) ?? '1';
  if (['1', 'true', 'on'].includes(raw)) return true;
  if (['0', 'false', 'off'].includes(raw)) return false;
  throw new BadRequest(`query parameter "${name}" must be 1/0, true/false or on/off`);
}

function group(query: URLSearchParams): RestGroup | 'all' {
  const raw = query.get('group') ?? 'all';
  if (raw === 'all') return 'all';
  const found = REST_GROUPS.find((g) => g === raw);
  if (found === undefined) throw new BadRequest(`group must be one of all, ${REST_GROUPS.join(', ')}`);
  return found;
}

type Action = (control: SimControl, query: URLSearchParams) => unknown;

/**
 * Admin endpoints (own port), for tests and containers (counts take `inf` for "until switched off"):
 *   GET  /health                          {"status":"ok","listening":true}
 *   GET  /counters                        SimCounters          POST /counters/reset
 *   GET  /subscriptions                   GET /markets         GET /markets/{code}
 *   GET  /candles?code=KRW-BTC&unit=minutes&size=1&from=MS&to=MS     (SimControl.candles)
 *   POST /markets/{code}/status?warning=1&PRICE_FLUCTUATIONS=1&marketState=DELISTED&suspended=1&delistingDate=...
 *   POST /faults/drop                     POST /faults/reset-connections
 *   POST /faults/stall?on=1|0             POST /faults/stall-data?on=1|0
 *   POST /faults/malformed?ratio=0.1      POST /faults/latency?group=ticker&ms=500
 *   POST /faults/fail?group=all&status=503&count=3&retryAfter=3000000
 *   POST /faults/huge-bodies?bytes=125829120&count=1&group=ticker
 *   POST /faults/slow-bodies?ms=2000      POST /faults/truncate?count=2
 *   POST /faults/ws-upgrades?status=429&count=inf&retryAfter=3000000    (count=0 clears)
 *   POST /faults/ws-connect-break?mode=reset|close|hang|off&count=inf
 *   POST /faults/reject-subscriptions?name=X&message=Y&close=1   (on=0 switches it off)
 *   POST /faults/freeze?code=KRW-BTC&on=1 POST /faults/jump?code=KRW-BTC&ratio=1.05
 *   POST /faults/ws-error?name=X&message=Y&close=1
 *   POST /server/stop   POST /server/start   POST /server/restart
 */
const POST_ACTIONS = new Map<string, Action>([
  ['/counters/reset', (c) => c.resetCounters()],
  ['/faults/drop', (c) => c.dropConnections()],
  ['/faults/reset-connections', (c) => c.resetConnections()],
  ['/faults/stall', (c, q) => c.stall(onOff(q, 'on'))],
  ['/faults/stall-data', (c, q) => c.stallData(onOff(q, 'on'))],
  ['/faults/malformed', (c, q) => c.setMalformedRatio(number(q, 'ratio'))],
  ['/faults/latency', (c, q) => c.setRestLatency(group(q), number(q, 'ms'))],
  ['/faults/fail', (c, q) => c.failRest(group(q), number(q, 'status'), count(q, 1), retryAfter(q))],
  ['/faults/huge-bodies', (c, q) => c.hugeBodies(number(q, 'bytes'), count(q, 1), group(q))],
  ['/faults/ws-upgrades', (c, q) => c.failWsUpgrades(number(q, 'status'), count(q, 1), retryAfter(q))],
  ['/faults/ws-connect-break', (c, q) => c.breakWsConnects(connectBreak(q), count(q, Number.POSITIVE_INFINITY))],
  [
    '/faults/reject-subscriptions',
    (c, q) =>
      c.rejectSubscriptions(
        onOff(q, 'on') ? { name: text(q, 'name'), message: q.get('message') ?? '', close: onOff(q, 'close') } : false,
      ),
  ],
  ['/faults/slow-bodies', (c, q) => c.slowBodies(number(q, 'ms'))],
  ['/faults/truncate', (c, q) => c.truncateBodies(number(q, 'count', 1))],
  ['/faults/freeze', (c, q) => c.freezeMarket(text(q, 'code'), onOff(q, 'on'))],
  ['/faults/jump', (c, q) => c.jumpPrice(text(q, 'code'), number(q, 'ratio'))],
  ['/faults/ws-error', (c, q) => c.sendWsError(text(q, 'name'), q.get('message') ?? '', { close: onOff(q, 'close') })],
  ['/server/stop', (c) => c.stop()],
  ['/server/start', (c) => c.start()],
  ['/server/restart', (c) => c.restart()],
]);

const GET_ACTIONS = new Map<string, Action>([
  ['/health', (c) => ({ status: 'ok', listening: c.isListening() })],
  ['/counters', (c) => c.counters()],
  ['/subscriptions', (c) => c.subscriptions()],
  ['/markets', (c) => c.marketCodes()],
  ['/candles', candleQuery],
]);

function connectBreak(query: URLSearchParams): WsConnectBreak | 'off' {
  const raw = text(query, 'mode');
  if (raw === 'off') return 'off';
  const found = WS_CONNECT_BREAKS.find((mode) => mode === raw);
  if (found === undefined) throw new BadRequest(`mode must be one of off, ${WS_CONNECT_BREAKS.join(', ')}`);
  return found;
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

async function handle(control: SimControl, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://admin');
  const path = url.pathname;
  const status = /^\/markets\/([^/]+)\/status$/.exec(path);
  if (req.method === 'POST' && status !== null) {
    const code = decodeURIComponent(status[1] ?? '');
    if (control.market(code) === undefined) reply(res, 404, { error: 'unknown market' });
    else {
      control.setMarketStatus(code, statusPatch(url.searchParams));
      reply(res, 200, control.market(code)?.status);
    }
    return;
  }
  if (req.method === 'GET' && path.startsWith('/markets/')) {
    const market = control.market(decodeURIComponent(path.slice('/markets/'.length)));
    if (market === undefined) reply(res, 404, { error: 'unknown market' });
    else reply(res, 200, market);
    return;
  }
  const action = (req.method === 'POST' ? POST_ACTIONS : req.method === 'GET' ? GET_ACTIONS : undefined)?.get(path);
  if (action === undefined) {
    reply(res, 404, { error: `no admin route ${req.method} ${path}` });
    return;
  }
  const result = await action(control, url.searchParams);
  reply(res, 200, result ?? { ok: true });
}

export function startAdminServer(options: AdminOptions): Promise<AdminServer> {
  const server = createServer((req, res) => {
    req.resume();
    handle(options.control, req, res).catch((error: unknown) => {
      const status = error instanceof BadRequest || isMarketDataError(error) ? 400 : 500;
      if (status === 500) options.logger.error('upbit-sim admin: request failed', { error: String(error) });
      reply(res, status, { error: error instanceof Error ? error.message : String(error) });
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: options.host, port: options.port }, () => {
      server.off('error', reject);
      resolve({
        port: (server.address() as AddressInfo).port,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
