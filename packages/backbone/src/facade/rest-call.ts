import {
  ChannelUnavailableError,
  type Clock,
  type MarketCode,
  type MarketDataError,
  toMarketDataError,
  untilAborted,
} from '@marketdata/domain';
import type { ChannelRouter } from '../router/channel-router.js';
import type { StatsCollector } from '../stats/stats-collector.js';
import { CallScope } from './call-scope.js';
import { classify, describeError, isChannelFault } from './channel-errors.js';
import type { FallbackEpisodes } from './fallback-episodes.js';
import type { SymbolListing } from './symbol-listing.js';

export interface RestCallDeps {
  readonly clock: Clock;
  /** The call's deadline (`restTimeoutMs`). */
  readonly restTimeoutMs: number;
  readonly webSocketTimeoutMs: number;
  readonly lifetime: AbortSignal;
  readonly listing: SymbolListing;
  readonly router: ChannelRouter;
  readonly stats: StatsCollector;
  readonly episodes: FallbackEpisodes;
}

export interface RestCall<T> {
  readonly operation: string;
  /** The market the call is about (checked against the market list first); undefined for the market list itself. */
  readonly symbol: MarketCode | undefined;
  readonly caller: AbortSignal | undefined;
  /** The request(s), under the call's one signal. A source that pages spends several requests inside it. */
  readonly fetch: (signal: AbortSignal) => Promise<T>;
  /**
   * False when `fetch` may spend several requests (paging, paced): its duration then says nothing about one
   * request's latency and is kept out of the channel's latency average.
   */
  readonly singleRequest: boolean;
}

export interface RestCallResult<T> {
  readonly value: T;
  /** `Clock.monotonic()` when the call began (for `processingTimeMs`). */
  readonly startedAt: number;
}

/**
 * One facade call that only REST can answer (trades, candles, the market list): the market list checked first (an
 * unlisted symbol is answered without a request), the REST channel's health consulted (a disabled channel is
 * refused, unless its recovery probe is due: this call is then the probe), one deadline (`restTimeoutMs`) around
 * everything as the source's only signal, and the outcome recorded once in the channel's health. Rejects with a
 * member of the error family: the cancellation (`ClosedError` after close, or the caller's reason), the deadline's
 * `TimeoutError`, or what the source said.
 */
export async function restCall<T>(deps: RestCallDeps, call: RestCall<T>): Promise<RestCallResult<T>> {
  const { clock, restTimeoutMs, webSocketTimeoutMs, lifetime, listing, router, stats, episodes } = deps;
  const { operation, symbol } = call;
  const startedAt = clock.monotonic();
  const scope = new CallScope({
    clock,
    timeoutMs: restTimeoutMs,
    webSocketTimeoutMs,
    lifetime,
    caller: call.caller,
    operation,
  });
  const fail = (error: MarketDataError): never => {
    if (!scope.cancelled()) stats.recordError(error);
    throw error;
  };
  try {
    const signal = scope.signal();
    if (symbol !== undefined) {
      if (listing.needsWait()) {
        try {
          await untilAborted(listing.ready(signal), signal);
        } catch (error) {
          if (signal.aborted) fail(toMarketDataError(scope.reason(), { channel: 'api', operation, symbol }));
          listing.noteBroken(error);
        }
      }
      const unlisted = listing.unlisted([symbol], operation).get(symbol);
      if (unlisted !== undefined) throw unlisted;
    }
    const claim = router.claim('rest');
    if (!claim.usable) {
      const view = router.channelViews().rest;
      const retry =
        view.nextProbeAt === undefined
          ? ''
          : `; next probe in ${Math.max(0, Math.round(view.nextProbeAt - clock.monotonic()))} ms`;
      fail(
        new ChannelUnavailableError(`${operation} needs rest, which is disabled after failures${retry}`, {
          channel: 'router',
          operation,
          symbol,
          reason: 'rest disabled',
        }),
      );
    }
    stats.recordRequest('rest');
    const requestStarted = clock.monotonic();
    let value: T;
    try {
      value = await untilAborted(call.fetch(signal), signal);
    } catch (raw) {
      if (scope.cancelled()) {
        if (claim.probe) router.abandonProbe('rest');
        throw toMarketDataError(scope.cancellation(), { channel: 'api', operation, symbol });
      }
      const error = classify(raw, 'rest', operation, symbol);
      if (isChannelFault(error)) router.recordFailure('rest', describeError(error));
      else router.recordSuccess('rest', undefined);
      return fail(error);
    }
    router.recordSuccess('rest', call.singleRequest ? clock.monotonic() - requestStarted : undefined);
    episodes.succeeded('rest');
    return { value, startedAt };
  } finally {
    scope.dispose();
  }
}
