import { createSeededRandom, type MarketCode, parseMarketCode } from '@marketdata/domain';
import { FakeClock, MemoryLogger } from '@marketdata/domain/testing';
import { vi } from 'vitest';
import type WebSocket from 'ws';
import { WebSocket as WsClient } from 'ws';
import {
  createUpbitWebSocketSource,
  type UpbitWebSocketOptions,
  type UpbitWebSocketSource,
} from '../../../src/ws/index.js';
import { type LocalServerOptions, LocalUpbitServer } from './local-upbit-server.js';

export const BTC = parseMarketCode('KRW-BTC');
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

export interface Harness {
  readonly clock: FakeClock;
  readonly logger: MemoryLogger;
  readonly server: LocalUpbitServer;
  readonly source: UpbitWebSocketSource;
  /** Every socket the source created, in order. */
  readonly sockets: WebSocket[];
  close(): Promise<void>;
}

export async function startHarness(
  options: Partial<UpbitWebSocketOptions> = {},
  serverOptions: LocalServerOptions = {},
): Promise<Harness> {
  const clock = new FakeClock();
  const logger = new MemoryLogger();
  const server = await LocalUpbitServer.start(serverOptions);
  const sockets: WebSocket[] = [];
  const source = createUpbitWebSocketSource({
    url: server.url,
    clock,
    logger,
    random: createSeededRandom(42),
    createSocket: (url, socketOptions) => {
      const socket = new WsClient(url, socketOptions);
      sockets.push(socket);
      return socket;
    },
    ...options,
  });
  return {
    clock,
    logger,
    server,
    source,
    sockets,
    async close() {
      await source.close();
      await server.close();
    },
  };
}

export function codes(count: number): MarketCode[] {
  return Array.from({ length: count }, (_, i) => parseMarketCode(`KRW-M${String(i).padStart(3, '0')}`));
}
