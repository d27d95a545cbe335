import { isMarketDataError, MarketDataError } from '@marketdata/domain';

/** Anything thrown, as a `MarketDataError` (the original kept as the cause). */
export function asMarketDataError(error: unknown, operation: string): MarketDataError {
  if (isMarketDataError(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new MarketDataError(message, { operation, cause: error });
}
