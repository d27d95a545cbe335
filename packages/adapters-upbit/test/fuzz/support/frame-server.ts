import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';

/**
 * A bare WebSocket server on 127.0.0.1 (random port) that sends exactly the bytes a test gives it, as binary frames
 * like Upbit's (or as text frames when asked). It records every subscription request and answers text `PING` with
 * `{"status":"UP"}` as Upbit does; nothing else is sent on its own (no snapshots), so a test knows every frame.
 */
export interface SeenSubscription {
  readonly connection: number;
  readonly format: string | undefined;
  readonly codes: Readonly<Record<string, readonly string[]>>;
}

export class FrameServer {
  readonly subscriptions: SeenSubscription[] = [];
  connections = 0;
  private readonly sockets = new Set<WebSocket>();

  private constructor(
    private readonly server: WebSocketServer,
    readonly port: number,
  ) {
    server.on('connection', (socket) => this.accept(socket));
  }

  static async start(): Promise<FrameServer> {
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise<void>((resolve, reject) => {
      server.once('listening', resolve);
      server.once('error', reject);
    });
    return new FrameServer(server, (server.address() as AddressInfo).port);
  }

  get url(): string {
    return `ws://127.0.0.1:${this.port}/websocket/v1`;
  }

  /** The last subscription of the newest connection, if it has sent one. */
  latest(): SeenSubscription | undefined {
    const last = this.subscriptions.at(-1);
    return last?.connection === this.connections ? last : undefined;
  }

  /** Sends to every open connection; resolves once the bytes are handed to the socket. */
  async send(bytes: Uint8Array, binary = true): Promise<void> {
    await Promise.all(
      [...this.sockets].map(
        (socket) =>
          new Promise<void>((resolve, reject) => {
            socket.send(bytes, { binary }, (error) =>
              error === undefined || error === null ? resolve() : reject(error),
            );
          }),
      ),
    );
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.terminate();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(socket: WebSocket): void {
    const connection = ++this.connections;
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => undefined);
    socket.on('message', (data, isBinary) => {
      const text = data.toString();
      if (!isBinary && text === 'PING') {
        socket.send('{"status":"UP"}');
        return;
      }
      this.subscriptions.push({ connection, ...parseRequest(text) });
    });
  }
}

function parseRequest(text: string): Omit<SeenSubscription, 'connection'> {
  const codes: Record<string, readonly string[]> = {};
  let format: string | undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    for (const item of Array.isArray(parsed) ? (parsed as unknown[]) : []) {
      if (typeof item !== 'object' || item === null) continue;
      const entry = item as Record<string, unknown>;
      if (typeof entry.format === 'string') format = entry.format;
      if (typeof entry.type === 'string' && Array.isArray(entry.codes)) codes[entry.type] = entry.codes.map(String);
    }
  } catch {
    // Not JSON: recorded with no codes.
  }
  return { format, codes };
}
