import {
  type Clock,
  createDeadline,
  type MarketCode,
  type MarketDataError,
  type StreamGap,
  type StreamingSource,
  sleep,
  TimeoutError,
  type Trade,
  type TradeSource,
} from '@marketdata/domain';
import { RecoveryQueue } from './recovery-queue.js';
import { compareSequence, fetchTradesAfter } from './trade-pages.js';

/**
 * Recoveries running at once per stream: each is one REST request or more, and the group allows 10 a second per IP
 * (the REST source paces them); more would only wait in the source's queue, out of this component's order.
 */
const CONCURRENT_RECOVERIES = 10;
/** A running recovery gives up after this long (REST down, paused or blocked): what it did not find stays missing. */
const MAX_RECOVERY_MS = 10_000;
/** A recovery still waiting for its turn after this long is given up unstarted. */
const MAX_QUEUED_MS = 60_000;
/** Waits between failed REST attempts of one recovery, and while REST has not yet caught up with a lost trade. */
const RETRY_MS = 500;
/** A trade frame known lost but not found on REST yet: asked again this many times (REST may lag the stream). */
const LOST_FRAME_TRIES = 4;
/** Trades held per symbol while it recovers; more means its recovery is taking too long: it gives up. */
const MAX_HELD = 10_000;

export interface TradeBackfillOptions {
  readonly clock: Clock;
  readonly symbols: readonly MarketCode[];
  readonly websocket: Pick<StreamingSource, 'listen' | 'observe'>;
  /** REST `getTrades` with `cursor` paging; without it gaps stay reported, never filled. */
  readonly rest: Pick<TradeSource, 'getTrades'> | undefined;
  /** A trade to hand on: per symbol in order, never twice. */
  readonly deliver: (trade: Trade) => void;
  /** The stream ends with this error (the source gave up on it). */
  readonly fail: (error: MarketDataError) => void;
  /** The source closed: the stream ends quietly. */
  readonly end: () => void;
  /** A fact worth counting: a refusal the source retries, a failed REST attempt. */
  readonly onError: (error: unknown, channel: 'rest' | 'websocket') => void;
  /** One recovery finished: how many trades it found, and whether it gave up. */
  readonly onRecovered: (symbol: MarketCode, found: number, gaveUp: boolean) => void;
}

type Mode = 'live' | 'first-after-gap' | 'recovering';

interface SymbolTrades {
  mode: Mode;
  /** The last trade handed on. */
  lastSeq: bigint | undefined;
  /** While recovering: WebSocket trades held back, oldest first. */
  held: Trade[];
  /** After a gap: an arrival was reported and its record (if any) has not come yet. */
  arrivalPending: boolean;
  /** Another loss was reported while recovering: one more round before going live. */
  again: boolean;
  /** The recovery knows a trade was lost (an unusable frame): REST is asked until it shows one. */
  expectsLoss: boolean;
  /** Counts recoveries: a recovery abandoned meanwhile sees another number and stops. */
  generation: number;
}

/**
 * The one trade backfill component (one per `watchTrades` stream): the trades the WebSocket missed are fetched from
 * REST `/v1/trades/ticks` and delivered in order among the streamed ones, marked `backfilled`, each once (by
 * `sequential_id`).
 *
 * What it reacts to, all facts the streaming source reports:
 * - a gap (disconnect, dead socket): when it closes, each symbol's first frame decides. The subscription's SNAPSHOT
 *   repeats the latest trade; when it is the one already handed on (the source reports the arrival but delivers no
 *   record), nothing was missed and nothing is asked. When a newer trade arrives first, the trades between are
 *   fetched.
 * - an unusable trade frame of a known symbol: its trade is fetched.
 * While a symbol recovers, its streamed trades are held back and handed on merged with the recovered ones in
 * sequence order (duplicates dropped), so the consumer sees every symbol's trades in order. Recoveries run a few at
 * a time, the symbol holding the most trades back first (`RecoveryQueue`); every request goes through the REST source
 * and its one budget per host; pages go back by `cursor` to the last trade handed on. What cannot be had in time
 * (REST down, its turn not come within a minute, more than 10 pages) stays missing: the source reported the gap.
 *
 * Sequence ids are compared as numbers, as REST's own `cursor` paging does (Upbit documents them as unique; that
 * they grow with time within a market is what the cursor relies on).
 *
 * (About 340 lines: one symbol's state machine — live, first frame after a gap, recovering — and the REST round
 * that moves it on share the held trades and the last one handed on; split, they would pass that state around.)
 */
export class TradeBackfill {
  private readonly states = new Map<MarketCode, SymbolTrades>();
  private readonly lifetime = new AbortController();
  private readonly queue: RecoveryQueue;
  private release: (() => void) | undefined;
  private stopObserving: (() => void) | undefined;

  constructor(private readonly options: TradeBackfillOptions) {
    for (const symbol of options.symbols) {
      this.states.set(symbol, {
        mode: 'live',
        lastSeq: undefined,
        held: [],
        arrivalPending: false,
        again: false,
        expectsLoss: false,
        generation: 0,
      });
    }
    this.queue = new RecoveryQueue(
      CONCURRENT_RECOVERIES,
      (symbol) => this.states.get(symbol)?.held.length ?? 0,
      (symbol, queuedAt) => this.run(symbol, queuedAt),
      () => options.clock.monotonic(),
    );
  }

  start(): void {
    const { websocket, symbols } = this.options;
    this.stopObserving = websocket.observe({
      onGap: (gap) => this.onGap(gap),
      onArrival: (kind, symbol) => {
        if (kind === 'trade') this.onArrival(symbol);
      },
      onMalformed: (report) => {
        if (report.kind === 'trade' && report.symbol !== undefined) this.lost(report.symbol);
      },
    });
    let ended = false;
    const handle = websocket.listen('trade', symbols, {
      onRecord: (trade) => this.onRecord(trade),
      // A refusal the source retries (reconnects on its own); the gap it leaves is filled afterwards.
      onError: (error) => this.options.onError(error, 'websocket'),
      onEnd: (reason) => {
        ended = true;
        this.release = undefined;
        if (reason === undefined) this.options.end();
        else this.options.fail(reason);
      },
    });
    if (ended) handle.release();
    else this.release = () => handle.release();
  }

  stop(): void {
    this.lifetime.abort();
    this.stopObserving?.();
    this.stopObserving = undefined;
    this.release?.();
    this.release = undefined;
  }

  private onGap(gap: StreamGap): void {
    if (gap.endedAtMonotonic === undefined) return;
    const covered = gap.symbols.length === 0 ? [...this.states.keys()] : gap.symbols;
    for (const symbol of covered) {
      const state = this.states.get(symbol);
      if (state === undefined || state.lastSeq === undefined) continue;
      if (state.mode === 'live') state.mode = 'first-after-gap';
      else if (state.mode === 'recovering') state.again = true;
    }
  }

  private onArrival(symbol: MarketCode): void {
    const state = this.states.get(symbol);
    if (state?.mode !== 'first-after-gap') return;
    state.arrivalPending = true;
    // The source delivers the record (if it is not a repeat) synchronously after reporting its arrival.
    queueMicrotask(() => {
      if (!state.arrivalPending) return;
      state.arrivalPending = false;
      if (state.mode === 'first-after-gap') state.mode = 'live';
    });
  }

  private onRecord(trade: Trade): void {
    const state = this.states.get(trade.symbol);
    if (state === undefined || this.lifetime.signal.aborted) return;
    if (state.mode === 'recovering') {
      state.held.push(trade);
      if (state.held.length > MAX_HELD) this.giveUp(trade.symbol, state);
      return;
    }
    if (state.mode === 'first-after-gap') {
      state.arrivalPending = false;
      state.mode = 'live';
      if (state.lastSeq !== undefined && BigInt(trade.sequentialId) > state.lastSeq) {
        // A newer trade than the last handed on: the ones between may have been missed during the gap.
        this.recover(trade.symbol, state, [trade], false);
        return;
      }
    }
    this.handOn(state, trade);
  }

  /** An unusable frame carried one of this symbol's trades. */
  private lost(symbol: MarketCode): void {
    const state = this.states.get(symbol);
    if (state === undefined || state.lastSeq === undefined) return;
    if (state.mode === 'recovering') {
      state.again = true;
      state.expectsLoss = true;
      return;
    }
    this.recover(symbol, state, [], true);
  }

  private recover(symbol: MarketCode, state: SymbolTrades, held: Trade[], expectsLoss: boolean): void {
    state.mode = 'recovering';
    state.held = held;
    state.again = false;
    state.expectsLoss = expectsLoss;
    state.generation++;
    this.queue.add(symbol);
  }

  /** One symbol's recovery, once its turn has come: rounds until nothing more was reported meanwhile. */
  private async run(symbol: MarketCode, queuedAt: number): Promise<void> {
    const state = this.states.get(symbol);
    if (state === undefined || state.mode !== 'recovering' || this.lifetime.signal.aborted) return;
    const { clock } = this.options;
    const startedAt = clock.monotonic();
    if (startedAt - queuedAt > MAX_QUEUED_MS) {
      this.giveUp(symbol, state);
      return;
    }
    const generation = state.generation;
    let found = 0;
    let gaveUp = false;
    for (;;) {
      const outcome = await this.round(symbol, state, startedAt);
      if (this.lifetime.signal.aborted || state.generation !== generation) return;
      found += outcome.found;
      if (outcome.gaveUp) {
        gaveUp = true;
        break;
      }
      if (!state.again) break;
      state.again = false;
    }
    this.options.onRecovered(symbol, found, gaveUp);
    this.goLive(state);
  }

  /** Fetches what REST has after the last trade handed on and hands it on; retries until found or out of time. */
  private async round(
    symbol: MarketCode,
    state: SymbolTrades,
    startedAt: number,
  ): Promise<{ readonly found: number; readonly gaveUp: boolean }> {
    const { clock, rest } = this.options;
    if (rest === undefined) return { found: 0, gaveUp: true };
    for (let tries = 1; ; tries++) {
      const after = state.lastSeq;
      const leftMs = MAX_RECOVERY_MS - (clock.monotonic() - startedAt);
      if (after === undefined) return { found: 0, gaveUp: false };
      if (leftMs <= 0) return { found: 0, gaveUp: true };
      const deadline = createDeadline(
        clock,
        leftMs,
        () => new TimeoutError(`trade recovery out of time (${MAX_RECOVERY_MS} ms)`, { timeoutMs: MAX_RECOVERY_MS }),
        [this.lifetime.signal],
      );
      let missing: Trade[] | undefined;
      try {
        missing = await fetchTradesAfter(rest, symbol, after, deadline.signal);
      } catch (error) {
        if (!this.lifetime.signal.aborted) this.options.onError(error, 'rest');
      } finally {
        deadline.dispose();
      }
      if (this.lifetime.signal.aborted) return { found: 0, gaveUp: true };
      if (missing !== undefined) {
        const unseen = this.unseen(state, missing);
        // A lost frame's trade not on REST yet: nothing goes out (a held trade would overtake it), REST is asked again.
        const waitForLoss = state.expectsLoss && unseen.length === 0 && tries < LOST_FRAME_TRIES;
        if (!waitForLoss) {
          this.handOnMerged(state, unseen);
          state.expectsLoss = false;
          return { found: unseen.length, gaveUp: false };
        }
      }
      if (clock.monotonic() - startedAt + RETRY_MS > MAX_RECOVERY_MS) return { found: 0, gaveUp: true };
      try {
        await sleep(clock, RETRY_MS, this.lifetime.signal);
      } catch {
        return { found: 0, gaveUp: true };
      }
    }
  }

  /**
   * What REST found that the stream did not deliver (held back meanwhile). REST may already know trades the stream
   * has not delivered yet: those newer than the newest held one are left to the stream (it delivers them next; a
   * lost one is found by the next recovery), so a held trade is never overtaken.
   */
  private unseen(state: SymbolTrades, missing: readonly Trade[]): Trade[] {
    const held = new Set(state.held.map((trade) => trade.sequentialId));
    let newestHeld: bigint | undefined;
    for (const trade of state.held) {
      const seq = BigInt(trade.sequentialId);
      if (newestHeld === undefined || seq > newestHeld) newestHeld = seq;
    }
    return missing.filter(
      (trade) => !held.has(trade.sequentialId) && (newestHeld === undefined || BigInt(trade.sequentialId) < newestHeld),
    );
  }

  /** Hands on the found trades (marked `backfilled`) and the held ones, merged in sequence order. */
  private handOnMerged(state: SymbolTrades, unseen: readonly Trade[]): void {
    const merged = [...unseen.map((trade) => ({ ...trade, backfilled: true })), ...state.held].sort((a, b) =>
      compareSequence(a.sequentialId, b.sequentialId),
    );
    state.held = [];
    for (const trade of merged) this.handOn(state, trade);
  }

  /** The recovery is abandoned (too much held, or its turn never came): what is held goes out. */
  private giveUp(symbol: MarketCode, state: SymbolTrades): void {
    state.generation++;
    this.queue.drop(symbol);
    this.options.onRecovered(symbol, 0, true);
    this.goLive(state);
  }

  private goLive(state: SymbolTrades): void {
    state.mode = 'live';
    state.expectsLoss = false;
    state.again = false;
    const held = state.held;
    state.held = [];
    for (const trade of held) this.handOn(state, trade);
  }

  /** Hands a trade on unless it is not newer than the last one (a duplicate, or one a recovery already gave). */
  private handOn(state: SymbolTrades, trade: Trade): void {
    const seq = BigInt(trade.sequentialId);
    if (state.lastSeq !== undefined && seq <= state.lastSeq) return;
    state.lastSeq = seq;
    this.options.deliver(trade);
  }
}
