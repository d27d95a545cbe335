import {
  type ChannelKind,
  isTimeoutError,
  type MarketCode,
  type MarketDataError,
  TimeoutError,
  UnknownSymbolError,
} from '@marketdata/domain';
import type { MarketDataParts } from './market-data-parts.js';

/** `UnknownSymbolError` for each symbol the market list rules out, counted in the stats; answered without I/O. */
export function unlistedSymbols(
  parts: MarketDataParts,
  symbols: readonly MarketCode[],
  operation: string,
): Map<MarketCode, UnknownSymbolError> {
  const unlisted = new Map<MarketCode, UnknownSymbolError>();
  for (const symbol of symbols) {
    if (parts.markets.listing(symbol) !== 'unlisted') continue;
    const error = new UnknownSymbolError(symbol, {
      channel: 'api',
      operation,
      upstreamMessage: 'not in the market list (GET /v1/market/all)',
    });
    parts.stats.recordError(error);
    unlisted.set(symbol, error);
  }
  return unlisted;
}

/**
 * A WebSocket timeout for a symbol nobody has confirmed (not in a market list, never answered by a channel). Upbit's
 * WebSocket silently ignores codes it does not list, so such a timeout may be a typo rather than a channel fault: it
 * must not count against the channel (three typos would otherwise disable it for every symbol).
 */
export function isSilentTimeout(
  parts: MarketDataParts,
  channel: ChannelKind,
  error: MarketDataError,
  symbol: MarketCode,
): boolean {
  if (channel !== 'websocket' || error.code !== 'TIMEOUT') return false;
  if (parts.markets.listing(symbol) === 'listed') return false;
  return parts.websocket?.freshness(symbol, 'ticker')?.lastUpdateAt === undefined;
}

/** The timeout, saying why it was not held against the channel. */
export function explainSilentTimeout(error: MarketDataError, symbol: MarketCode): TimeoutError {
  return new TimeoutError(
    `${error.message}; ${symbol} is not confirmed to exist (no market list says so and no channel has answered ` +
      `for it), and Upbit's WebSocket never answers a code it does not list`,
    {
      channel: 'websocket',
      operation: error.operation,
      symbol,
      cause: error,
      timeoutMs: isTimeoutError(error) ? error.timeoutMs : 0,
    },
  );
}
