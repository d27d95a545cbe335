import WebSocket from 'ws';
import type { ClientMessage, ServerMessage } from '../../src/protocol/messages.js';

/** A tab without a browser: one WebSocket to the chart server, every message kept. */
export class TabClient {
  readonly messages: ServerMessage[] = [];
  private constructor(private readonly socket: WebSocket) {
    // Listening from the start: the greeting may come in the same packet as the upgrade answer.
    socket.on('message', (data) => this.messages.push(JSON.parse(data.toString()) as ServerMessage));
  }

  static async open(url: string, headers: Record<string, string> = {}): Promise<TabClient> {
    const socket = new WebSocket(`${url.replace(/^http/, 'ws')}stream`, { headers });
    const client = new TabClient(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
      socket.once('unexpected-response', (_request, response) =>
        reject(new Error(`upgrade refused: ${response.statusCode}`)),
      );
    });
    return client;
  }

  send(message: ClientMessage | string): void {
    this.socket.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  of<T extends ServerMessage['t']>(type: T): Extract<ServerMessage, { t: T }>[] {
    return this.messages.filter((message): message is Extract<ServerMessage, { t: T }> => message.t === type);
  }

  /** Resolves with the first message (from `from` on) that matches, polling every 20 ms; rejects after `timeoutMs`. */
  async waitFor<T extends ServerMessage['t']>(
    type: T,
    predicate: (message: Extract<ServerMessage, { t: T }>) => boolean = () => true,
    timeoutMs = 10_000,
  ): Promise<Extract<ServerMessage, { t: T }>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.of(type).find(predicate);
      if (found !== undefined) return found;
      if (Date.now() > deadline) throw new Error(`no ${type} message within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  get open(): boolean {
    return this.socket.readyState === WebSocket.OPEN;
  }

  async close(): Promise<void> {
    if (this.socket.readyState === WebSocket.CLOSED) return;
    await new Promise<void>((resolve) => {
      this.socket.once('close', () => resolve());
      this.socket.close();
    });
  }
}
