import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import { MAX_CLIENT_MESSAGE_BYTES } from './parse-client-message.js';
import type { StaticAsset } from './static-assets.js';
import { TabSender, type TabSenderOptions } from './tab-sender.js';
import { type ChartHub, TabSession } from './tab-session.js';

/** The WebSocket path of the page's one connection. */
export const STREAM_PATH = '/stream';
/** JSON: tabs, upstream streams, this process's CPU and memory (the bench reads it). */
export const STATS_PATH = '/api/stats';

export interface ProcessUsage {
  readonly cpuUserMicros: number;
  readonly cpuSystemMicros: number;
  readonly rssBytes: number;
  readonly heapUsedBytes: number;
}

export interface ChartServerOptions {
  readonly hub: ChartHub;
  readonly assets: ReadonlyMap<string, StaticAsset>;
  /** 0: any free port. Always bound to 127.0.0.1. */
  readonly port: number;
  /** Tabs served at once; more are refused with 503. Default 64. */
  readonly maxTabs?: number | undefined;
  readonly sender?: TabSenderOptions | undefined;
  readonly processUsage: () => ProcessUsage;
}

export interface ChartServer {
  readonly url: string;
  readonly port: number;
  tabCount(): number;
  close(): Promise<void>;
}

const HOST = '127.0.0.1';

/**
 * Only this server's own pages may talk to it: the Host must be this loopback address (a DNS-rebinding page would
 * name its own host) and a browser's Origin, when sent, must be this server (another site's page in the same
 * browser could otherwise open the WebSocket).
 */
function ownHosts(port: number): ReadonlySet<string> {
  return new Set([`${HOST}:${port}`, `localhost:${port}`]);
}

function refuse(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

export async function startChartServer(options: ChartServerOptions): Promise<ChartServer> {
  const { hub, assets } = options;
  const maxTabs = options.maxTabs ?? 64;
  const sessions = new Set<TabSession>();
  const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_CLIENT_MESSAGE_BYTES * 4 });
  let hosts: ReadonlySet<string> = new Set();

  const allowed = (request: IncomingMessage): boolean => {
    if (!hosts.has(request.headers.host ?? '')) return false;
    const origin = request.headers.origin;
    return origin === undefined || [...hosts].some((host) => origin === `http://${host}`);
  };

  const stats = (): unknown => ({
    tabs: sessions.size,
    upstream: {
      open: hub.upstream.openStreams(),
      opened: {
        tickers: hub.upstream.tickers.openedCount,
        books: hub.upstream.books.openedCount,
        trades: hub.upstream.trades.openedCount,
        candles: hub.upstream.candles.openedCount,
      },
    },
    process: options.processUsage(),
  });

  const onRequest = (request: IncomingMessage, response: ServerResponse): void => {
    if (!allowed(request)) {
      response.writeHead(403, { 'content-type': 'text/plain' }).end('forbidden');
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' }).end('method not allowed');
      return;
    }
    const path = new URL(request.url ?? '/', `http://${HOST}`).pathname;
    if (path === STATS_PATH) {
      response.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      response.end(JSON.stringify(stats()));
      return;
    }
    const asset = assets.get(path);
    if (asset === undefined) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    response.writeHead(200, {
      'content-type': asset.contentType,
      'content-length': asset.body.length,
      'cache-control': 'no-cache',
      'x-content-type-options': 'nosniff',
    });
    response.end(request.method === 'HEAD' ? undefined : asset.body);
  };

  const onConnection = (socket: WebSocket): void => {
    const sender = new TabSender(socket, hub.clock, options.sender);
    const session = new TabSession(hub, sender);
    sessions.add(session);
    socket.on('message', (data, isBinary) => {
      if (isBinary) {
        sender.send({
          t: 'error',
          selection: undefined,
          message: 'page message: binary frames are not read',
          hint: undefined,
        });
        return;
      }
      session.receive(data.toString());
    });
    socket.on('close', () => {
      sessions.delete(session);
      session.close();
    });
    socket.on('error', (error) => hub.logger.debug('tab socket error', { error: error.message }));
  };

  const server: Server = createServer(onRequest);
  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => {});
    const path = new URL(request.url ?? '/', `http://${HOST}`).pathname;
    if (path !== STREAM_PATH) return refuse(socket, 404, 'Not Found');
    if (!allowed(request)) return refuse(socket, 403, 'Forbidden');
    if (sessions.size >= maxTabs) return refuse(socket, 503, 'Service Unavailable');
    sockets.handleUpgrade(request, socket, head, (ws) => onConnection(ws));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, HOST, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the chart server has no TCP address');
  hosts = ownHosts(address.port);

  return {
    url: `http://${HOST}:${address.port}/`,
    port: address.port,
    tabCount: () => sessions.size,
    close: async () => {
      for (const client of sockets.clients) client.terminate();
      for (const session of sessions) session.close();
      sessions.clear();
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
    },
  };
}
