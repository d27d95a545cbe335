import {
  type ChannelTicker,
  type Clock,
  DataValidationError,
  type MarketCode,
  type SymbolResult,
  type TickerSource,
  untilAborted,
} from '@marketdata/domain';
import type { ChannelRouter } from '../router/channel-router.js';
import type { StatsCollector } from '../stats/stats-collector.js';
import { classify, describeError, isChannelFault } from './channel-errors.js';
import type { FallbackEpisodes } from './fallback-episodes.js';

export interface RestBatchOptions {
  readonly clock: Clock;
  readonly rest: Pick<TickerSource, 'getTickers'>;
  readonly router: ChannelRouter;
  readonly stats: StatsCollector;
  readonly episodes: FallbackEpisodes;
}

export type RestBatchOutcome =
  | { readonly ok: true; readonly results: ReadonlyMap<MarketCode, SymbolResult<ChannelTicker>> }
  | { readonly ok: false; readonly error: unknown };

/**
 * Hands every REST symbol of a call to one `rest.getTickers` under the call's signal (the REST adapter batches and
 * coalesces; there is no second batcher here) and records the outcome once in the channel's health: one request is
 * one success or one failure, however many symbols it carried.
 */
export async function fetchRestBatch(
  options: RestBatchOptions,
  symbols: readonly MarketCode[],
  signal: AbortSignal,
  cancelled: () => boolean,
): Promise<RestBatchOutcome> {
  const { rest, clock, stats, router, episodes } = options;
  stats.recordRequest('rest');
  const started = clock.monotonic();
  let results: readonly SymbolResult<ChannelTicker>[];
  try {
    results = await untilAborted(rest.getTickers(symbols, { signal }), signal);
  } catch (error) {
    if (!cancelled()) {
      const classified = classify(error, 'rest', 'getTickers');
      if (isChannelFault(classified)) router.recordFailure('rest', describeError(classified));
      else router.recordSuccess('rest', undefined);
    }
    return { ok: false, error };
  }
  // An adapter may report a failed request per symbol: a batch that answered no symbol and reports channel faults
  // is one failure; anything else is the channel answering.
  const answered = results.some((result) => result.ok);
  const fault = results.find((result) => !result.ok && isChannelFault(result.error));
  if (!answered && fault !== undefined && !fault.ok) {
    router.recordFailure('rest', describeError(fault.error));
  } else {
    router.recordSuccess('rest', clock.monotonic() - started);
    episodes.succeeded('rest');
  }
  const bySymbol = new Map<MarketCode, SymbolResult<ChannelTicker>>();
  for (const result of results) bySymbol.set(result.symbol, result);
  return { ok: true, results: bySymbol };
}

/** A batch answer that lacks a symbol it was asked for. */
export function missingAnswer(symbol: MarketCode): DataValidationError {
  return new DataValidationError(`The REST batch answered nothing for ${symbol}`, {
    channel: 'rest',
    operation: 'getTickers',
    symbol,
    path: 'symbol',
    value: symbol,
  });
}
