import { createSeededRandom, type Trade } from '@marketdata/domain';
import { FakeClock, MemoryLogger } from '@marketdata/domain/testing';
import { type StartUpbitSimOptions, startUpbitSim, type UpbitSim } from '@marketdata/upbit-sim';
import type WebSocket from 'ws';
import { WebSocket as WsClient } from 'ws';
import { createConnectionGovernor } from '../../../src/ws/connection-governor.js';
import {
  createUpbitWebSocketSource,
  type UpbitWebSocketOptions,
  type UpbitWebSocketSource,
} from '../../../src/ws/index.js';
import { HEARTBEAT_OF_THESE_TESTS } from './harness.js';

/**
 * The simulator and the adapter on one FakeClock: the simulated market, its idle close and `{"status":"UP"}`
 * timer, and the adapter's heartbeat, liveness and backoff all move only when the test advances time. Socket I/O
 * is real (loopback), so the test waits for it between steps.
 */
export interface SimHarness {
  readonly clock: FakeClock;
  readonly logger: MemoryLogger;
  readonly sim: UpbitSim;
  readonly source: UpbitWebSocketSource;
  readonly sockets: WebSocket[];
  /** Advances `ms` of fake time in `stepMs` steps, letting real I/O run after each step. */
  pump(ms: number, stepMs?: number): Promise<void>;
  close(): Promise<void>;
}

export const HOT_MARKETS = ['KRW-XRP', 'KRW-BTC', 'KRW-ICP', 'KRW-ETH'] as const;

export async function startSimHarness(
  simOptions: StartUpbitSimOptions = {},
  sourceOptions: Partial<UpbitWebSocketOptions> = {},
): Promise<SimHarness> {
  const clock = new FakeClock();
  const logger = new MemoryLogger();
  const sim = await startUpbitSim({ adminPort: false, clock, ...simOptions });
  const sockets: WebSocket[] = [];
  const source = createUpbitWebSocketSource({
    url: sim.wsUrl,
    clock,
    logger,
    random: createSeededRandom(11),
    // The process-wide governor runs on the system clock: this one runs on the simulator's FakeClock.
    connectionGovernor: createConnectionGovernor({ clock }),
    // The heartbeat and backoff these tests were written for (text PING every 25 s, 20 s to answer, reconnects
    // within a second); the adapter's own defaults are tested in source-defaults.test.ts.
    ...HEARTBEAT_OF_THESE_TESTS,
    createSocket: (url, options) => {
      const socket = new WsClient(url, options);
      sockets.push(socket);
      return socket;
    },
    ...sourceOptions,
  });
  return {
    clock,
    logger,
    sim,
    source,
    sockets,
    async pump(ms, stepMs = 250) {
      for (let elapsed = 0; elapsed < ms; elapsed += stepMs) {
        clock.advance(Math.min(stepMs, ms - elapsed));
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
    },
    async close() {
      await source.close();
      await sim.close();
    },
  };
}

/** The simulator's per-market trade sequence: the last four digits of `sequential_id` are `seq % 10000`. */
export function seqOf(trade: Trade): number {
  return Number(BigInt(trade.sequentialId) % 10_000n);
}

/** Background consumer of a trade stream. */
export function collectTrades(iterable: AsyncIterable<Trade>): { trades: Trade[]; stop: () => Promise<void> } {
  const trades: Trade[] = [];
  const iterator = iterable[Symbol.asyncIterator]();
  const loop = (async () => {
    for (let next = await iterator.next(); next.done !== true; next = await iterator.next()) trades.push(next.value);
  })();
  return {
    trades,
    stop: async () => {
      await iterator.return?.();
      await loop;
    },
  };
}
