import { setTimeout as sleep } from 'node:timers/promises';
import WebSocket from 'ws';

/** A plain `ws` client subscribed to Upbit tickers, recording what it receives, for observing faults from outside. */
export interface TickerProbe {
  /** Frames received so far (each a decoded JSON object). */
  readonly frames: readonly unknown[];
  /** Set once the socket closed, with the close code ws reports (1006 = no close frame). */
  readonly closeCode: number | undefined;
  /** Resolves true once `count` frames in all have arrived, false if `timeoutMs` passes first. */
  waitForFrames(count: number, timeoutMs: number): Promise<boolean>;
  /** Resolves true if a WebSocket pong answers a ping within `timeoutMs`. */
  pingAnswered(timeoutMs: number): Promise<boolean>;
  close(): void;
}

/** Opens a socket and sends Upbit's subscription request (ticket + ticker type + codes, DEFAULT format). */
export async function openTickerProbe(
  wsUrl: string,
  codes: readonly string[],
  timeoutMs: number,
): Promise<TickerProbe> {
  const socket = new WebSocket(wsUrl, { handshakeTimeout: timeoutMs });
  const frames: unknown[] = [];
  let closeCode: number | undefined;
  socket.on('message', (data: Buffer) => frames.push(JSON.parse(data.toString('utf8'))));
  socket.on('close', (code) => {
    closeCode = code;
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  // Errors after the handshake (resets across a restart) are expected in these tests and show as closeCode.
  socket.on('error', () => undefined);
  socket.send(JSON.stringify([{ ticket: 'reliability-probe' }, { type: 'ticker', codes }]));
  return {
    frames,
    get closeCode() {
      return closeCode;
    },
    async waitForFrames(count, waitMs) {
      const deadline = AbortSignal.timeout(waitMs);
      while (frames.length < count && !deadline.aborted) await sleep(20);
      return frames.length >= count;
    },
    pingAnswered(waitMs) {
      if (socket.readyState !== WebSocket.OPEN) return Promise.resolve(false);
      return new Promise((resolve) => {
        const onPong = (): void => {
          clearTimeout(timer);
          resolve(true);
        };
        const timer = setTimeout(() => {
          socket.off('pong', onPong);
          resolve(false);
        }, waitMs);
        socket.once('pong', onPong);
        socket.ping();
      });
    },
    close() {
      socket.terminate();
    },
  };
}
