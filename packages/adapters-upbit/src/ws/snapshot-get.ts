import {
  type ChannelTicker,
  DataValidationError,
  type MarketCode,
  parseMarketCode,
  type RequestOptions,
  type StreamKind,
  type StreamRecord,
  type StreamRefusal,
  type SymbolResult,
  TimeoutError,
  type TradeQuery,
  toMarketDataError,
} from '@marketdata/domain';
import type { StreamFeed } from './stream-feed.js';

export interface SnapshotGetDeps {
  feed<K extends StreamKind>(kind: K): StreamFeed<StreamRecord<K>>;
  /** Puts the symbol on the wire; the returned release lets it linger. */
  acquire(kind: StreamKind, symbols: readonly MarketCode[]): () => void;
  /** A refusal that stands now (blocked, rate-limited, refused for good): told at once instead of waiting. */
  standingRefusal(): StreamRefusal | undefined;
  readonly snapshotTimeoutMs: number;
  connectionState(): string;
}

/**
 * `getTicker`/`getOrderBook`/`getTrades`: the latest record held, or the next one to arrive. The symbol is held on
 * the wire while waiting and lingers afterwards, so the next call is answered live without a new request. The wait
 * honours the caller's signal only; without one it lasts at most `snapshotTimeoutMs` (never two timers).
 */
export async function latestOrNext<K extends StreamKind>(
  deps: SnapshotGetDeps,
  kind: K,
  symbol: string,
  options: RequestOptions,
  operation: string,
): Promise<StreamRecord<K>> {
  const code = parseMarketCode(symbol);
  const release = deps.acquire(kind, [code]);
  try {
    const feed = deps.feed(kind);
    const latest = feed.latest(code);
    if (latest !== undefined) return latest;
    const standing = deps.standingRefusal();
    if (standing !== undefined) throw standing.error;
    const timeoutMs = deps.snapshotTimeoutMs;
    return await feed.wait(code, {
      signal: options.signal,
      timeoutMs,
      onTimeout: () =>
        new TimeoutError(`No ${kind} for ${code} within ${timeoutMs} ms (connection ${deps.connectionState()})`, {
          timeoutMs,
          channel: 'websocket',
          operation,
          symbol: code,
        }),
    });
  } finally {
    release();
  }
}

/** One ticker per symbol, each answered on its own: one missing symbol never fails the others. */
export function tickerPerSymbol(
  symbols: readonly string[],
  getTicker: (symbol: string) => Promise<ChannelTicker>,
): Promise<readonly SymbolResult<ChannelTicker>[]> {
  return Promise.all(
    symbols.map(async (text): Promise<SymbolResult<ChannelTicker>> => {
      // `symbol` is echoed as given, even when it is not a valid code (the error says so).
      const symbol = text as MarketCode;
      try {
        return { symbol, ok: true, value: await getTicker(symbol) };
      } catch (error) {
        return { symbol, ok: false, error: toMarketDataError(error, { channel: 'websocket', symbol }) };
      }
    }),
  );
}

/** `getTrades`' count: an integer >= 1, or `DataValidationError`. */
export function tradeCount(count: unknown): number {
  if (typeof count === 'number' && Number.isSafeInteger(count) && count >= 1) return count;
  const context = { channel: 'websocket', operation: 'getTrades', path: 'count', value: count } as const;
  throw new DataValidationError(`count must be an integer >= 1, got ${String(count)}`, context);
}

/** The WebSocket has no trade history: a `cursor`, `to` or `daysAgo` is refused rather than silently ignored. */
export function refuseHistoryQuery(query: TradeQuery): void {
  for (const key of ['cursor', 'to', 'daysAgo'] as const) {
    if (query[key] === undefined) continue;
    const context = { channel: 'websocket', operation: 'getTrades', path: key, value: query[key] } as const;
    throw new DataValidationError(`The WebSocket has no trade history: ${key} needs the REST source`, context);
  }
}
