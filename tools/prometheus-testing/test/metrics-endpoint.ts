import { createServer, type Server } from 'node:http';

/** A `/metrics` endpoint on 127.0.0.1 serving whatever text the test sets, and counting the scrapes. */
export interface MetricsEndpoint {
  /** `127.0.0.1:PORT`, as a Prometheus target. */
  readonly target: string;
  /** Scrapes answered so far. */
  readonly scrapes: number;
  set(exposition: string): void;
  close(): Promise<void>;
}

export async function serveMetrics(initial: string): Promise<MetricsEndpoint> {
  let body = initial;
  let scrapes = 0;
  const server: Server = createServer((req, res) => {
    if (req.url !== '/metrics') {
      res.writeHead(404).end();
      return;
    }
    scrapes++;
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(body);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP address for the metrics endpoint');
  return {
    target: `127.0.0.1:${address.port}`,
    get scrapes() {
      return scrapes;
    },
    set(exposition) {
      body = exposition;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
