import {
  type ChannelTicker,
  createSeededRandom,
  type MarketCode,
  type OrderBook,
  parseMarketCode,
  type Trade,
} from '@marketdata/domain';
import { FakeClock, MemoryLogger } from '@marketdata/domain/testing';
import { vi } from 'vitest';
import { createConnectionGovernor } from '../../../src/ws/connection-governor.js';
import {
  createUpbitWebSocketSource,
  type UpbitWebSocketOptions,
  type UpbitWebSocketSource,
  type WatchStats,
} from '../../../src/ws/index.js';
import { captureProcessFailures, type ProcessFailures } from '../../support/process-failures.js';
import { FrameServer } from './frame-server.js';
import { deliveredTag } from './good-frames.js';
import type { WsFormat, WsKindId } from './payload-kinds.js';

/**
 * The real WebSocket adapter against a `FrameServer`, with a watcher per kind consuming everything it is given.
 * The adapter's timers run on a FakeClock (nothing times out unless the test advances it); frames are real I/O.
 */
export const STREAM_CODES: readonly MarketCode[] = ['KRW-BTC', 'KRW-ETH', 'KRW-XRP', 'KRW-BCH'].map((code) =>
  parseMarketCode(code),
);

const CLOSE_LIMIT_MS = 3_000;

export interface OpenStream {
  readonly clock: FakeClock;
  readonly server: FrameServer;
  readonly source: UpbitWebSocketSource;
  readonly failures: ProcessFailures;
  /** Tags of the values each watcher received, in order. */
  readonly delivered: Readonly<Record<WsKindId, string[]>>;
  /** Errors thrown by a watcher's iteration (there should be none). */
  readonly watcherErrors: unknown[];
  /** What the three consumers' queues did (conflation, drops), summed. */
  watchStats(): WatchStats;
  close(): Promise<void>;
}

/** Waits for real I/O to bring a condition about (the FakeClock does not move meanwhile). */
export async function until(check: () => boolean, timeoutMs = 5_000, what = 'condition'): Promise<void> {
  await vi.waitFor(
    () => {
      if (!check()) throw new Error(`timed out waiting for ${what}`);
    },
    { timeout: timeoutMs, interval: 2 },
  );
}

export function subscribedToAll(server: FrameServer, format: WsFormat): boolean {
  const latest = server.latest();
  if (latest === undefined || latest.format !== format) return false;
  return (['ticker', 'trade', 'orderbook'] as const).every((kind) =>
    STREAM_CODES.every((code) =>
      (latest.codes[kind] ?? []).some((wire) => wire === code || wire.startsWith(`${code}.`)),
    ),
  );
}

export async function openStream(format: WsFormat, options: Partial<UpbitWebSocketOptions> = {}): Promise<OpenStream> {
  const failures = captureProcessFailures();
  const clock = new FakeClock();
  const server = await FrameServer.start();
  const source = createUpbitWebSocketSource({
    url: server.url,
    clock,
    logger: new MemoryLogger(),
    random: createSeededRandom(5),
    // The process-wide connect governor runs on the system clock; this one runs on the test's FakeClock.
    connectionGovernor: createConnectionGovernor({ clock }),
    format,
    ...options,
  });
  const delivered: Record<WsKindId, string[]> = { ticker: [], trade: [], orderbook: [] };
  const watcherErrors: unknown[] = [];
  const consume = async (kind: WsKindId, values: AsyncIterable<ChannelTicker | Trade | OrderBook>): Promise<void> => {
    try {
      for await (const value of values) delivered[kind].push(deliveredTag(kind, value));
    } catch (error) {
      watcherErrors.push(error);
    }
  };
  const streams = [
    ['ticker', source.watchTickers(STREAM_CODES)],
    ['trade', source.watchTrades(STREAM_CODES)],
    ['orderbook', source.watchOrderBooks(STREAM_CODES)],
  ] as const;
  const consumers = streams.map(([kind, stream]) => consume(kind, stream));
  await until(() => subscribedToAll(server, format), 5_000, `a ${format} subscription to every kind`);
  return {
    clock,
    server,
    source,
    failures,
    delivered,
    watcherErrors,
    watchStats() {
      const all = streams.map(([, stream]) => stream.stats());
      return {
        conflated: all.reduce((sum, stats) => sum + stats.conflated, 0),
        dropped: all.reduce((sum, stats) => sum + stats.dropped, 0),
      };
    },
    async close() {
      // Bounded: a socket wedged by an exception inside its message handler never reports 'close'.
      let timer: NodeJS.Timeout | undefined;
      const closed = await Promise.race([
        source.close().then(() => true),
        new Promise<boolean>((resolve) => {
          timer = setTimeout(() => resolve(false), CLOSE_LIMIT_MS);
        }),
      ]);
      clearTimeout(timer);
      await server.close();
      failures.dispose();
      if (!closed) throw new Error(`source.close() did not resolve within ${CLOSE_LIMIT_MS} ms`);
      await Promise.all(consumers);
    },
  };
}
