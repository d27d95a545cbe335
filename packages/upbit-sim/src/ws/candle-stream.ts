import { type Clock, periodStart, type TimerHandle } from '@marketdata/domain';
import type { CounterBook } from '../control/counters.js';
import { type CandleSpec, candleSpecOfStreamType } from '../model/candle-periods.js';
import type { MarketEngine } from '../model/market-engine.js';
import type { MarketState } from '../model/market-state.js';
import type { TradeRecord } from '../model/market-types.js';
import type { Connection } from './connection.js';
import { candleText, type FormatIndex } from './frame-texts.js';
import type { FrameWriter } from './frame-writer.js';
import type { CandleType } from './request-parser.js';
import { binaryFrameOf } from './ws-frame.js';

export interface CandleSubscriber {
  readonly conn: Connection;
  readonly format: FormatIndex;
}

interface Pending {
  readonly type: CandleType;
  readonly spec: CandleSpec;
  readonly market: MarketState;
  /** Starts of the periods that trades touched since the last flush. */
  readonly starts: Set<number>;
}

export interface CandleStreamDeps {
  readonly engine: MarketEngine;
  readonly clock: Clock;
  readonly writer: FrameWriter;
  readonly counters: CounterBook;
}

const FLUSH_MS = 1000;

/**
 * The candle streams (`candle.1s`, `candle.{1..240}m`). Documented: frames go out on a 1-second cycle, only for
 * candles a trade changed, and the same candle may come several times (the last one wins); the snapshot is the
 * current period's candle, or the previous period's while the current one has no trade. Chosen here (Upbit's
 * details are not on record): the cycle ticks on whole wall-clock seconds; each tick sends every period a trade
 * touched since the last tick, oldest first, so a period's final state is sent even when the next period started
 * within the same second; the snapshot is the newest candle with a trade (which may be older than the previous
 * period on a quiet market).
 */
export class CandleStream {
  private readonly subs = new Map<CandleType, Map<string, CandleSubscriber[]>>();
  private readonly pending = new Map<string, Pending>();
  private timer: TimerHandle | undefined;

  constructor(private readonly deps: CandleStreamDeps) {}

  /** Adds a subscriber; sends it the snapshot first when `snapshot`. */
  subscribe(type: CandleType, market: MarketState, sub: CandleSubscriber, snapshot: boolean, realtime: boolean): void {
    const spec = specOf(type);
    if (snapshot) {
      const now = this.deps.clock.now();
      market.roll(now);
      const [row] = this.deps.engine.history.candles(market, spec, undefined, 1, now);
      if (row !== undefined) {
        const text = candleText(type, market.info.code, row, sub.format, 'SNAPSHOT');
        this.deps.writer.begin();
        if (this.deps.writer.write(sub.conn, binaryFrameOf(text), 'data', text)) {
          this.deps.counters.frames(market.info.code, 1);
        }
      }
    }
    if (!realtime) return;
    let byCode = this.subs.get(type);
    if (byCode === undefined) {
      byCode = new Map();
      this.subs.set(type, byCode);
    }
    byCode.set(market.info.code, [...(byCode.get(market.info.code) ?? []), sub]);
  }

  unsubscribe(conn: Connection): void {
    for (const [type, byCode] of this.subs) {
      for (const [code, subs] of byCode) {
        if (!subs.some((sub) => sub.conn === conn)) continue;
        const rest = subs.filter((sub) => sub.conn !== conn);
        if (rest.length === 0) byCode.delete(code);
        else byCode.set(code, rest);
      }
      if (byCode.size === 0) this.subs.delete(type);
    }
  }

  /** Marks the trade's period dirty for every candle type subscribed on its code. */
  onTrade(market: MarketState, trade: TradeRecord): void {
    const code = market.info.code;
    for (const [type, byCode] of this.subs) {
      if (!byCode.has(code)) continue;
      const key = `${type}\u0000${code}`;
      let entry = this.pending.get(key);
      if (entry === undefined) {
        entry = { type, spec: specOf(type), market, starts: new Set() };
        this.pending.set(key, entry);
      }
      entry.starts.add(periodStart(entry.spec, trade.tradeTimestamp));
    }
    if (this.pending.size > 0) this.arm();
  }

  private arm(): void {
    if (this.timer !== undefined) return;
    const clock = this.deps.clock;
    const intoSecond = ((clock.now() % FLUSH_MS) + FLUSH_MS) % FLUSH_MS;
    this.timer = clock.setTimeout(this.flush, FLUSH_MS - intoSecond);
  }

  private readonly flush = (): void => {
    this.timer = undefined;
    const now = this.deps.clock.now();
    const writer = this.deps.writer;
    writer.begin();
    for (const entry of this.pending.values()) {
      const code = entry.market.info.code;
      const subs = this.subs.get(entry.type)?.get(code);
      if (subs === undefined) continue;
      entry.market.roll(now);
      for (const start of [...entry.starts].sort((a, b) => a - b)) {
        const row = this.deps.engine.history.rowAt(entry.market, entry.spec, start, now);
        if (row === undefined) continue;
        this.send(code, subs, (format) => candleText(entry.type, code, row, format, 'REALTIME'));
      }
    }
    this.pending.clear();
    writer.flush();
  };

  private send(code: string, subs: readonly CandleSubscriber[], textOf: (format: FormatIndex) => string): void {
    const cache: ({ frame: Buffer; text: string } | undefined)[] = [];
    let sent = 0;
    for (const sub of subs) {
      let entry = cache[sub.format];
      if (entry === undefined) {
        const text = textOf(sub.format);
        entry = { frame: binaryFrameOf(text), text };
        cache[sub.format] = entry;
      }
      if (this.deps.writer.write(sub.conn, entry.frame, 'data', entry.text)) sent++;
    }
    if (sent > 0) this.deps.counters.frames(code, sent);
  }

  /** Sends a recorded frame as is to the subscribers of its type and code (replay). */
  broadcastRaw(type: CandleType, code: string, text: string): void {
    const subs = this.subs.get(type)?.get(code);
    if (subs === undefined) return;
    this.deps.writer.begin();
    this.send(code, subs, () => text);
    this.deps.writer.flush();
  }

  close(): void {
    this.deps.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.pending.clear();
  }
}

function specOf(type: CandleType): CandleSpec {
  const spec = candleSpecOfStreamType(type);
  if (spec === undefined) throw new Error(`unreachable: ${type} is not a candle type`);
  return spec;
}
