import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';

/** A `node:http` request listener. */
export type MetricsRequestListener = (request: IncomingMessage, response: ServerResponse) => void;

/** Options of {@link createMetricsHandler}. */
export interface MetricsHandlerOptions {
  /** The path that answers with the metrics. Default `/metrics`. */
  readonly path?: string | undefined;
}

/**
 * A ready `/metrics` endpoint for `node:http` (or anything taking a request listener): `GET` and `HEAD` of `path`
 * answer 200 with `registry.metrics()` in the registry's content type; another path is 404, another method 405 (with
 * `Allow`), and a failing collection 500 with the reason as text.
 *
 * @example
 * ```ts
 * createServer(createMetricsHandler(registry)).listen(9464, '127.0.0.1');
 * ```
 */
export function createMetricsHandler(registry: Registry, options: MetricsHandlerOptions = {}): MetricsRequestListener {
  const path = options.path ?? '/metrics';
  return (request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (url.pathname !== path) {
      response
        .writeHead(404, { 'content-type': 'text/plain; charset=utf-8' })
        .end(`not found; metrics are at ${path}\n`);
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' }).end();
      return;
    }
    registry.metrics().then(
      (text) => {
        response.writeHead(200, { 'content-type': registry.contentType, 'cache-control': 'no-store' });
        response.end(request.method === 'HEAD' ? undefined : text);
      },
      (error: unknown) => {
        response.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
        response.end(`metrics collection failed: ${error instanceof Error ? error.message : String(error)}\n`);
      },
    );
  };
}

/** Options of {@link serveMetrics}. */
export interface ServeMetricsOptions extends MetricsHandlerOptions {
  /** Default 9464 (the port Prometheus exporters of this kind commonly use); 0 picks a free one. */
  readonly port?: number | undefined;
  /** Default `127.0.0.1`: only this machine can scrape. Give `0.0.0.0` deliberately to expose it. */
  readonly host?: string | undefined;
}

/** A running metrics endpoint. */
export interface MetricsServer {
  /** The full URL of the metrics path, e.g. `http://127.0.0.1:9464/metrics`. */
  readonly url: string;
  /** The port listened on (the real one when 0 was asked). */
  readonly port: number;
  /** Stops listening and closes open connections. */
  close(): Promise<void>;
}

/** Starts an HTTP server answering {@link createMetricsHandler}'s endpoint. Rejects if the port cannot be bound. */
export async function serveMetrics(registry: Registry, options: ServeMetricsOptions = {}): Promise<MetricsServer> {
  const host = options.host ?? '127.0.0.1';
  const path = options.path ?? '/metrics';
  const server = createServer(createMetricsHandler(registry, { path }));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 9464, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${port}${path}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
