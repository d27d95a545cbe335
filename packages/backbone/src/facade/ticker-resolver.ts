import {
  type ChannelKind,
  type ChannelTicker,
  ChannelUnavailableError,
  ClosedError,
  DataValidationError,
  type MarketCode,
  type MarketDataError,
  type SymbolResult,
  type Ticker,
} from '@marketdata/domain';
import type { RequestedSource, RouteChannel } from '../router/route-types.js';
import { cacheCondition, classify, describeError, isChannelFault, remember, streamFigures } from './backbone-parts.js';
import { callWithDeadline } from './call-with-deadline.js';
import type { MarketDataParts } from './market-data-parts.js';
import { explainSilentTimeout, isSilentTimeout, unlistedSymbols } from './symbol-listing.js';

export type TickerOutcome =
  | { readonly ok: true; readonly value: Ticker }
  | { readonly ok: false; readonly error: MarketDataError };

/** Where one symbol's request stands: the channel to try next and what happened so far. */
interface Step {
  readonly symbol: MarketCode;
  readonly channel: RouteChannel;
  readonly attempted: readonly ChannelKind[];
  readonly fallbackFrom: ChannelKind | undefined;
  readonly fallbackReason: string | undefined;
  readonly probe: boolean;
  readonly lastError: MarketDataError | undefined;
  readonly detail: string;
}

type FetchResult =
  | { readonly ok: true; readonly tick: ChannelTicker }
  | { readonly ok: false; readonly error: unknown };

class Resolution {
  private readonly outcomes = new Map<MarketCode, TickerOutcome>();
  private readonly startedAt: number;

  constructor(
    private readonly parts: MarketDataParts,
    private readonly requested: RequestedSource,
    private readonly signal: AbortSignal | undefined,
  ) {
    this.startedAt = parts.clock.monotonic();
  }

  async run(symbols: readonly MarketCode[]): Promise<Map<MarketCode, TickerOutcome>> {
    // Symbols the market list rules out are answered at once: never routed, never sent anywhere.
    const pending = this.parts.markets.prepare(symbols);
    if (pending !== undefined) await pending;
    const unlisted = unlistedSymbols(this.parts, symbols, 'getTicker');
    for (const [symbol, error] of unlisted) this.outcomes.set(symbol, { ok: false, error });
    let steps = symbols.filter((symbol) => !unlisted.has(symbol)).map((symbol) => this.firstStep(symbol));
    // Each round tries one channel per symbol; a failure yields at most one more step on a channel not yet tried
    // (then the cache), so this ends after three rounds at most.
    while (steps.length > 0) {
      const restSteps: Step[] = [];
      const websocketSteps: Step[] = [];
      for (const step of steps) {
        if (step.channel === 'cache') this.outcomes.set(step.symbol, this.fromCache(step));
        else if (step.channel === 'none') this.outcomes.set(step.symbol, { ok: false, error: this.unavailable(step) });
        else if (step.channel === 'rest') restSteps.push(step);
        else websocketSteps.push(step);
      }
      const rounds = await Promise.all([
        ...websocketSteps.map((step) => this.fetchWebsocket(step)),
        this.fetchRest(restSteps),
      ]);
      steps = rounds.flat();
    }
    return this.outcomes;
  }

  private firstStep(symbol: MarketCode): Step {
    const { router, cache, episodes, clock } = this.parts;
    const decision = router.route({ symbol, kind: 'ticker', operation: 'get', requested: this.requested });
    if (this.requested === 'auto' && decision.channel !== 'cache') cache.noteMiss();
    if (decision.fallbackFrom !== undefined && decision.channel !== 'none') {
      episodes.fellBack(decision.fallbackFrom, decision.channel, decision.detail, clock.monotonic());
    }
    this.parts.logger.trace('route', { symbol, channel: decision.channel, reason: decision.reason });
    return {
      symbol,
      channel: decision.channel,
      attempted: [],
      fallbackFrom: decision.fallbackFrom,
      fallbackReason: decision.fallbackFrom === undefined ? undefined : `${decision.reason} (${decision.detail})`,
      probe: decision.probe,
      lastError: undefined,
      detail: `${decision.reason}: ${decision.detail}`,
    };
  }

  private async fetchWebsocket(step: Step): Promise<Step[]> {
    const websocket = this.parts.websocket;
    if (websocket === undefined) return this.failed(step, 'websocket', this.unavailable(step));
    const result = await this.call('websocket', 'getTicker', (signal) =>
      websocket.getTicker(step.symbol, { signal, timeoutMs: this.parts.config.websocketTimeoutMs }),
    );
    return this.settle(step, 'websocket', result.ok ? { ok: true, tick: result.value } : result);
  }

  private async fetchRest(steps: readonly Step[]): Promise<Step[]> {
    const { rest, config } = this.parts;
    const [only] = steps;
    if (only === undefined) return [];
    if (steps.length === 1) {
      const result = await this.call('rest', 'getTicker', (signal) =>
        rest.getTicker(only.symbol, { signal, timeoutMs: config.restTimeoutMs }),
      );
      return this.settle(only, 'rest', result.ok ? { ok: true, tick: result.value } : result);
    }
    const batch = await this.call('rest', 'getTickers', (signal) =>
      rest.getTickers(
        steps.map((step) => step.symbol),
        { signal, timeoutMs: config.restTimeoutMs },
      ),
    );
    if (!batch.ok) {
      // One failed request is one failure of the channel, however many symbols it carried.
      if (!this.cutShort()) {
        const error = classify(batch.error, 'rest', 'getTickers');
        const probe = steps.some((step) => step.probe);
        this.recordHealth('rest', error, probe, isChannelFault(error) ? 'failure' : 'answered');
      }
      return steps.flatMap((step) => this.settle(step, 'rest', batch, false));
    }
    const bySymbol = new Map<MarketCode, SymbolResult<ChannelTicker>>();
    for (const result of batch.value) bySymbol.set(result.symbol, result);
    return steps.flatMap((step) => {
      const result = bySymbol.get(step.symbol);
      if (result === undefined) {
        const error = new DataValidationError(`The REST batch answered nothing for ${step.symbol}`, {
          channel: 'rest',
          operation: 'getTickers',
          symbol: step.symbol,
          path: 'symbol',
          value: step.symbol,
        });
        return this.settle(step, 'rest', { ok: false, error }, false);
      }
      return this.settle(step, 'rest', result.ok ? { ok: true, tick: result.value } : result, false);
    });
  }

  /** One call to a live channel, under its deadline, with its outcome recorded in the channel's health. */
  private async call<T>(
    channel: ChannelKind,
    operation: string,
    run: (signal: AbortSignal) => Promise<T>,
  ): Promise<{ readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: unknown }> {
    const { clock, config, stats, router, episodes, lifetime } = this.parts;
    stats.recordRequest(channel);
    const started = clock.monotonic();
    try {
      const value = await callWithDeadline(
        {
          clock,
          timeoutMs: channel === 'rest' ? config.restTimeoutMs : config.websocketTimeoutMs,
          signals: [lifetime, this.signal],
          channel,
          operation,
        },
        run,
      );
      const now = clock.monotonic();
      router.recordSuccess(channel, now - started);
      episodes.succeeded(channel, now);
      return { ok: true, value };
    } catch (error) {
      return { ok: false, error };
    }
  }

  /**
   * Turns a fetch result into the symbol's outcome, or into the next step when a fallback applies.
   * `recordHealth` is false for per-symbol failures inside a batch call that itself succeeded.
   */
  private settle(step: Step, channel: ChannelKind, result: FetchResult, recordHealth = true): Step[] {
    if (!result.ok) {
      return this.failed(step, channel, classify(result.error, channel, 'getTicker', step.symbol), recordHealth);
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
      return this.failed(step, channel, error, recordHealth);
    }
    remember(this.parts, tick);
    this.parts.markets.noteSeen(tick.symbol);
    this.outcomes.set(step.symbol, { ok: true, value: this.grade(step, tick, channel, undefined) });
    return [];
  }

  private failed(step: Step, channel: ChannelKind, raw: MarketDataError, recordHealth = true): Step[] {
    const { router, stats, episodes, clock, lifetime } = this.parts;
    if (this.cutShort()) {
      // The call was cut short by close() or by the caller: it says nothing about the channel.
      if (step.probe) router.abandonProbe(channel);
      const reason = lifetime.aborted ? new ClosedError('MarketData', { operation: 'getTicker' }) : raw;
      this.outcomes.set(step.symbol, { ok: false, error: reason });
      return [];
    }
    const silent = isSilentTimeout(this.parts, channel, raw, step.symbol);
    const error = silent ? explainSilentTimeout(raw, step.symbol) : raw;
    stats.recordError(error);
    const fault = isChannelFault(error);
    if (recordHealth) {
      this.recordHealth(channel, error, step.probe, silent ? 'no-verdict' : fault ? 'failure' : 'answered');
    }
    // A silent timeout still falls back (for `auto`): REST gives the definite answer, the ticker or a 404.
    const attempted = [...step.attempted, channel];
    const next = router.fallback(this.requested, attempted, fault, cacheCondition(this.parts, step.symbol));
    if (next.channel === 'none') {
      this.outcomes.set(step.symbol, { ok: false, error });
      return [];
    }
    const from = step.fallbackFrom ?? channel;
    episodes.fellBack(from, next.channel, describeError(error), clock.monotonic());
    return [
      {
        symbol: step.symbol,
        channel: next.channel,
        attempted,
        fallbackFrom: from,
        fallbackReason: describeError(error),
        probe: next.probe,
        lastError: error,
        detail: next.reason,
      },
    ];
  }

  private cutShort(): boolean {
    return this.parts.lifetime.aborted || this.signal?.aborted === true;
  }

  /**
   * Records a failed call in the channel's health. `failure`: it says something about the channel. `answered`: the
   * channel answered, the symbol was wrong (unknown). `no-verdict`: it says nothing either way (a silent timeout).
   */
  private recordHealth(
    channel: ChannelKind,
    error: MarketDataError,
    probe: boolean,
    verdict: 'failure' | 'answered' | 'no-verdict',
  ): void {
    const { router } = this.parts;
    if (verdict === 'failure') router.recordFailure(channel, describeError(error));
    else if (verdict === 'answered') router.recordSuccess(channel, undefined);
    else if (probe) router.abandonProbe(channel);
  }

  private fromCache(step: Step): TickerOutcome {
    const hit = this.parts.cache.get(step.symbol);
    if (hit === undefined) return { ok: false, error: this.unavailable(step) };
    return { ok: true, value: this.grade(step, hit.value, 'cache', hit.ageMs) };
  }

  private grade(
    step: Step,
    tick: ChannelTicker,
    servedFrom: 'rest' | 'websocket' | 'cache',
    cacheAgeMs: number | undefined,
  ): Ticker {
    const { unifier, stats } = this.parts;
    const ticker = unifier.grade(tick, {
      servedFrom,
      startedAt: this.startedAt,
      ...streamFigures(this.parts, step.symbol),
      cacheAgeMs,
      fallbackFrom: step.fallbackFrom,
      fallbackReason: step.fallbackReason,
    });
    if (step.fallbackFrom !== undefined) stats.recordFallback(step.fallbackFrom, servedFrom);
    stats.recordServed(servedFrom, ticker.processingTimeMs);
    return ticker;
  }

  private unavailable(step: Step): MarketDataError {
    if (step.lastError !== undefined) return step.lastError;
    const error = new ChannelUnavailableError(`No channel can serve ${step.symbol} (${step.detail})`, {
      channel: 'router',
      operation: 'getTicker',
      symbol: step.symbol,
      reason: step.detail,
    });
    this.parts.stats.recordError(error);
    return error;
  }
}

/**
 * Resolves tickers for distinct, validated symbols: answers those the market list rules out, routes the others,
 * batches REST, falls back per symbol.
 */
export function resolveTickers(
  parts: MarketDataParts,
  symbols: readonly MarketCode[],
  requested: RequestedSource,
  signal: AbortSignal | undefined,
): Promise<Map<MarketCode, TickerOutcome>> {
  return new Resolution(parts, requested, signal).run(symbols);
}
