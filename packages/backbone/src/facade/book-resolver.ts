import {
  type ChannelKind,
  ChannelUnavailableError,
  type Clock,
  DataValidationError,
  type MarketCode,
  type MarketDataError,
  type OrderBook,
  type RequestOptions,
  type StreamingSource,
  toMarketDataError,
  untilAborted,
} from '@marketdata/domain';
import type { TtlCache } from '../cache/ttl-cache.js';
import type { FreshnessJudge } from '../freshness/freshness-judge.js';
import type { ChannelRouter } from '../router/channel-router.js';
import type { RequestedSource } from '../router/route-types.js';
import type { StatsCollector } from '../stats/stats-collector.js';
import type { Unifier } from '../unifier/unifier.js';
import type { BookDemand } from './book-demand.js';
import { type BookOutcome, bookStaleIssue, gradeBook, type ServedBook } from './book-grading.js';
import { CallScope } from './call-scope.js';
import { classify, describeError, isChannelFault } from './channel-errors.js';
import type { FallbackEpisodes } from './fallback-episodes.js';
import { explainSilentTimeout, type SymbolListing } from './symbol-listing.js';

export interface BookRestSource {
  getOrderBook(symbol: MarketCode, options?: RequestOptions): Promise<OrderBook>;
}

export interface BookResolverOptions {
  readonly clock: Clock;
  readonly restTimeoutMs: number;
  readonly webSocketTimeoutMs: number;
  readonly lifetime: AbortSignal;
  /** Undefined when the REST source has no `getOrderBook`. */
  readonly rest: BookRestSource | undefined;
  readonly websocket: Pick<StreamingSource, 'getOrderBook' | 'latest'> | undefined;
  readonly router: ChannelRouter;
  readonly judge: FreshnessJudge;
  readonly unifier: Unifier;
  readonly listing: SymbolListing;
  readonly stats: StatsCollector;
  readonly episodes: FallbackEpisodes;
  readonly demand: BookDemand;
  /** The last book had per symbol: answers only when no channel could (a non-strict call), labelled. */
  readonly cache: TtlCache<MarketCode, OrderBook>;
}

export interface BookRequest {
  readonly requested: RequestedSource;
  readonly strict: boolean;
  /** Levels handed out at most (best first). */
  readonly depth: number | undefined;
  readonly signal: AbortSignal | undefined;
  readonly operation: string;
}

export type { BookOutcome } from './book-grading.js';

type Served = ServedBook;

/**
 * `getOrderBook(s)`: routed like tickers. A hot symbol (asked at least `hotRequestsPerSecond`) is held on the
 * WebSocket and answered from the stream's latest book while the freshness judge calls it fresh, with no request;
 * anything else asks REST (Upbit's REST book is a full book, as the stream's). `source` is a preference: the other
 * channel answers when it fails, labelled a fallback (`strict: true`: no fallback); the last book had is the last
 * resort. One deadline per call (`restTimeoutMs`), a WebSocket wait bounded by `webSocketTimeoutMs` inside it.
 */
export class BookResolver {
  constructor(private readonly options: BookResolverOptions) {}

  async resolve(symbols: readonly MarketCode[], request: BookRequest): Promise<ReadonlyMap<MarketCode, BookOutcome>> {
    const { clock, restTimeoutMs, webSocketTimeoutMs, lifetime, listing } = this.options;
    const startedAt = clock.monotonic();
    const scope = new CallScope({
      clock,
      timeoutMs: restTimeoutMs,
      webSocketTimeoutMs,
      lifetime,
      caller: request.signal,
      operation: request.operation,
    });
    const outcomes = new Map<MarketCode, BookOutcome>();
    try {
      if (listing.needsWait()) {
        const signal = scope.signal();
        try {
          await untilAborted(listing.ready(signal), signal);
        } catch (error) {
          if (signal.aborted) {
            const reason = toMarketDataError(scope.reason(), { channel: 'api', operation: request.operation });
            for (const symbol of symbols) outcomes.set(symbol, { ok: false, error: reason });
            return outcomes;
          }
          listing.noteBroken(error);
        }
      }
      const unlisted = listing.unlisted(symbols, request.operation);
      for (const [symbol, error] of unlisted) outcomes.set(symbol, { ok: false, error });
      const listed = symbols.filter((symbol) => !unlisted.has(symbol));
      const answers = await Promise.all(listed.map((symbol) => this.one(symbol, request, scope, startedAt)));
      for (const [index, symbol] of listed.entries()) outcomes.set(symbol, answers[index] as BookOutcome);
      return outcomes;
    } finally {
      scope.dispose();
    }
  }

  private async one(
    symbol: MarketCode,
    request: BookRequest,
    scope: CallScope,
    startedAt: number,
  ): Promise<BookOutcome> {
    const { demand, websocket, router } = this.options;
    const hot = demand.record(symbol);
    if (request.requested === 'auto' && hot && websocket !== undefined) {
      const latest = websocket.latest('orderbook', symbol);
      if (
        latest !== undefined &&
        bookStaleIssue(this.options.judge, latest) === undefined &&
        router.claim('websocket').usable
      ) {
        router.recordAnswered('websocket');
        return gradeBook(this.options, { book: latest, from: 'websocket' }, request, startedAt, undefined);
      }
    }
    const order = channelOrder(request);
    const preferred = order[0] as ChannelKind;
    let lastError: MarketDataError | undefined;
    for (const channel of order) {
      if (scope.cancelled() || scope.expired()) break;
      const claim = this.available(channel) ? router.claim(channel) : { usable: false, probe: false };
      if (!claim.usable) {
        lastError ??= this.unavailable(symbol, channel, request.operation);
        continue;
      }
      if (channel !== preferred) this.options.episodes.fellBack(preferred, channel, describeFailure(lastError));
      const result = await this.fetch(channel, symbol, scope, claim.probe, request.operation);
      if (result.ok) {
        const fallback = channel === preferred ? undefined : ([preferred, describeFailure(lastError)] as const);
        return gradeBook(this.options, result.served, request, startedAt, fallback);
      }
      lastError = result.error;
      if (result.final) break;
    }
    if (scope.cancelled()) {
      const error = toMarketDataError(scope.cancellation(), { channel: 'api', operation: request.operation });
      return { ok: false, error };
    }
    if (!request.strict) {
      const hit = this.options.cache.get(symbol);
      if (hit !== undefined && (lastError === undefined || isChannelFault(lastError))) {
        const served: Served = { book: hit.value, from: 'cache', cacheAgeMs: hit.ageMs };
        return gradeBook(this.options, served, request, startedAt, [preferred, describeFailure(lastError)]);
      }
    }
    const error =
      lastError ?? toMarketDataError(scope.reason(), { channel: 'api', operation: request.operation, symbol });
    return { ok: false, error };
  }

  private async fetch(
    channel: ChannelKind,
    symbol: MarketCode,
    scope: CallScope,
    probe: boolean,
    operation: string,
  ): Promise<
    | { readonly ok: true; readonly served: Served }
    | { readonly ok: false; readonly error: MarketDataError; readonly final: boolean }
  > {
    const { clock, router, stats, episodes, cache } = this.options;
    const started = clock.monotonic();
    let book: OrderBook;
    if (channel === 'websocket') {
      const websocket = this.options.websocket as Pick<StreamingSource, 'getOrderBook' | 'latest'>;
      const latest = websocket.latest('orderbook', symbol);
      if (latest !== undefined) {
        router.recordAnswered('websocket');
        episodes.succeeded('websocket');
        return { ok: true, served: { book: latest, from: 'websocket' } };
      }
      const wait = scope.webSocketWait(symbol);
      stats.recordRequest('websocket');
      try {
        book = await untilAborted(websocket.getOrderBook(symbol, { signal: wait.signal }), wait.signal);
      } catch (error) {
        return this.failed(channel, symbol, error, scope, probe, operation);
      } finally {
        wait.dispose();
      }
    } else {
      const rest = this.options.rest as BookRestSource;
      const signal = scope.signal();
      stats.recordRequest('rest');
      try {
        book = await untilAborted(rest.getOrderBook(symbol, { signal }), signal);
      } catch (error) {
        return this.failed(channel, symbol, error, scope, probe, operation);
      }
    }
    if (book.symbol !== symbol) {
      const error = new DataValidationError(`Asked ${channel} for the book of ${symbol}, got ${book.symbol}`, {
        channel,
        operation,
        symbol,
        path: 'symbol',
        value: book.symbol,
      });
      router.recordFailure(channel, describeError(error));
      stats.recordError(error);
      return { ok: false, error, final: false };
    }
    router.recordSuccess(channel, clock.monotonic() - started);
    episodes.succeeded(channel);
    cache.set(symbol, book, Math.max(0, clock.monotonic() - book.receivedAtMonotonic));
    return { ok: true, served: { book, from: channel } };
  }

  private failed(
    channel: ChannelKind,
    symbol: MarketCode,
    raw: unknown,
    scope: CallScope,
    probe: boolean,
    operation: string,
  ): { readonly ok: false; readonly error: MarketDataError; readonly final: boolean } {
    const { router, stats, listing } = this.options;
    if (scope.cancelled()) {
      if (probe) router.abandonProbe(channel);
      const error = toMarketDataError(scope.cancellation(), { channel: 'api', operation });
      return { ok: false, error, final: true };
    }
    const classified = classify(raw, channel, operation, symbol);
    const silent = listing.isSilentTimeout(channel, classified, symbol);
    const error = silent ? explainSilentTimeout(classified, symbol) : classified;
    stats.recordError(error);
    const fault = isChannelFault(error);
    if (silent) {
      if (probe) router.abandonProbe(channel);
    } else if (fault) router.recordFailure(channel, describeError(error));
    else router.recordSuccess(channel, undefined);
    // An unknown symbol is the same answer on every channel: no fallback for it.
    return { ok: false, error, final: !fault };
  }

  private available(channel: ChannelKind): boolean {
    return channel === 'rest' ? this.options.rest !== undefined : this.options.websocket !== undefined;
  }

  private unavailable(symbol: MarketCode, channel: ChannelKind, operation: string): MarketDataError {
    const why = this.available(channel) ? `${channel} is disabled after failures` : `${channel} is not configured`;
    const error = new ChannelUnavailableError(`No order book from ${channel} for ${symbol}: ${why}`, {
      channel: 'router',
      operation,
      symbol,
      reason: why,
    });
    this.options.stats.recordError(error);
    return error;
  }
}

/** The channels to try, in order: the preferred one, then (unless strict) the other. `auto` prefers REST. */
function channelOrder(request: BookRequest): readonly ChannelKind[] {
  const first: ChannelKind = request.requested === 'websocket' ? 'websocket' : 'rest';
  if (request.strict) return [first];
  return first === 'rest' ? ['rest', 'websocket'] : ['websocket', 'rest'];
}

function describeFailure(error: MarketDataError | undefined): string {
  return error === undefined ? 'unavailable' : describeError(error);
}
