import type { MarketData } from '@marketdata/backbone';
import type { Clock, Ticker } from '@marketdata/domain';
import { createUpbitMarketData, type UpbitMarketDataOptions } from '@marketdata/upbit';
import { type SimCounters, startUpbitSim, type UpbitSim } from '@marketdata/upbit-sim';
import { expect } from 'vitest';

/**
 * One chaos scenario: the simulator on 127.0.0.1 with Upbit's limits on (its defaults), our facade with its DEFAULT
 * settings (only the endpoints given), and the bounds every scenario asserts: at most 5 WebSocket connects in any
 * second, no 429 or 418 our own traffic caused, no request over the per-connection WebSocket limit, no timer
 * warning, bounded memory. Each scenario prints its figures on one line per figure, prefixed `[chaos]`.
 */

export const MARKETS = ['KRW-BTC', 'KRW-ETH', 'KRW-XRP', 'KRW-SOL', 'KRW-DOGE', 'KRW-ADA'] as const;

/** How much the heap may grow over a scenario (after a collection: the suite runs with `--expose-gc`). */
export const MEMORY_BOUND_BYTES = 64 * 1024 * 1024;

export interface Scenario {
  readonly name: string;
  readonly sim: UpbitSim;
  /** Facades opened through `open()`; closed by `finish()`. */
  readonly facades: MarketData[];
  open(options?: Omit<UpbitMarketDataOptions, 'restUrl' | 'wsUrl'>): MarketData;
  /** Prints one figure of the scenario. */
  figure(label: string, value: number | string, unit?: string): void;
  /** Closes everything and asserts the common bounds. */
  finish(): Promise<SimCounters>;
}

const gc = (): void => (globalThis as { gc?: () => void }).gc?.();

export async function startScenario(
  name: string,
  markets: readonly string[] = MARKETS,
  simClock?: Clock,
): Promise<Scenario> {
  gc();
  const heapBefore = process.memoryUsage().heapUsed;
  const warnings: string[] = [];
  const onWarning = (warning: Error): void => {
    warnings.push(`${warning.name}: ${warning.message}`);
  };
  process.on('warning', onWarning);
  const sim = await startUpbitSim({
    seed: 7,
    markets: [...markets],
    adminPort: false,
    ...(simClock === undefined ? {} : { clock: simClock }),
  });
  const facades: MarketData[] = [];
  const scenario: Scenario = {
    name,
    sim,
    facades,
    open(options = {}) {
      const md = createUpbitMarketData({ ...options, restUrl: sim.restUrl, wsUrl: sim.wsUrl });
      facades.push(md);
      return md;
    },
    figure(label, value, unit = '') {
      const shown = typeof value === 'number' ? String(Math.round(value * 100) / 100) : value;
      console.log(`[chaos] ${name}: ${label} = ${shown}${unit === '' ? '' : ` ${unit}`}`);
    },
    async finish() {
      await Promise.all(facades.map((md) => md.close()));
      const counters = sim.control.counters();
      await sim.close();
      process.off('warning', onWarning);
      gc();
      const grownBytes = process.memoryUsage().heapUsed - heapBefore;
      const { refusals } = counters;
      scenario.figure('max WebSocket connects in any second', counters.maxWsConnectsPerSecond);
      scenario.figure('429 caused by us', refusals.restLimit429 + refusals.wsUpgradeLimit429);
      scenario.figure('418 caused by us', refusals.restLimit418 + refusals.wsUpgradeLimit418);
      scenario.figure('WebSocket requests over the per-connection limit', counters.wsMessagesRefused);
      scenario.figure('heap grown (after GC)', grownBytes / 1_048_576, 'MB');
      expect(counters.maxWsConnectsPerSecond, 'connects in any second').toBeLessThanOrEqual(5);
      expect(refusals.restLimit429 + refusals.wsUpgradeLimit429, '429 caused by us').toBe(0);
      expect(refusals.restLimit418 + refusals.wsUpgradeLimit418, '418 caused by us').toBe(0);
      expect(counters.wsMessagesRefused, 'WebSocket requests over the limit').toBe(0);
      expect(warnings, 'process warnings (timer overflow and the like)').toEqual([]);
      expect(grownBytes, 'heap grown').toBeLessThan(MEMORY_BOUND_BYTES);
      return counters;
    },
  };
  return scenario;
}

/** Milliseconds since `startedAt` (performance clock). */
export function since(startedAt: number): number {
  return performance.now() - startedAt;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Consumes a ticker stream in the background, recording when each ticker was handed out. */
export interface Recorder {
  readonly got: { readonly at: number; readonly ticker: Ticker }[];
  readonly error: { value: unknown };
  /** Tickers handed out older than, or repeating, the symbol's previous one (the state's exchange time). */
  readonly disorder: string[];
  /** Resolves when a ticker matching `test` arrives after `afterIndex`, or undefined after `timeoutMs`. */
  waitFor(test: (ticker: Ticker) => boolean, timeoutMs: number, afterIndex?: number): Promise<number | undefined>;
  stop(): Promise<void>;
}

export function record(stream: AsyncIterableIterator<Ticker>): Recorder {
  const got: { at: number; ticker: Ticker }[] = [];
  const error: { value: unknown } = { value: undefined };
  const disorder: string[] = [];
  const last = new Map<string, Ticker>();
  const loop = (async () => {
    try {
      for await (const ticker of stream) {
        got.push({ at: performance.now(), ticker });
        const previous = last.get(ticker.symbol);
        const sameState = previous !== undefined && previous.exchangeTimestamp === ticker.exchangeTimestamp;
        const repeat = sameState && !(previous.source === 'websocket' && ticker.source === 'websocket');
        if (previous !== undefined && (ticker.exchangeTimestamp < previous.exchangeTimestamp || repeat)) {
          disorder.push(
            `${ticker.symbol} ${previous.source}@${previous.exchangeTimestamp} then ${ticker.source}@${ticker.exchangeTimestamp}`,
          );
        }
        last.set(ticker.symbol, ticker);
      }
    } catch (thrown) {
      error.value = thrown;
    }
  })();
  return {
    got,
    error,
    disorder,
    async waitFor(test, timeoutMs, afterIndex = 0) {
      const startedAt = performance.now();
      while (since(startedAt) <= timeoutMs) {
        const found = got.slice(afterIndex).find((entry) => test(entry.ticker));
        if (found !== undefined) return found.at;
        if (error.value !== undefined) return undefined;
        await sleep(10);
      }
      return undefined;
    },
    async stop() {
      await stream.return?.();
      await loop;
    },
  };
}
