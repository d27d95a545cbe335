import {
  type ChannelKind,
  type ChannelTicker,
  ChannelUnavailableError,
  type Clock,
  DataValidationError,
  type MarketCode,
  type MarketDataError,
  type StreamingSource,
  type Ticker,
  type TickerSource,
  toMarketDataError,
  untilAborted,
} from '@marketdata/domain';
import type { TickerCache } from '../cache/ticker-cache.js';
import type { ChannelRouter } from '../router/channel-router.js';
import type { RequestedSource } from '../router/route-types.js';
import type { StatsCollector } from '../stats/stats-collector.js';
import type { Unifier } from '../unifier/unifier.js';
import { CallScope } from './call-scope.js';
import { classify, describeError, isChannelFault } from './channel-errors.js';
import type { FallbackEpisodes } from './fallback-episodes.js';
import { type Fetched, firstStep, type Step } from './resolution-steps.js';
import { fetchRestBatch, missingAnswer } from './rest-batch.js';
import { explainSilentTimeout, type SymbolListing } from './symbol-listing.js';

export type TickerOutcome =
  | { readonly ok: true; readonly value: Ticker }
  | { readonly ok: false; readonly error: MarketDataError };

export interface TickerResolverOptions {
  readonly clock: Clock;
  /** The deadline of one call (`restTimeoutMs`) and of one WebSocket wait inside it (`webSocketTimeoutMs`). */
  readonly restTimeoutMs: number;
  readonly webSocketTimeoutMs: number;
  readonly rest: Pick<TickerSource, 'getTickers'>;
  readonly websocket: Pick<StreamingSource, 'getTicker' | 'latest'> | undefined;
  readonly router: ChannelRouter;
  readonly unifier: Unifier;
  readonly cache: TickerCache;
  readonly stats: StatsCollector;
  readonly episodes: FallbackEpisodes;
  readonly listing: SymbolListing;
  /** Aborted by `close()`. */
  readonly lifetime: AbortSignal;
}

type Outcomes = Map<MarketCode, TickerOutcome>;

/** How a value was had: the stream's latest value at hand, one call of its own, or a REST batch. */
type How = 'latest' | 'call' | 'batch';

/**
 * Resolves tickers for distinct, validated symbols within one call: answers those the market list rules out,
 * routes the others, serves what is at hand synchronously (the stream's latest value, the cache: a route decision,
 * one map lookup and a grade, no timer), hands every REST symbol to one `rest.getTickers`, waits on the WebSocket
 * only for a symbol it holds no value of, and falls back per symbol. One deadline for the whole call.
 */
export class TickerResolver {
  constructor(private readonly options: TickerResolverOptions) {}

  resolve(
    symbols: readonly MarketCode[],
    requested: RequestedSource,
    signal: AbortSignal | undefined,
    operation: string,
    strict = false,
  ): ReadonlyMap<MarketCode, TickerOutcome> | Promise<ReadonlyMap<MarketCode, TickerOutcome>> {
    return new Resolution(this.options, requested, signal, operation, strict).run(symbols);
  }
}

class Resolution {
  private readonly outcomes = new Map<MarketCode, TickerOutcome>();
  private readonly startedAt: number;
  private readonly scope: CallScope;

  constructor(
    private readonly deps: TickerResolverOptions,
    private readonly requested: RequestedSource,
    caller: AbortSignal | undefined,
    private readonly operation: string,
    /** False: an explicit source is a preference (falls back like `auto` once it failed); true: no fallback. */
    private readonly strict: boolean,
  ) {
    const { clock, restTimeoutMs, webSocketTimeoutMs, lifetime } = deps;
    this.startedAt = clock.monotonic();
    this.scope = new CallScope({ clock, timeoutMs: restTimeoutMs, webSocketTimeoutMs, lifetime, caller, operation });
  }

  /**
   * Synchronous while everything is at hand (the market list loaded, the stream's latest value, the cache): a hot
   * call makes no promise of its own and takes no extra turn of the event loop. Waiting continues asynchronously.
   */
  run(symbols: readonly MarketCode[]): Outcomes | Promise<Outcomes> {
    if (this.deps.listing.needsWait()) return this.waitForList(symbols);
    return this.proceed(symbols, this.startedAt);
  }

  private async waitForList(symbols: readonly MarketCode[]): Promise<Outcomes> {
    const signal = this.scope.signal();
    try {
      await untilAborted(this.deps.listing.ready(signal), signal);
    } catch (error) {
      // Out of time (or cancelled) while the list loads: the call ends here. A directory that rejects on its own
      // breaks its port; the call then goes on as it would without a list.
      if (signal.aborted) {
        this.scope.dispose();
        return this.failAll(symbols);
      }
      this.deps.listing.noteBroken(error);
    }
    return this.proceed(symbols, this.deps.clock.monotonic());
  }

  /** `routedAt`: one clock read routes every symbol. */
  private proceed(symbols: readonly MarketCode[], routedAt: number): Outcomes | Promise<Outcomes> {
    let waiting = false;
    try {
      // Symbols the market list rules out are answered at once: never routed, never sent anywhere.
      const unlisted = this.deps.listing.unlisted(symbols, this.operation);
      for (const [symbol, error] of unlisted) this.outcomes.set(symbol, { ok: false, error });
      let steps = symbols
        .filter((symbol) => !unlisted.has(symbol))
        .map((symbol) => firstStep(this.deps, symbol, this.requested, this.strict, routedAt));
      // A failure yields at most one more step on a channel not yet tried (then the cache): three rounds at most.
      while (steps.length > 0) {
        const next = this.round(steps);
        if (!Array.isArray(next)) {
          waiting = true;
          return this.finish(next);
        }
        steps = next;
      }
      return this.outcomes;
    } finally {
      if (!waiting) this.scope.dispose();
    }
  }

  private async finish(pending: Promise<Step[]>): Promise<Outcomes> {
    try {
      let steps = await pending;
      while (steps.length > 0) steps = await this.round(steps);
      return this.outcomes;
    } finally {
      this.scope.dispose();
    }
  }

  /** Synchronous when everything was at hand (no wait): a hot call takes no extra turn of the event loop. */
  private round(steps: readonly Step[]): Step[] | Promise<Step[]> {
    const next: Step[] = [];
    const waits: Promise<Step[]>[] = [];
    const restSteps: Step[] = [];
    for (const step of steps) {
      if (step.channel === 'cache') this.fromCache(step);
      else if (step.channel === 'none') this.fail(step, this.unavailable(step));
      else if (step.channel === 'rest') {
        if (this.canWait(step, 'rest')) restSteps.push(step);
      } else {
        const latest = this.deps.websocket?.latest('ticker', step.symbol);
        if (latest !== undefined) next.push(...this.settle(step, 'websocket', { ok: true, tick: latest }, 'latest'));
        else if (this.canWait(step, 'websocket')) waits.push(this.waitWebSocket(step));
      }
    }
    if (restSteps.length > 0) waits.push(this.fetchRest(restSteps));
    if (waits.length === 0) return next;
    return Promise.all(waits).then((more) => next.concat(...more));
  }

  /** False (and the symbol answered) when the call can no longer wait on a channel: cancelled, or out of time. */
  private canWait(step: Step, channel: ChannelKind): boolean {
    if (!this.scope.cancelled() && !this.scope.expired()) return true;
    if (step.probe) this.deps.router.abandonProbe(channel);
    const reason = toMarketDataError(this.scope.reason(), { channel: 'api', operation: this.operation });
    this.fail(step, this.scope.cancelled() ? reason : (step.lastError ?? reason));
    return false;
  }

  private async waitWebSocket(step: Step): Promise<Step[]> {
    const { websocket, clock, stats, router, episodes } = this.deps;
    if (websocket === undefined) return this.failed(step, 'websocket', this.unavailable(step), false);
    const wait = this.scope.webSocketWait(step.symbol);
    stats.recordRequest('websocket');
    const started = clock.monotonic();
    try {
      const tick = await untilAborted(websocket.getTicker(step.symbol, { signal: wait.signal }), wait.signal);
      router.recordSuccess('websocket', clock.monotonic() - started);
      episodes.succeeded('websocket');
      return this.settle(step, 'websocket', { ok: true, tick }, 'call');
    } catch (error) {
      return this.settle(step, 'websocket', { ok: false, error }, 'call');
    } finally {
      wait.dispose();
    }
  }

  private async fetchRest(steps: readonly Step[]): Promise<Step[]> {
    const symbols = steps.map((step) => step.symbol);
    const outcome = await fetchRestBatch(this.deps, symbols, this.scope.signal(), () => this.scope.cancelled());
    if (!outcome.ok) return steps.flatMap((step) => this.settle(step, 'rest', outcome, 'batch'));
    return steps.flatMap((step) => {
      const result = outcome.results.get(step.symbol) ?? { ok: false, error: missingAnswer(step.symbol) };
      return this.settle(step, 'rest', result.ok ? { ok: true, tick: result.value } : result, 'batch');
    });
  }

  /** Turns what a channel gave into the symbol's outcome, or into the next step when a fallback applies. */
  private settle(step: Step, channel: ChannelKind, result: Fetched, how: How): Step[] {
    const { cache, router, episodes } = this.deps;
    if (!result.ok) {
      return this.failed(step, channel, classify(result.error, channel, 'getTicker', step.symbol), how === 'call');
    }
    const tick = result.tick;
    if (tick.symbol !== step.symbol) {
      const error = new DataValidationError(`Asked ${channel} for ${step.symbol}, got ${tick.symbol}`, {
        channel,
        operation: 'getTicker',
        symbol: step.symbol,
        path: 'symbol',
        value: tick.symbol,
      });
      return this.failed(step, channel, error, how !== 'batch');
    }
    if (how === 'latest') {
      // The stream's latest value: no call was made. The adapter holds it; the cache need not.
      router.recordAnswered('websocket');
      episodes.succeeded('websocket');
    } else {
      cache.remember(tick);
    }
    this.outcomes.set(step.symbol, { ok: true, value: this.grade(step, tick, channel, undefined) });
    return [];
  }

  /** `recordHealth` is false for per-symbol failures inside a batch (the batch's own outcome is recorded once). */
  private failed(step: Step, channel: ChannelKind, raw: MarketDataError, recordHealth: boolean): Step[] {
    const { router, stats, episodes, listing, cache } = this.deps;
    if (this.scope.cancelled()) {
      // Cut short by close() or by the caller: it says nothing about the channel.
      if (step.probe) router.abandonProbe(channel);
      this.fail(step, toMarketDataError(this.scope.cancellation(), { channel: 'api', operation: this.operation }));
      return [];
    }
    const silent = listing.isSilentTimeout(channel, raw, step.symbol);
    const error = silent ? explainSilentTimeout(raw, step.symbol) : raw;
    stats.recordError(error);
    const fault = isChannelFault(error);
    if (recordHealth) {
      // A failure says something about the channel; an unknown symbol means it answered; a silent timeout, neither.
      if (silent) {
        if (step.probe) router.abandonProbe(channel);
      } else if (fault) router.recordFailure(channel, describeError(error));
      else router.recordSuccess(channel, undefined);
    }
    // A silent timeout still falls back (for `auto`): REST gives the definite answer, the ticker or a 404.
    const attempted = [...step.attempted, channel];
    const next = router.fallback(this.strict ? this.requested : 'auto', attempted, fault, cache.condition(step.symbol));
    if (next.channel === 'none') {
      this.fail(step, error);
      return [];
    }
    const from = step.fallbackFrom ?? channel;
    episodes.fellBack(from, next.channel, describeError(error));
    return [
      {
        symbol: step.symbol,
        channel: next.channel,
        attempted,
        fallbackFrom: from,
        fallbackReason: describeError(error),
        probe: next.probe,
        lastError: error,
        detail: () => next.reason,
        cached: next.cached,
      },
    ];
  }

  /** Serves the entry the decision was made on (one read: it cannot have expired since). */
  private fromCache(step: Step): void {
    const hit = step.cached;
    if (hit === undefined) {
      this.fail(step, this.unavailable(step));
      return;
    }
    this.deps.cache.noteHit();
    this.outcomes.set(step.symbol, { ok: true, value: this.grade(step, hit.value, 'cache', hit.ageMs) });
  }

  private grade(
    step: Step,
    tick: ChannelTicker,
    servedFrom: 'rest' | 'websocket' | 'cache',
    cacheAgeMs: number | undefined,
  ): Ticker {
    const { unifier, stats } = this.deps;
    const ticker = unifier.grade(tick, {
      servedFrom,
      startedAt: this.startedAt,
      cacheAgeMs,
      fallbackFrom: step.fallbackFrom,
      fallbackReason: step.fallbackReason,
    });
    if (step.fallbackFrom !== undefined) stats.recordFallback(step.fallbackFrom, servedFrom);
    stats.recordServed(servedFrom, ticker.processingTimeMs);
    return ticker;
  }

  private failAll(symbols: readonly MarketCode[]): Outcomes {
    const error = toMarketDataError(this.scope.reason(), { channel: 'api', operation: this.operation });
    if (!this.scope.cancelled()) this.deps.stats.recordError(error);
    for (const symbol of symbols) this.outcomes.set(symbol, { ok: false, error });
    return this.outcomes;
  }

  private fail(step: Step, error: MarketDataError): void {
    this.outcomes.set(step.symbol, { ok: false, error });
  }

  private unavailable(step: Step): MarketDataError {
    if (step.lastError !== undefined) return step.lastError;
    const detail = step.detail();
    const error = new ChannelUnavailableError(`No channel can serve ${step.symbol} (${detail})`, {
      channel: 'router',
      operation: 'getTicker',
      symbol: step.symbol,
      reason: detail,
    });
    this.deps.stats.recordError(error);
    return error;
  }
}
