import {
  type ChannelTicker,
  ChannelUnavailableError,
  type Clock,
  type MarketCode,
  type MarketDataError,
  type StreamingSource,
  type TickerSource,
  type TimerHandle,
} from '@marketdata/domain';
import type { FreshnessJudge } from '../freshness/freshness-judge.js';
import { describeStale } from '../freshness/verdicts.js';
import { describeError } from './channel-errors.js';
import { RestFallbackPoller } from './rest-fallback-poller.js';
import { TickOrder } from './tick-order.js';

/** How often a stream asks the freshness judge about its symbols. */
const SUPERVISE_EVERY_MS = 250;
/** REST stand-in polls: one batch a second per stream (Upbit allows 10 ticker requests a second per IP). */
const FALLBACK_POLL_MS = 1_000;
/** After the WebSocket source ended the listener for good, a new one is tried after this, doubling. */
const RELISTEN_FIRST_MS = 30_000;
const RELISTEN_MAX_MS = 600_000;

export interface TickerSupervisorOptions {
  readonly clock: Clock;
  readonly symbols: readonly MarketCode[];
  readonly websocket: Pick<StreamingSource, 'listen'>;
  readonly rest: Pick<TickerSource, 'getTickers'>;
  readonly judge: FreshnessJudge;
  /** `strict`: the caller wants the WebSocket or an error, never a stand-in. */
  readonly strict: boolean;
  /** Start on REST (the router could not use the WebSocket), with this reason; undefined: start on the WebSocket. */
  readonly startOnRest: string | undefined;
  /** Every ticker either channel produced, before any filtering (inspection, cache, rhythm). */
  readonly seen: (tick: ChannelTicker) => void;
  /** A ticker to hand on, in order; `fallbackReason` is set when it stands in for the WebSocket. */
  readonly deliver: (tick: ChannelTicker, fallbackReason: string | undefined) => void;
  /** Ends the stream with this error (`strict`, or a source that broke its port). */
  readonly fail: (error: unknown) => void;
  /** Symbols moved between channels: the ones now on REST (empty: all back) and why the first left. */
  readonly onChannels: (onRest: readonly MarketCode[], reason: string, returned: boolean) => void;
  /** An error a channel reported that did not end the stream (counted by the caller). */
  readonly onError: (error: MarketDataError | unknown, channel: 'rest' | 'websocket') => void;
}

interface SymbolState {
  onRest: boolean;
  reason: string;
  /** `Clock.monotonic()` of the last move. */
  since: number;
}

/**
 * Keeps one ticker stream delivering (the stream supervisor). The WebSocket listener stays for the stream's whole
 * life, so the symbols stay on the wire and the stream can come back. A symbol moves to REST polling when the
 * WebSocket refuses (at once), or when the freshness judge says the stream cannot serve it (cannot deliver for
 * its grace, or silent beyond the symbol's limit); it moves back as soon as the WebSocket delivers it again (or
 * REST confirms the WebSocket's value is current). Tickers of both channels pass one order guard: nothing older, no
 * repeat. A `strict` stream ends with a typed error where the others would move to REST.
 */
export class TickerSupervisor {
  private readonly states = new Map<MarketCode, SymbolState>();
  private readonly order = new TickOrder();
  private readonly poller: RestFallbackPoller;
  private readonly startedAt: number;
  private checkTimer: TimerHandle | undefined;
  private relistenTimer: TimerHandle | undefined;
  private relistenMs = RELISTEN_FIRST_MS;
  private release: (() => void) | undefined;
  private unwatch: (() => void) | undefined;
  private stopped = false;

  constructor(private readonly options: TickerSupervisorOptions) {
    const { clock, rest, symbols, startOnRest } = options;
    this.startedAt = clock.monotonic();
    for (const symbol of symbols) {
      this.states.set(symbol, { onRest: startOnRest !== undefined, reason: startOnRest ?? '', since: this.startedAt });
    }
    this.poller = new RestFallbackPoller({
      clock,
      rest,
      intervalMs: FALLBACK_POLL_MS,
      onTick: (tick) => this.fromRest(tick),
      onError: (error) => options.onError(error, 'rest'),
    });
  }

  start(): void {
    const { judge, symbols, startOnRest } = this.options;
    this.unwatch = judge.watch('ticker', symbols);
    if (startOnRest !== undefined) {
      this.poller.add(symbols);
      this.options.onChannels(symbols, startOnRest, false);
    }
    this.listen();
    this.scheduleCheck();
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    const { clock } = this.options;
    clock.clearTimeout(this.checkTimer);
    clock.clearTimeout(this.relistenTimer);
    this.checkTimer = undefined;
    this.relistenTimer = undefined;
    this.poller.stop();
    this.release?.();
    this.release = undefined;
    this.unwatch?.();
    this.unwatch = undefined;
  }

  private listen(): void {
    this.relistenTimer = undefined;
    if (this.stopped) return;
    let ended = false;
    const handle = this.options.websocket.listen('ticker', this.options.symbols, {
      onRecord: (tick) => this.fromWebSocket(tick),
      onError: (error) => this.refused(error),
      onEnd: (reason) => {
        ended = true;
        this.release = undefined;
        this.ended(reason);
      },
    });
    if (ended || this.stopped) handle.release();
    else this.release = () => handle.release();
  }

  private fromWebSocket(tick: ChannelTicker): void {
    if (this.stopped) return;
    this.options.seen(tick);
    const state = this.states.get(tick.symbol);
    if (state === undefined) return;
    if (state.onRest) {
      // Delivering again: back on the WebSocket, provided the judge agrees it can serve the symbol now.
      if (this.options.judge.streamVerdict('ticker', tick.symbol, this.startedAt, false) !== undefined) return;
      this.moveToWebSocket([tick.symbol]);
    }
    if (this.order.admits(tick)) this.options.deliver(tick, undefined);
  }

  private fromRest(tick: ChannelTicker): void {
    if (this.stopped) return;
    this.options.seen(tick);
    const state = this.states.get(tick.symbol);
    if (state === undefined || !state.onRest) return;
    if (this.order.admits(tick)) this.options.deliver(tick, state.reason);
    // REST found no trade the WebSocket missed (the judge took it as confirmation): the WebSocket serves again.
    if (this.options.judge.streamVerdict('ticker', tick.symbol, this.startedAt, false) === undefined) {
      this.moveToWebSocket([tick.symbol]);
    }
  }

  private refused(error: MarketDataError): void {
    if (this.stopped) return;
    if (this.options.strict) {
      this.options.fail(error);
      return;
    }
    this.options.onError(error, 'websocket');
    this.moveToRest(this.onWebSocket(), describeError(error));
  }

  private ended(reason: MarketDataError | undefined): void {
    if (this.stopped) return;
    const error =
      reason ??
      new ChannelUnavailableError('The WebSocket source ended the stream', {
        channel: 'websocket',
        operation: 'watchTickers',
        reason: 'source closed',
      });
    if (this.options.strict) {
      this.options.fail(error);
      return;
    }
    this.moveToRest(this.onWebSocket(), describeError(error));
    // The source gave up on this set; a later listener is told at once if it still refuses it (no request).
    this.relistenTimer = this.options.clock.setTimeout(() => this.listen(), this.relistenMs);
    this.relistenMs = Math.min(RELISTEN_MAX_MS, this.relistenMs * 2);
  }

  private scheduleCheck(): void {
    this.checkTimer = this.options.clock.setTimeout(() => {
      this.checkTimer = undefined;
      if (this.stopped) return;
      this.check();
      if (!this.stopped) this.scheduleCheck();
    }, SUPERVISE_EVERY_MS);
  }

  /** Asks the judge about every symbol on the WebSocket: which can it no longer serve? */
  private check(): void {
    const { judge } = this.options;
    const leaving: MarketCode[] = [];
    let reason: string | undefined;
    for (const [symbol, state] of this.states) {
      if (state.onRest) continue;
      const verdict = judge.streamVerdict('ticker', symbol, this.startedAt);
      if (verdict !== undefined) {
        if (this.options.strict) {
          const detail = describeStale(verdict, 'last update');
          this.options.fail(
            new ChannelUnavailableError(`The WebSocket cannot serve ${symbol}: ${detail}`, {
              channel: 'websocket',
              operation: 'watchTickers',
              symbol,
              reason: detail,
            }),
          );
          return;
        }
        leaving.push(symbol);
        reason ??= `${symbol}: ${describeStale(verdict, 'last update')}`;
      }
    }
    if (leaving.length > 0 && reason !== undefined) this.moveToRest(leaving, reason);
  }

  private onWebSocket(): MarketCode[] {
    return [...this.states].filter(([, state]) => !state.onRest).map(([symbol]) => symbol);
  }

  private moveToRest(symbols: readonly MarketCode[], reason: string): void {
    if (symbols.length === 0) return;
    const now = this.options.clock.monotonic();
    for (const symbol of symbols) {
      const state = this.states.get(symbol);
      if (state === undefined) continue;
      state.onRest = true;
      state.reason = reason;
      state.since = now;
    }
    this.poller.add(symbols);
    this.options.onChannels(this.onRestNow(), reason, false);
  }

  private moveToWebSocket(symbols: readonly MarketCode[]): void {
    const now = this.options.clock.monotonic();
    let reason = '';
    for (const symbol of symbols) {
      const state = this.states.get(symbol);
      if (state === undefined) continue;
      reason = state.reason;
      state.onRest = false;
      state.since = now;
    }
    this.poller.remove(symbols);
    this.options.onChannels(this.onRestNow(), reason, true);
  }

  private onRestNow(): MarketCode[] {
    return [...this.states].filter(([, state]) => state.onRest).map(([symbol]) => symbol);
  }
}
