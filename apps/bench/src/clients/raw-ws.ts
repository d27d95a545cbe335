import WebSocket from 'ws';
import { wallNowMs, withDeadline } from '../system-clock.js';

export type WsFormat = 'DEFAULT' | 'SIMPLE';
export type RawStreamKind = 'ticker' | 'trade';

/** What the raw baseline keeps per frame: the parsed object and when it arrived. */
export interface RawFrame {
  readonly code: string;
  readonly price: number;
  /** Server time of the frame (`timestamp` / `tms`), epoch ms. */
  readonly timestamp: number;
  readonly receivedAtMs: number;
}

export interface RawStreamOptions {
  readonly wsUrl: string;
  readonly codes: readonly string[];
  readonly format: WsFormat;
  /** Default `ticker`. */
  readonly kind?: RawStreamKind | undefined;
  readonly onFrame?: ((frame: RawFrame) => void) | undefined;
}

/** The WebSocket baseline: `ws` + `JSON.parse` of every frame, latest frame kept per code. */
export class RawWebSocketStream {
  messages = 0;
  lastError: Error | undefined;
  readonly latest = new Map<string, RawFrame>();
  private readonly socket: WebSocket;
  private closing = false;
  private closeCode: number | undefined;

  private constructor(socket: WebSocket, options: RawStreamOptions) {
    this.socket = socket;
    const simple = options.format === 'SIMPLE';
    socket.on('error', (error) => {
      this.lastError = error;
    });
    socket.on('close', (code) => {
      this.closeCode = code;
    });
    socket.on('message', (data: Buffer) => {
      const receivedAtMs = wallNowMs();
      let parsed: Record<string, unknown>;
      try {
        parsed = JSON.parse(data.toString('utf8')) as Record<string, unknown>;
      } catch (error) {
        // The baseline has no decoder to report to: the run shows it as failed instead of crashing the bench.
        this.lastError = error instanceof Error ? error : new Error(String(error));
        return;
      }
      const code = (simple ? parsed.cd : parsed.code) as string | undefined;
      if (code === undefined) return;
      this.messages += 1;
      const frame: RawFrame = {
        code,
        price: Number(simple ? parsed.tp : parsed.trade_price),
        timestamp: Number(simple ? parsed.tms : parsed.timestamp),
        receivedAtMs,
      };
      this.latest.set(code, frame);
      options.onFrame?.(frame);
    });
  }

  static async open(options: RawStreamOptions): Promise<RawWebSocketStream> {
    const socket = new WebSocket(options.wsUrl);
    await withDeadline(
      new Promise<void>((resolve, reject) => {
        socket.once('open', () => resolve());
        socket.once('error', reject);
      }),
      10_000,
      'raw ws connect',
    );
    const stream = new RawWebSocketStream(socket, options);
    socket.send(
      JSON.stringify([
        { ticket: `bench-raw-${process.pid}` },
        { type: options.kind ?? 'ticker', codes: options.codes },
        { format: options.format },
      ]),
    );
    return stream;
  }

  /** An error when the server closed the socket before we did. */
  closedEarly(): Error | undefined {
    if (this.closing || this.closeCode === undefined) return undefined;
    return new Error(`the server closed the connection (code ${this.closeCode})`);
  }

  /** Stops reading the socket (frames already read may still come), for measurements that take turns. */
  pause(): void {
    this.socket.pause();
  }

  resume(): void {
    this.socket.resume();
  }

  async close(): Promise<void> {
    this.closing = true;
    if (this.socket.readyState === WebSocket.CLOSED) return;
    const closed = new Promise<void>((resolve) => this.socket.once('close', () => resolve()));
    this.socket.close();
    await withDeadline(closed, 5_000, 'raw ws close').catch(() => this.socket.terminate());
  }
}
