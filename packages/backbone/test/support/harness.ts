import { FakeClock, MemoryLogger } from '@marketdata/domain/testing';
import { type BackboneConfigInput, createMarketData, type MarketData } from '../../src/index.js';
import { FakeRestSource, FakeStreamingSource } from './fake-sources.js';
import { RECORDED_AT, receipt, tickAt } from './fixture-tickers.js';

export interface Harness {
  readonly clock: FakeClock;
  readonly logger: MemoryLogger;
  readonly rest: FakeRestSource;
  readonly websocket: FakeStreamingSource;
  readonly md: MarketData;
  /** A new WebSocket tick for the symbol, received now. */
  push(symbol: string, changes?: Parameters<typeof tickAt>[3]): void;
  /** `count` getTicker calls `everyMs` apart (time advances after each), returning the sources served. */
  requestEvery(symbol: string, everyMs: number, count: number): Promise<string[]>;
}

export interface HarnessOptions {
  /** Called with the sources before the facade is made (e.g. to give the REST source a directory). */
  readonly prepare?: (sources: { readonly rest: FakeRestSource; readonly websocket: FakeStreamingSource }) => void;
}

export function createHarness(
  config: BackboneConfigInput = {},
  withWebSocket = true,
  options: HarnessOptions = {},
): Harness {
  const clock = new FakeClock({ now: RECORDED_AT + 1_000 });
  const logger = new MemoryLogger();
  const rest = new FakeRestSource(clock);
  const websocket = new FakeStreamingSource(clock);
  options.prepare?.({ rest, websocket });
  const md = createMarketData({
    rest,
    websocket: withWebSocket ? websocket : undefined,
    clock,
    logger,
    config,
  });
  return {
    clock,
    logger,
    rest,
    websocket,
    md,
    push: (symbol, changes) => websocket.push(tickAt(symbol, 'websocket', clock, changes)),
    async requestEvery(symbol, everyMs, count) {
      const sources: string[] = [];
      for (let i = 0; i < count; i++) {
        sources.push((await md.getTicker(symbol)).source);
        clock.advance(everyMs);
      }
      return sources;
    },
  };
}

/** Feeds the symbol's ticker stream `count` REALTIME frames `everyMs` apart, ending now (its rhythm is learned). */
export function streamRhythm(harness: Harness, symbol: string, everyMs: number, count = 6): void {
  for (let i = 0; i < count; i++) {
    if (i > 0) harness.clock.advance(everyMs);
    harness.push(symbol);
  }
}

/**
 * The stream delivers `count` REALTIME frames of the symbol `everyMs` apart, the last one `everyMs` ago, without
 * moving the clock: the freshness judge learns the symbol's rhythm, and the stream holds a value that old.
 */
export function learnRhythm(harness: Harness, symbol: string, everyMs: number, count = 5): void {
  const { clock, websocket } = harness;
  for (let k = count; k >= 1; k--) {
    websocket.push(tickAt(symbol, 'websocket', receipt(clock.now() - k * everyMs, clock.monotonic() - k * everyMs)));
  }
}
