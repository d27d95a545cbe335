import type { StreamGap } from '@marketdata/domain';
import type { RecordedGap, TickAccount } from './protocol.js';

/**
 * Accounts for every simulator trade of the watched symbols by its per-symbol sequence (the last four digits of
 * `sequential_id` are the simulator's trade sequence modulo 10 000, see the simulator's TradeRecord).
 *
 * A trade that did not reach the consumer is explained, in this order, by:
 * 1. a malformed frame the adapter reported for it: a trade frame of that symbol received between the trades
 *    delivered before and after the missing ones, whose trade time (when still readable) lies between theirs;
 * 2. a recorded gap: a gap of the adapter's (`on('gap')`, the same records as `status().gaps`) naming the symbol
 *    and lying between the trade delivered before and the one delivered after the missing ones. Both ends of that
 *    test are times of our own clock (receive times and gap times), so no cross-process clock is involved;
 * 3. a malformed frame that lost its code, matched by sequence (modulo 10 000) and trade time. It comes last so
 *    that a stretch a gap explains never takes a frame that belongs to a quiet symbol's later loss;
 * 4. otherwise it is unexplained: lost without the consumer being told.
 */

const SEQ_MODULO = 10_000;
const MAX_EXAMPLES = 10;
const NO_TIME = Number.NEGATIVE_INFINITY;

/** What a malformed trade frame still tells about its trade. */
export interface MalformedTrade {
  readonly symbol: string | undefined;
  /** `sequential_id` modulo 10 000, when the frame still carries it whole. */
  readonly low4: number | undefined;
  /** `trade_timestamp`, when still readable. */
  readonly tradeTimestamp: number | undefined;
  readonly receivedAt: number;
}

interface PendingMalformed {
  readonly receivedAt: number;
  readonly low4: number | undefined;
  readonly tradeTimestamp: number | undefined;
  readonly symbol: string | undefined;
}

interface SymbolState {
  readonly code: string;
  /** The simulator's sequence before the consumer subscribed. */
  readonly base: number;
  first: number | undefined;
  last: number | undefined;
  lastReceivedAt: number;
  lastTradeTimestamp: number;
  delivered: number;
  pending: PendingMalformed[];
}

interface GapSpan {
  readonly startedAt: number;
  readonly noticedAt: number;
  endedAt: number | undefined;
  readonly reason: string;
  readonly symbols: ReadonlySet<string>;
}

const modulo = (value: number): number => ((value % SEQ_MODULO) + SEQ_MODULO) % SEQ_MODULO;

/** Whether a sequence ending in `low4` lies in `from..to` (a run shorter than 10 000). */
const inRun = (low4: number, from: number, to: number): boolean => modulo(low4 - from) <= to - from;

export class TickLedger {
  private readonly states = new Map<string, SymbolState>();
  private readonly gaps: GapSpan[] = [];
  /** Malformed trade frames that lost their code: matched by sequence. */
  private codeless: PendingMalformed[] = [];
  private inGap = 0;
  private malformedReported = 0;
  private unexplained = 0;
  private unmatchedMalformed = 0;
  private outOfOrder = 0;
  private readonly examples: string[] = [];
  private readonly unmatchedExamples: string[] = [];

  constructor(
    baseSeqs: Readonly<Record<string, number>>,
    private readonly startedAt: number,
  ) {
    for (const [code, base] of Object.entries(baseSeqs)) {
      this.states.set(code, {
        code,
        base,
        first: undefined,
        last: undefined,
        lastReceivedAt: startedAt,
        lastTradeTimestamp: NO_TIME,
        delivered: 0,
        pending: [],
      });
    }
  }

  /**
   * Both the opening and the closing record of a gap come here (the adapter emits `gap` for each); `noticedAt` is
   * when the adapter reported it (a dead socket's gap starts earlier, at its last frame).
   */
  recordGap(gap: StreamGap, noticedAt: number): void {
    const open = this.gaps.find((g) => g.endedAt === undefined && g.startedAt === gap.startedAt);
    if (open !== undefined) {
      open.endedAt = gap.endedAt;
      return;
    }
    this.gaps.push({
      startedAt: gap.startedAt,
      noticedAt,
      endedAt: gap.endedAt,
      reason: gap.reason,
      symbols: new Set(gap.symbols),
    });
  }

  recordMalformedTrade(frame: MalformedTrade): void {
    const pending: PendingMalformed = {
      receivedAt: frame.receivedAt,
      low4: frame.low4,
      tradeTimestamp: frame.tradeTimestamp,
      symbol: frame.symbol,
    };
    const state = frame.symbol === undefined ? undefined : this.states.get(frame.symbol);
    if (state !== undefined) state.pending.push(pending);
    else if (frame.low4 !== undefined) this.codeless.push(pending);
    else this.unmatched([pending]);
  }

  recordTrade(symbol: string, sequentialId: string, tradeTimestamp: number, receivedAt: number): void {
    const state = this.states.get(symbol);
    if (state === undefined) return;
    const low4 = Number(sequentialId.slice(-4));
    if (state.last === undefined) {
      // The first trade (the subscription's SNAPSHOT) is the latest one at subscription time: not before `base`.
      const full = state.base + modulo(low4 - state.base);
      state.first = full;
      this.deliver(state, full, tradeTimestamp, receivedAt);
      return;
    }
    const step = modulo(low4 - state.last);
    if (step === 0 || step > SEQ_MODULO / 2) {
      this.outOfOrder++;
      return;
    }
    const full = state.last + step;
    if (step > 1) {
      const times = { after: state.lastReceivedAt, before: receivedAt };
      const tradeTimes = { after: state.lastTradeTimestamp, before: tradeTimestamp };
      this.classify(state, state.last + 1, full - 1, times, tradeTimes);
    }
    this.deliver(state, full, tradeTimestamp, receivedAt);
  }

  /** The sequence the consumer has reached per symbol (undefined before its first trade). */
  lastSeq(symbol: string): number | undefined {
    return this.states.get(symbol)?.last;
  }

  codesWithTrades(): number {
    let count = 0;
    for (const state of this.states.values()) if (state.first !== undefined) count++;
    return count;
  }

  recordedGaps(): readonly RecordedGap[] {
    return this.gaps.map((g) => ({
      startedAt: g.startedAt,
      noticedAt: g.noticedAt,
      endedAt: g.endedAt,
      reason: g.reason,
    }));
  }

  /**
   * The simulator froze every market at `endSeqs`; trades up to there that never arrived are classified over the
   * stretch from the last delivery to `now`.
   */
  finish(endSeqs: Readonly<Record<string, number>>, now: number): TickAccount {
    let sent = 0;
    let delivered = 0;
    let symbols = 0;
    let withoutTrades = 0;
    const open = { after: NO_TIME, before: Number.POSITIVE_INFINITY };
    for (const state of this.states.values()) {
      const end = endSeqs[state.code];
      if (end === undefined) continue;
      symbols++;
      if (state.first === undefined || state.last === undefined) {
        withoutTrades++;
        sent += Math.max(0, end - state.base);
        if (end > state.base) this.classify(state, state.base + 1, end, { after: this.startedAt, before: now }, open);
      } else {
        sent += end - state.first + 1;
        delivered += state.delivered;
        if (state.last > end) {
          this.outOfOrder++;
          this.example(`${state.code}: delivered ${state.last}, beyond the frozen end ${end}`);
        } else if (end > state.last) {
          const times = { after: state.lastReceivedAt, before: now };
          this.classify(state, state.last + 1, end, times, { after: state.lastTradeTimestamp, before: open.before });
        }
      }
      this.unmatched(state.pending);
      state.pending = [];
    }
    this.unmatched(this.codeless);
    this.codeless = [];
    return {
      symbols,
      symbolsWithoutTrades: withoutTrades,
      sent,
      delivered,
      inGap: this.inGap,
      malformedReported: this.malformedReported,
      unexplained: this.unexplained,
      malformedTradeFramesUnmatched: this.unmatchedMalformed,
      outOfOrder: this.outOfOrder,
      unexplainedExamples: [...this.examples],
      unmatchedMalformedExamples: [...this.unmatchedExamples],
    };
  }

  private deliver(state: SymbolState, full: number, tradeTimestamp: number, receivedAt: number): void {
    state.last = full;
    state.lastReceivedAt = receivedAt;
    state.lastTradeTimestamp = tradeTimestamp;
    state.delivered++;
    // A malformed frame received before this delivery can only have been one of the trades before it.
    if (state.pending.some((p) => p.receivedAt < receivedAt)) {
      this.unmatched(state.pending.filter((p) => p.receivedAt < receivedAt));
      state.pending = state.pending.filter((p) => p.receivedAt >= receivedAt);
    }
  }

  private unmatched(frames: readonly PendingMalformed[]): void {
    this.unmatchedMalformed += frames.length;
    for (const p of frames) {
      if (this.unmatchedExamples.length >= MAX_EXAMPLES) return;
      this.unmatchedExamples.push(
        `${p.symbol ?? 'no code'} seq …${p.low4 ?? '?'} traded ${p.tradeTimestamp ?? '?'}, received ${p.receivedAt}`,
      );
    }
  }

  /**
   * Trades `from..to` of the symbol never arrived; `times` are the receive times of the deliveries around them,
   * `tradeTimes` those deliveries' trade times.
   */
  private classify(
    state: SymbolState,
    from: number,
    to: number,
    times: { readonly after: number; readonly before: number },
    tradeTimes: { readonly after: number; readonly before: number },
  ): void {
    const { after, before } = times;
    let remaining = to - from + 1;
    const take = (list: PendingMalformed[]): PendingMalformed[] =>
      list.filter((p) => {
        const matches =
          remaining > 0 &&
          p.receivedAt >= after &&
          p.receivedAt <= before &&
          (p.low4 === undefined || inRun(p.low4, from, to)) &&
          (p.tradeTimestamp === undefined ||
            (p.tradeTimestamp >= tradeTimes.after && p.tradeTimestamp <= tradeTimes.before));
        if (matches) {
          remaining--;
          this.malformedReported++;
        }
        return !matches;
      });
    state.pending = take(state.pending);
    if (remaining === 0) return;
    const gap = this.gaps.find(
      (g) => g.symbols.has(state.code) && g.startedAt <= before && (g.endedAt ?? Number.POSITIVE_INFINITY) >= after,
    );
    if (gap !== undefined) {
      this.inGap += remaining;
      return;
    }
    this.codeless = take(this.codeless);
    if (remaining === 0) return;
    this.unexplained += remaining;
    this.example(
      `${state.code} #${from}${to > from ? `..#${to}` : ''}: lost between deliveries at ${after} and ${before} ` +
        `(trade times ${tradeTimes.after}..${tradeTimes.before}), no gap or malformed frame reported ` +
        `(${state.pending.length} of its own and ${this.codeless.length} code-less malformed frames pending)`,
    );
  }

  private example(text: string): void {
    if (this.examples.length < MAX_EXAMPLES) this.examples.push(text);
  }
}
