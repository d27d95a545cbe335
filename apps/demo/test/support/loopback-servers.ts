import type { Server as HttpServer } from 'node:http';
import { createServer, type Server, type Socket } from 'node:net';

const servers: (Server | HttpServer)[] = [];
const sockets: Socket[] = [];

function listenOnLoopback(server: Server | HttpServer): Promise<number> {
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve(typeof address === 'object' && address !== null ? address.port : 0);
    });
  });
}

/** Listens on 127.0.0.1 (random port) and tracks the server and its sockets for `closeLoopbackServers`. */
export function listen(server: Server | HttpServer): Promise<number> {
  servers.push(server);
  server.on('connection', (socket: Socket) => sockets.push(socket));
  return listenOnLoopback(server);
}

/** A loopback port that nothing listens on (connections are refused). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  const port = await listenOnLoopback(server);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Destroys every tracked socket and closes every server started with `listen` (call in afterEach). */
export async function closeLoopbackServers(): Promise<void> {
  for (const socket of sockets.splice(0)) socket.destroy();
  await Promise.all(servers.splice(0).map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
}
