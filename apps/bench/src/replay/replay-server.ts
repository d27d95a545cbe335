import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { afterMs, epochNowMs, monoNowMs } from '../system-clock.js';
import { buildFramePool, type ReplayFormat, type ReplayKind, TIMESTAMP_SLOT } from './frame-pool.js';
import { ClientFrameReader, encodeBinary, encodeFrame, handshakeAnswer, OPCODE } from './ws-framing.js';

/**
 * A WebSocket server that replays recorded Upbit frames to every client (binary frames of UTF-8 JSON, as Upbit sends
 * them), in the format the client's subscription asks for (`{"format":"SIMPLE"}`, else DEFAULT, as Upbit does), once its first request arrives. Flood mode writes
 * pre-encoded frames as fast as the socket drains (the client's own pace is the measure); paced mode sends
 * `perSecond` frames each stamped with the send time (`timestamp`/`tms`, epoch ms) for latency rows. Runs in a
 * process of its own (replay-child.ts), so its work never mixes with the measured client's.
 */
export interface ReplaySpec {
  readonly kind: ReplayKind;
  readonly codes: readonly string[];
  /** Distinct frames per format before the pool repeats. */
  readonly poolSize: number;
  /** Frames per second for every client; undefined: as fast as the socket drains. */
  readonly perSecond: number | undefined;
}

export interface ReplayCounters {
  readonly framesSent: number;
  /** Clients by the format they asked for. */
  readonly clients: Readonly<Record<ReplayFormat, number>>;
}

const FRAMES_PER_CHUNK = 64;
const PACE_TICK_MS = 1;
/** A paced client this far behind (bytes queued in this process) is cut off, as the simulator does. */
const MAX_QUEUED_BYTES = 64 * 1024 * 1024;
const STATUS_UP = encodeBinary('{"status":"UP"}');

interface StampedFrame {
  readonly before: Buffer;
  readonly after: Buffer;
}

function requestedFormat(payload: Buffer): ReplayFormat {
  try {
    const request = JSON.parse(payload.toString('utf8')) as unknown;
    if (!Array.isArray(request)) return 'DEFAULT';
    const format = request.find((part: unknown) => typeof part === 'object' && part !== null && 'format' in part);
    return (format as { format?: unknown } | undefined)?.format === 'SIMPLE' ? 'SIMPLE' : 'DEFAULT';
  } catch {
    return 'DEFAULT';
  }
}

export class ReplayServer {
  private framesSent = 0;
  private readonly clients: Record<ReplayFormat, number> = { DEFAULT: 0, SIMPLE: 0 };
  private readonly chunks = new Map<ReplayFormat, readonly Buffer[]>();
  private readonly stamped = new Map<ReplayFormat, readonly StampedFrame[]>();
  private readonly sockets = new Set<Duplex>();
  private readonly stops = new Set<() => void>();

  private constructor(
    private readonly server: Server,
    private readonly spec: ReplaySpec,
  ) {
    server.on('upgrade', (request: IncomingMessage, socket: Duplex) => this.accept(request, socket));
  }

  static async start(spec: ReplaySpec): Promise<ReplayServer> {
    const server = createServer((_request, response) => {
      response.writeHead(426).end();
    });
    const replay = new ReplayServer(server, spec);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    return replay;
  }

  get url(): string {
    const { port } = this.server.address() as AddressInfo;
    return `ws://127.0.0.1:${port}/websocket/v1`;
  }

  counters(): ReplayCounters {
    return { framesSent: this.framesSent, clients: { ...this.clients } };
  }

  async close(): Promise<void> {
    for (const stop of this.stops) stop();
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(request: IncomingMessage, socket: Duplex): void {
    const key = request.headers['sec-websocket-key'];
    if (typeof key !== 'string') {
      socket.destroy();
      return;
    }
    this.sockets.add(socket);
    (socket as Duplex & { setNoDelay?: (on: boolean) => void }).setNoDelay?.(true);
    socket.write(handshakeAnswer(key));
    const reader = new ClientFrameReader();
    let stop: (() => void) | undefined;
    const end = (): void => {
      stop?.();
      this.sockets.delete(socket);
    };
    socket.on('close', end);
    socket.on('error', end);
    socket.on('data', (chunk: Buffer) => {
      for (const frame of reader.push(chunk)) {
        if (frame.opcode === OPCODE.close) {
          stop?.();
          socket.end(encodeFrame(OPCODE.close, frame.payload.subarray(0, 2)));
          return;
        }
        if (frame.opcode === OPCODE.ping) socket.write(encodeFrame(OPCODE.pong, frame.payload));
        else if (frame.opcode === OPCODE.text && frame.payload.toString('utf8') === 'PING') socket.write(STATUS_UP);
        else if ((frame.opcode === OPCODE.text || frame.opcode === OPCODE.binary) && stop === undefined) {
          const format = requestedFormat(frame.payload);
          this.clients[format] += 1;
          stop =
            this.spec.perSecond === undefined
              ? this.flood(socket, format)
              : this.pace(socket, format, this.spec.perSecond);
          this.stops.add(stop);
        }
      }
    });
  }

  /** Writes whole chunks of frames while the socket takes them, again on every drain. */
  private flood(socket: Duplex, format: ReplayFormat): () => void {
    const chunks = this.chunksOf(format);
    let next = 0;
    let running = true;
    const pump = (): void => {
      while (running) {
        const chunk = chunks[next] as Buffer;
        next = (next + 1) % chunks.length;
        this.framesSent += FRAMES_PER_CHUNK;
        if (!socket.write(chunk)) {
          socket.once('drain', pump);
          return;
        }
      }
    };
    pump();
    return () => {
      running = false;
    };
  }

  /** Every tick, the frames due by now, each stamped with the time it is written. */
  private pace(socket: Duplex, format: ReplayFormat, perSecond: number): () => void {
    const frames = this.stampedOf(format);
    const started = monoNowMs();
    let sent = 0;
    let cancel: (() => void) | undefined;
    const tick = (): void => {
      const due = Math.floor(((monoNowMs() - started) * perSecond) / 1000) - sent;
      if (due > 0) {
        const stamp = Buffer.from(String(epochNowMs()));
        const batch: Buffer[] = [];
        for (let i = 0; i < due; i++) {
          const frame = frames[(sent + i) % frames.length] as StampedFrame;
          batch.push(encodeFrame(OPCODE.binary, Buffer.concat([frame.before, stamp, frame.after])));
        }
        sent += due;
        this.framesSent += due;
        socket.write(Buffer.concat(batch));
        if (socket.writableLength > MAX_QUEUED_BYTES) {
          socket.destroy();
          return;
        }
      }
      cancel = afterMs(PACE_TICK_MS, tick);
    };
    tick();
    return () => cancel?.();
  }

  private chunksOf(format: ReplayFormat): readonly Buffer[] {
    let chunks = this.chunks.get(format);
    if (chunks === undefined) {
      const frames = this.pool(format, false).map(encodeBinary);
      const built: Buffer[] = [];
      for (let i = 0; i + FRAMES_PER_CHUNK <= frames.length; i += FRAMES_PER_CHUNK) {
        built.push(Buffer.concat(frames.slice(i, i + FRAMES_PER_CHUNK)));
      }
      chunks = built;
      this.chunks.set(format, chunks);
    }
    return chunks;
  }

  private stampedOf(format: ReplayFormat): readonly StampedFrame[] {
    let frames = this.stamped.get(format);
    if (frames === undefined) {
      frames = this.pool(format, true).map((text) => {
        const [before = '', after = ''] = text.split(TIMESTAMP_SLOT);
        return { before: Buffer.from(before), after: Buffer.from(after) };
      });
      this.stamped.set(format, frames);
    }
    return frames;
  }

  private pool(format: ReplayFormat, stampWhenSent: boolean): readonly string[] {
    const { kind, codes, poolSize } = this.spec;
    return buildFramePool({ kind, format, codes, size: poolSize, stampWhenSent });
  }
}
