import { FakeClock, MemoryLogger } from '@marketdata/domain/testing';
import { type BackboneConfigInput, createMarketData, type MarketData } from '../../src/index.js';
import { FakeRestSource, FakeStreamingSource } from './fake-sources.js';
import { RECORDED_AT, tickAt } from './fixture-tickers.js';

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

export function createHarness(config: BackboneConfigInput = {}, withWebsocket = true): Harness {
  const clock = new FakeClock({ now: RECORDED_AT + 1_000 });
  const logger = new MemoryLogger();
  const rest = new FakeRestSource(clock);
  const websocket = new FakeStreamingSource();
  const md = createMarketData({
    rest,
    websocket: withWebsocket ? websocket : undefined,
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
    push: (symbol, changes) => websocket.push(tickAt(symbol, 'websocket', clock.now(), changes)),
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
