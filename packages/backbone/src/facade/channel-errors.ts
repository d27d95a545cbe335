import { type ChannelKind, type MarketDataError, toMarketDataError } from '@marketdata/domain';

/** Failures that say nothing about the channel's health: the other channel would answer the same. */
export function isChannelFault(error: MarketDataError): boolean {
  return error.code !== 'UNKNOWN_SYMBOL' && error.code !== 'INVALID_MARKET_CODE';
}

export function describeError(error: MarketDataError): string {
  return `${error.name}: ${error.message}`;
}

export function classify(error: unknown, channel: ChannelKind, operation: string, symbol?: string): MarketDataError {
  return toMarketDataError(error, { channel, operation, symbol });
}
