import type { UpbitWebSocketSource } from '@marketdata/adapters-upbit';
import type { MarketCode, MarketDataError } from '@marketdata/domain';

/** One ticker as the consumer saw it. */
export interface ReceivedTicker {
  readonly symbol: MarketCode;
  /** Wall ms the adapter received the frame. */
  readonly receivedAt: number;
  readonly streamType: string | undefined;
}

/** A consumer iterating a ticker watcher in the background, recording what it gets and anything thrown at it. */
export interface TickerRecorder {
  readonly received: readonly ReceivedTicker[];
  /** What the iteration threw, if it did (a consumer must never see a connection fault as an exception). */
  readonly thrown: unknown;
  /** Errors reported through the watcher's `onError` (Upbit error frames, queue overflow). */
  readonly reported: readonly MarketDataError[];
  /** Tickers received after wall time `since` (exclusive). */
  receivedAfter(since: number): readonly ReceivedTicker[];
  /** Ends the iteration (through its abort signal) and waits for the loop to finish. */
  stop(): Promise<void>;
}

export function recordTickers(source: UpbitWebSocketSource, symbols: readonly MarketCode[]): TickerRecorder {
  const received: ReceivedTicker[] = [];
  const reported: MarketDataError[] = [];
  const controller = new AbortController();
  let thrown: unknown;
  const stream = source.watchTickers(symbols, {
    signal: controller.signal,
    onError: (error) => reported.push(error),
  });
  const loop = (async () => {
    try {
      for await (const ticker of stream) {
        received.push({ symbol: ticker.symbol, receivedAt: ticker.receivedAt, streamType: ticker.streamType });
      }
    } catch (error) {
      thrown = error;
    }
  })();
  return {
    received,
    reported,
    get thrown() {
      return thrown;
    },
    receivedAfter: (since) => received.filter((ticker) => ticker.receivedAt > since),
    async stop() {
      controller.abort();
      await loop;
    },
  };
}

/** The distinct symbols among `tickers`, sorted. */
export function symbolsOf(tickers: readonly ReceivedTicker[]): readonly MarketCode[] {
  return [...new Set(tickers.map((ticker) => ticker.symbol))].sort();
}
