import type { ClientMessage, ServerMessage } from '../protocol/messages.js';

export interface ConnectionHandlers {
  onOpen(): void;
  onMessage(message: ServerMessage): void;
  /** The link to the local server is down; it is being re-opened. */
  onClose(): void;
}

const RECONNECT_MIN_MS = 500;
const RECONNECT_MAX_MS = 5_000;

/** The tab's one WebSocket to the local server, re-opened with backoff when it drops. */
export class ServerConnection {
  private socket: WebSocket | undefined;
  private delayMs = RECONNECT_MIN_MS;

  constructor(
    private readonly url: string,
    private readonly handlers: ConnectionHandlers,
  ) {
    this.open();
  }

  get connected(): boolean {
    return this.socket?.readyState === WebSocket.OPEN;
  }

  send(message: ClientMessage): void {
    if (this.connected) this.socket?.send(JSON.stringify(message));
  }

  private open(): void {
    const socket = new WebSocket(this.url);
    this.socket = socket;
    socket.addEventListener('open', () => {
      this.delayMs = RECONNECT_MIN_MS;
      this.handlers.onOpen();
    });
    socket.addEventListener('message', (event) => {
      if (typeof event.data !== 'string') return;
      this.handlers.onMessage(JSON.parse(event.data) as ServerMessage);
    });
    socket.addEventListener('close', () => {
      if (this.socket !== socket) return;
      this.handlers.onClose();
      setTimeout(() => this.open(), this.delayMs);
      this.delayMs = Math.min(RECONNECT_MAX_MS, this.delayMs * 2);
    });
  }
}
