import { type Candle, type Clock, type Logger, type MarketCode, sleep } from '@marketdata/domain';
import type { IntervalSpec } from './candle-intervals.js';

/** Upbit's candles group allows 10 requests a second per IP: a polled series takes at most half of it. */
const REQUESTS_PER_SECOND = 5;
/** A round per symbol at most this often: the current candle's state a second old at worst. */
const MIN_ROUND_MS = 1_000;

export interface RestCandlePollingOptions {
  readonly clock: Clock;
  readonly logger: Logger;
  readonly symbols: readonly MarketCode[];
  readonly interval: IntervalSpec;
  /** REST candles (`count` newest), under the given signal. */
  readonly fetchCandles: (
    symbol: MarketCode,
    interval: IntervalSpec,
    count: number,
    to: number | undefined,
    signal: AbortSignal,
  ) => Promise<readonly Candle[]>;
}

/**
 * The live part of a seconds or minutes series when there is no WebSocket (Upbit streams those candles only there):
 * each round asks REST for every symbol's two newest candles, one request per symbol (the newest may have closed
 * since the last round: its final state is the second), and hands them on like stream frames; the series merges them
 * by state (more volume is newer), so a repeated candle changes nothing. A round starts once a second at most, and
 * no more often than 5 requests a second allow for the symbols (half of the candles group's budget, the rest left to
 * `getCandles` and history). A failed request is logged and asked again next round; the values' age shows the
 * silence meanwhile. Returns the stop function.
 */
export function pollRestCandles(options: RestCandlePollingOptions, onCandle: (candle: Candle) => void): () => void {
  const { clock, logger, symbols, interval, fetchCandles } = options;
  const stop = new AbortController();
  const roundMs = Math.max(MIN_ROUND_MS, (symbols.length * 1_000) / REQUESTS_PER_SECOND);
  const run = async (): Promise<void> => {
    while (!stop.signal.aborted) {
      const startedAt = clock.monotonic();
      for (const symbol of symbols) {
        try {
          for (const candle of await fetchCandles(symbol, interval, 2, undefined, stop.signal)) onCandle(candle);
        } catch (error) {
          if (stop.signal.aborted) return;
          logger.warn('REST candle poll failed; asked again next round', { symbol, interval: interval.name, error });
        }
      }
      await sleep(clock, Math.max(0, roundMs - (clock.monotonic() - startedAt)), stop.signal);
    }
  };
  run().catch(() => undefined); // only the stop's abort ends it
  return () => stop.abort();
}
