import { createServer, type Server } from 'node:http';

/** A tiny HTTP server on 127.0.0.1 serving fixed pages by path (404 otherwise). */
export interface PageServer {
  readonly url: string;
  close(): Promise<void>;
}

export async function servePages(pages: Readonly<Record<string, string>>): Promise<PageServer> {
  const server: Server = createServer((req, res) => {
    const page = pages[req.url ?? ''];
    if (page === undefined) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP address for the page server');
  return {
    url: `http://127.0.0.1:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
