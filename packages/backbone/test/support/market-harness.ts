import { FakeClock, MemoryLogger } from '@marketdata/domain/testing';
import { type BackboneConfigInput, createMarketData, type MarketData } from '../../src/index.js';
import { FakeMarketDirectory } from './fake-directory.js';
import { FakeMarketRest, marketOf } from './fake-market-rest.js';
import { FakeStreamingSource } from './fake-sources.js';
import { code, RECORDED_AT } from './fixture-tickers.js';

export interface MarketHarness {
  readonly clock: FakeClock;
  readonly logger: MemoryLogger;
  readonly rest: FakeMarketRest;
  readonly websocket: FakeStreamingSource;
  readonly directory: FakeMarketDirectory | undefined;
  readonly md: MarketData;
}

export interface MarketHarnessOptions {
  readonly config?: BackboneConfigInput;
  readonly withWebSocket?: boolean;
  /** Give the REST fake a market directory listing these markets (with details from `marketOf`). */
  readonly listed?: readonly string[];
  readonly now?: number;
}

/** The facade over the full REST fake (books, trades, candles, markets) and the streaming fake, on a fake clock. */
export function createMarketHarness(options: MarketHarnessOptions = {}): MarketHarness {
  const clock = new FakeClock({ now: options.now ?? RECORDED_AT + 1_000 });
  const logger = new MemoryLogger();
  const rest = new FakeMarketRest(clock);
  const websocket = new FakeStreamingSource(clock);
  let directory: FakeMarketDirectory | undefined;
  if (options.listed !== undefined) {
    directory = new FakeMarketDirectory(options.listed.map(code), () => clock.monotonic());
    rest.directory = directory;
    rest.markets = options.listed.map((listed) => marketOf(listed));
  }
  const md = createMarketData({
    rest,
    websocket: options.withWebSocket === false ? undefined : websocket,
    clock,
    logger,
    config: options.config,
  });
  return { clock, logger, rest, websocket, directory, md };
}
