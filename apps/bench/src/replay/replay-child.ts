/**
 * Child-process entry: hosts replay servers for the bench (see replay-server.ts), so that writing frames never
 * competes with the measured client inside one event loop. Driven over Node IPC (replay-protocol.ts).
 */
import type { ReplayRequest, ReplayResponse } from './replay-protocol.js';
import { ReplayServer } from './replay-server.js';

const servers = new Map<number, ReplayServer>();
let nextServerId = 1;

function send(message: ReplayResponse): void {
  process.send?.(message);
}

async function handle(request: ReplayRequest): Promise<unknown> {
  switch (request.op) {
    case 'start': {
      const server = await ReplayServer.start(request.spec);
      const serverId = nextServerId++;
      servers.set(serverId, server);
      return { serverId, url: server.url };
    }
    case 'counters': {
      const server = servers.get(request.serverId);
      if (server === undefined) throw new Error(`no replay server ${request.serverId}`);
      return server.counters();
    }
    case 'stop': {
      const server = servers.get(request.serverId);
      servers.delete(request.serverId);
      await server?.close();
      return null;
    }
    case 'shutdown': {
      await Promise.allSettled([...servers.values()].map((server) => server.close()));
      servers.clear();
      setImmediate(() => process.disconnect?.());
      return null;
    }
  }
}

process.on('message', (request: ReplayRequest) => {
  handle(request).then(
    (result) => send({ requestId: request.requestId, ok: true, result: result as never }),
    (error: unknown) =>
      send({ requestId: request.requestId, ok: false, error: error instanceof Error ? error.message : String(error) }),
  );
});
// The parent going away must not leave servers behind.
process.on('disconnect', () => {
  void Promise.allSettled([...servers.values()].map((server) => server.close())).then(() => process.exit(0));
});
process.send?.({ ready: true });
