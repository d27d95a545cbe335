import { createUpbitRestSource, createUpbitWebSocketSource } from '@marketdata/adapters-upbit';
import { type Candle, createSeededRandom } from '@marketdata/domain';
import { FakeClock, MemoryLogger } from '@marketdata/domain/testing';
import { type StartUpbitSimOptions, startUpbitSim, type UpbitSim } from '@marketdata/upbit-sim';
import {
  type BackboneConfigInput,
  type CandleUpdate,
  createMarketData,
  type MarketData,
  type SeriesCandle,
} from '../../src/index.js';

/** The facade on the real adapters against the simulator, everything on one FakeClock driven by `pump`. */
export interface SimFacade {
  readonly clock: FakeClock;
  readonly logger: MemoryLogger;
  readonly sim: UpbitSim;
  readonly md: MarketData;
  /** Moves the fake clock `ms` forward in steps, letting real I/O (sockets, HTTP) run between steps. */
  pump(ms: number, stepMs?: number): Promise<void>;
  /** Drives the clock until `promise` settles (REST calls need the clock to move: pacing, retries). */
  settle<T>(promise: Promise<T>, maxMs?: number): Promise<T>;
  close(): Promise<void>;
}

/** One real millisecond or so: enough for the loopback I/O of a step to run. */
function ioPause(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 2));
}

export async function startSimFacade(
  simOptions: StartUpbitSimOptions,
  config: BackboneConfigInput = {},
  now = Date.UTC(2026, 2, 11, 14, 40, 30),
): Promise<SimFacade> {
  const clock = new FakeClock({ now });
  const logger = new MemoryLogger();
  const sim = await startUpbitSim({ adminPort: false, clock, ...simOptions });
  // Attempt timeouts generous on the fake clock: a step of it passes in a few real milliseconds under load.
  const rest = createUpbitRestSource({
    url: sim.restUrl,
    clock,
    logger: logger.child({ channel: 'rest' }),
    random: createSeededRandom(3),
    attemptTimeoutMs: 20_000,
  });
  const websocket = createUpbitWebSocketSource({
    url: sim.wsUrl,
    clock,
    logger: logger.child({ channel: 'websocket' }),
    random: createSeededRandom(4),
  });
  const md = createMarketData({ rest, websocket, clock, logger, config: { restTimeoutMs: 60_000, ...config } });
  const pump = async (ms: number, stepMs = 100): Promise<void> => {
    for (let elapsed = 0; elapsed < ms; elapsed += stepMs) {
      await ioPause();
      await clock.advanceAsync(Math.min(stepMs, ms - elapsed));
    }
    await ioPause();
  };
  return {
    clock,
    logger,
    sim,
    md,
    pump,
    async settle<T>(promise: Promise<T>, maxMs = 120_000): Promise<T> {
      let outcome: { ok: true; value: T } | { ok: false; error: unknown } | undefined;
      promise.then(
        (value) => {
          outcome = { ok: true, value };
        },
        (error: unknown) => {
          outcome = { ok: false, error };
        },
      );
      for (let elapsed = 0; elapsed <= maxMs && outcome === undefined; elapsed += 50) {
        await ioPause();
        if (outcome === undefined) await clock.advanceAsync(50);
      }
      if (outcome === undefined) throw new Error(`not settled within ${maxMs} ms of the fake clock`);
      if (!outcome.ok) throw outcome.error;
      return outcome.value;
    },
    async close() {
      await md.close();
      await sim.close();
    },
  };
}

/** A consumer of `watchCandles` that rebuilds the chart per symbol from the events alone, as a UI would. */
export interface ChartRebuilder {
  readonly events: CandleUpdate[];
  /** The chart of a symbol, oldest first. */
  chart(symbol: string): SeriesCandle[];
  stop(): Promise<void>;
  /** Rejects with the stream's error, if it ended with one. */
  readonly done: Promise<void>;
}

export function rebuildChart(stream: AsyncIterableIterator<CandleUpdate>): ChartRebuilder {
  const events: CandleUpdate[] = [];
  const charts = new Map<string, Map<number, SeriesCandle>>();
  const done = (async () => {
    for await (const event of stream) {
      events.push(event);
      if (event.type === 'history') {
        charts.set(event.symbol, new Map(event.candles.map((candle) => [candle.openTime, candle])));
      } else {
        const chart = charts.get(event.symbol) ?? new Map<number, SeriesCandle>();
        chart.set(event.candle.openTime, event.candle);
        charts.set(event.symbol, chart);
      }
    }
  })();
  return {
    events,
    done,
    chart: (symbol) => [...(charts.get(symbol)?.values() ?? [])].sort((a, b) => a.openTime - b.openTime),
    async stop() {
      await stream.return?.();
      await done;
    },
  };
}

/** The fields a chart shows, for comparing our candles with the simulator's own. */
export function ohlcv(candle: Pick<Candle, 'openTime' | 'open' | 'high' | 'low' | 'close' | 'volume' | 'turnover'>) {
  const { openTime, open, high, low, close, volume, turnover } = candle;
  return { openTime, open, high, low, close, volume, turnover };
}
