import { get, type IncomingHttpHeaders } from 'node:http';
import { FakeClock } from '@marketdata/domain/testing';
import { vi } from 'vitest';
import WebSocket from 'ws';
import { type StartUpbitSimOptions, startUpbitSim, type UpbitSim } from '../src/index.js';

/** 2026-03-11T14:40:59Z, the time of the recorded KRW ticker snapshot. */
export const FIXTURE_TIME = Date.UTC(2026, 2, 11, 14, 40, 59);

export const SMALL_UNIVERSE = ['KRW-BTC', 'KRW-ETH', 'KRW-XRP', 'BTC-ETH', 'USDT-BTC', 'KRW-USDE'] as const;

export interface Harness {
  readonly sim: UpbitSim;
  readonly clock: FakeClock;
}

const open: { sims: UpbitSim[]; sockets: WebSocket[] } = { sims: [], sockets: [] };

export async function startFakeSim(options: StartUpbitSimOptions = {}, now = FIXTURE_TIME): Promise<Harness> {
  const clock = new FakeClock({ now });
  const sim = await startUpbitSim({ markets: [...SMALL_UNIVERSE], adminPort: false, clock, ...options });
  open.sims.push(sim);
  return { sim, clock };
}

/** Closes every simulator and socket the helpers opened (call in afterEach). */
export async function closeAll(): Promise<void> {
  for (const socket of open.sockets.splice(0)) socket.terminate();
  await Promise.all(open.sims.splice(0).map((sim) => sim.close()));
}

export interface HttpReply {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly text: string;
}

export function httpGet(url: string, headers: Record<string, string> = {}): Promise<HttpReply> {
  return new Promise((resolve, reject) => {
    const req = get(url, { headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

export interface WsMessage {
  readonly text: string;
  readonly binary: boolean;
}

/** A WebSocket client that records every message, and how the connection ended. */
export class WsProbe {
  readonly messages: WsMessage[] = [];
  readonly socket: WebSocket;
  closeCode: number | undefined;
  pongs = 0;
  private readonly opened: Promise<void>;

  constructor(url: string, headers: Record<string, string> = {}) {
    this.socket = new WebSocket(url, { headers });
    open.sockets.push(this.socket);
    this.socket.on('message', (data: Buffer, binary) => this.messages.push({ text: data.toString('utf8'), binary }));
    this.socket.on('close', (code) => {
      this.closeCode = code;
    });
    this.socket.on('pong', () => {
      this.pongs++;
    });
    this.socket.on('error', () => {});
    this.opened = new Promise((resolve, reject) => {
      this.socket.once('open', () => resolve());
      this.socket.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
      this.socket.once('error', reject);
    });
  }

  static async connect(url: string, headers: Record<string, string> = {}): Promise<WsProbe> {
    const probe = new WsProbe(url, headers);
    await probe.opened;
    return probe;
  }

  send(value: unknown): void {
    this.socket.send(typeof value === 'string' ? value : JSON.stringify(value));
  }

  /** Parsed JSON of every message so far (parse errors become undefined). */
  json(): unknown[] {
    return this.messages.map((m) => {
      try {
        return JSON.parse(m.text);
      } catch {
        return undefined;
      }
    });
  }

  async waitForCount(count: number, timeout = 5000): Promise<void> {
    await vi.waitFor(
      () => {
        if (this.messages.length < count) throw new Error(`have ${this.messages.length} of ${count} messages`);
      },
      { timeout, interval: 5 },
    );
  }

  async waitForClose(timeout = 5000): Promise<number> {
    await vi.waitFor(
      () => {
        if (this.closeCode === undefined) throw new Error('still open');
      },
      { timeout, interval: 5 },
    );
    return this.closeCode as number;
  }
}

/** Subscribes and waits for the snapshots (one per existing code and type). */
export async function subscribe(probe: WsProbe, request: unknown[], expectedSnapshots: number): Promise<void> {
  const before = probe.messages.length;
  probe.send(request);
  await probe.waitForCount(before + expectedSnapshots);
}

/** Lets in-flight socket traffic arrive (real time, short). */
export function settle(ms = 50): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function objectOf(value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('expected an object');
  return value as Record<string, unknown>;
}

/**
 * Advances the fake clock in steps until `condition` holds (socket traffic is real, so a request may not have
 * reached the simulator when the first step runs).
 */
export async function advanceUntil(
  clock: { advanceAsync(ms: number): Promise<void> },
  condition: () => boolean,
  stepMs: number,
  timeout = 5000,
): Promise<void> {
  await vi.waitFor(
    async () => {
      if (condition()) return;
      await clock.advanceAsync(stepMs);
      if (!condition()) throw new Error('condition not met yet');
    },
    { timeout, interval: 10 },
  );
}
