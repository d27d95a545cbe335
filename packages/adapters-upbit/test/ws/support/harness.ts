import { createSeededRandom, type MarketCode, parseMarketCode } from '@marketdata/domain';
import { FakeClock, MemoryLogger } from '@marketdata/domain/testing';
import { vi } from 'vitest';
import type WebSocket from 'ws';
import { WebSocket as WsClient } from 'ws';
import { type ConnectionGovernor, createConnectionGovernor } from '../../../src/ws/connection-governor.js';
import {
  createUpbitWebSocketSource,
  type UpbitWebSocketOptions,
  type UpbitWebSocketSource,
} from '../../../src/ws/index.js';
import { type LocalServerOptions, LocalUpbitServer } from './local-upbit-server.js';

export const BTC = parseMarketCode('KRW-BTC');

/** Heartbeat and backoff settings most tests here assume (the adapter's defaults before they became faster). */
export const HEARTBEAT_OF_THESE_TESTS = {
  heartbeat: 'text',
  pingIntervalMs: 25_000,
  livenessTimeoutMs: 20_000,
  backoff: { maxMs: 1_000 },
} as const satisfies Partial<UpbitWebSocketOptions>;
export const ETH = parseMarketCode('KRW-ETH');
export const XRP = parseMarketCode('KRW-XRP');

/** Waits for real I/O (sockets) to reach a condition; the adapter's own timers run on the FakeClock. */
export async function until(check: () => boolean | undefined | Promise<boolean>, timeout = 5_000): Promise<void> {
  await vi.waitFor(
    async () => {
      if ((await check()) === false) throw new Error('condition not met yet');
    },
    { timeout, interval: 5 },
  );
}

/** Lets socket I/O run (a few ms of real time) without moving the FakeClock. */
export function ioPause(ms = 2): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export interface Harness {
  readonly clock: FakeClock;
  readonly logger: MemoryLogger;
  readonly server: LocalUpbitServer;
  readonly source: UpbitWebSocketSource;
  /** The connect governor of this test, on its FakeClock. */
  readonly governor: ConnectionGovernor;
  /** Every socket the source created, in order. */
  readonly sockets: WebSocket[];
  /** FakeClock monotonic time of each socket creation (connect attempt). */
  readonly connectTimes: number[];
  /** Advances fake time in steps, letting socket I/O run after each one. */
  pump(ms: number, stepMs?: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * The source against a local server on 127.0.0.1, on a FakeClock, with a connect governor of its own on that clock
 * (the process-wide one runs on the system clock; tests of it use real time).
 */
export async function startHarness(
  options: Partial<UpbitWebSocketOptions> = {},
  serverOptions: LocalServerOptions = {},
): Promise<Harness> {
  const clock = options.clock instanceof FakeClock ? options.clock : new FakeClock();
  const logger = new MemoryLogger();
  const server = await LocalUpbitServer.start({ clock, ...serverOptions });
  const sockets: WebSocket[] = [];
  const connectTimes: number[] = [];
  const governor = options.connectionGovernor ?? createConnectionGovernor({ clock });
  const source = createUpbitWebSocketSource({
    url: server.url,
    clock,
    logger,
    random: createSeededRandom(42),
    connectionGovernor: governor,
    // The heartbeat and backoff these tests were written for (text PING every 25 s, 20 s to answer, reconnects
    // within a second); the adapter's own defaults are tested in source-defaults.test.ts.
    ...HEARTBEAT_OF_THESE_TESTS,
    createSocket: (url, socketOptions) => {
      const socket = new WsClient(url, socketOptions);
      sockets.push(socket);
      connectTimes.push(clock.monotonic());
      return socket;
    },
    ...options,
  });
  return {
    clock,
    logger,
    server,
    source,
    governor,
    sockets,
    connectTimes,
    async pump(ms, stepMs = 50) {
      await ioPause(); // what is already due (a flush queued this tick, socket I/O) happens before time moves
      for (let elapsed = 0; elapsed < ms; elapsed += stepMs) {
        clock.advance(Math.min(stepMs, ms - elapsed));
        await ioPause();
      }
    },
    async close() {
      await source.close();
      await server.close();
    },
  };
}

export function codes(count: number): MarketCode[] {
  return Array.from({ length: count }, (_, i) => parseMarketCode(`KRW-M${String(i).padStart(3, '0')}`));
}

/** The most events found in any window of `windowMs` (half-open: [t, t + windowMs)). */
export function maxInWindow(times: readonly number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  let start = 0;
  for (let end = 0; end < sorted.length; end++) {
    while ((sorted[end] ?? 0) - (sorted[start] ?? 0) >= windowMs) start++;
    most = Math.max(most, end - start + 1);
  }
  return most;
}
