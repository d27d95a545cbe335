import ccxt from 'ccxt';
import { wallNowMs } from '../system-clock.js';

type UpbitPro = InstanceType<typeof ccxt.pro.upbit>;
type MessageHandler = (client: unknown, message: Record<string, unknown>) => unknown;
/** ccxt's Upbit handlers of public frames, one per type. */
export type CcxtHandlerName = 'handleTicker' | 'handleTrades';

/** ccxt's unified symbol for an Upbit code: `KRW-BTC` → `BTC/KRW`. */
export function ccxtSymbol(code: string): string {
  const [quote, base] = code.split('-');
  return `${base}/${quote}`;
}

export interface CcxtOptions {
  readonly restUrl: string;
  readonly wsUrl: string;
  /** ccxt's own limiter (adds ~100 ms per request on Upbit); on only for the pacing row. */
  readonly enableRateLimit: boolean;
}

/** ccxt.pro's Upbit client pointed at the simulator, as documented in /work/shared/toolchain.md. */
export async function createCcxtUpbit(options: CcxtOptions): Promise<UpbitPro> {
  const exchange = new ccxt.pro.upbit({
    enableRateLimit: options.enableRateLimit,
    urls: { api: { public: options.restUrl, private: options.restUrl, ws: options.wsUrl } },
  });
  // Without the proxy agent ccxt refuses a plain ws:// URL.
  await exchange.loadHttpProxyAgent();
  await exchange.loadMarkets();
  return exchange;
}

/** Called for every ticker message ccxt handles, with the raw frame's server time and our receive time. */
export type CcxtTickerObserver = (serverTimestampMs: number, handledAtMs: number) => void;

/**
 * Counts every ticker message ccxt handles by wrapping its `handleTicker` (its `watchTickers` loop wakes once per
 * batch of frames, so counting loop iterations would undercount). `handleMessage` looks the handler up on the
 * instance each time, so an instance property is enough.
 */
export function instrumentHandleTicker(exchange: UpbitPro, observe: CcxtTickerObserver): () => number {
  return instrumentHandler(exchange, 'handleTicker', observe);
}

/** `instrumentHandleTicker` for any of ccxt's public frame handlers (`handleTrades` counts trade frames). */
export function instrumentHandler(
  exchange: UpbitPro,
  name: CcxtHandlerName,
  observe: CcxtTickerObserver,
): () => number {
  let handled = 0;
  const target = exchange as unknown as Record<CcxtHandlerName, MessageHandler>;
  const original = target[name];
  target[name] = function (this: unknown, client: unknown, message: Record<string, unknown>): unknown {
    const result = original.call(this, client, message);
    handled += 1;
    const stamp = Number(message.timestamp ?? message.tms);
    observe(stamp, wallNowMs());
    return result;
  };
  return () => handled;
}

export interface CcxtWatchLoop {
  /** The error that ended the loop (ccxt rejects `watchTickers` when the socket closes), if any. */
  error(): Error | undefined;
  stop(): Promise<void>;
}

/**
 * Runs ccxt.pro's documented consumer loop (`await watchTickers()` forever) until stopped or until ccxt reports an
 * error. `onWake` gets what the consumer sees on each wake: ccxt returns only the newest ticker of the batch.
 */
export function runCcxtWatchLoop(
  exchange: UpbitPro,
  symbols: readonly string[],
  onWake?: (serverTimestampMs: number, wokeAtMs: number) => void,
): CcxtWatchLoop {
  return runLoop(exchange, async () => {
    const tickers = await exchange.watchTickers([...symbols]);
    const wokeAt = wallNowMs();
    if (onWake !== undefined) {
      for (const ticker of Object.values(tickers)) {
        const info = ticker.info as Record<string, unknown> | undefined;
        onWake(Number(info?.timestamp ?? info?.tms), wokeAt);
      }
    }
  });
}

/** ccxt.pro's documented trade consumer loop (`await watchTradesForSymbols()` forever). */
export function runCcxtTradeLoop(exchange: UpbitPro, symbols: readonly string[]): CcxtWatchLoop {
  return runLoop(exchange, async () => {
    await exchange.watchTradesForSymbols([...symbols]);
  });
}

function runLoop(exchange: UpbitPro, wake: () => Promise<void>): CcxtWatchLoop {
  let running = true;
  let failure: Error | undefined;
  const loop = (async () => {
    while (running) {
      try {
        await wake();
      } catch (error) {
        if (running) failure = error instanceof Error ? error : new Error(String(error));
        return;
      }
    }
  })();
  return {
    error: () => failure,
    async stop() {
      running = false;
      await exchange.close().catch(() => undefined);
      await loop;
    },
  };
}

export type { UpbitPro };
