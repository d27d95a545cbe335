import { type Candle, type ChannelTicker, periodStart } from '@marketdata/domain';
import { DAY_MS, type IntervalSpec } from './candle-intervals.js';
import { type Aggregate, aggregate, combine } from './candle-merge.js';

// The current candle of the intervals Upbit streams none of (days and up), built without spending the candles
// group's REST budget on polling: the current day from the ticker stream's day fields (Upbit resets `opening_price`,
// `high_price`, `low_price`, `acc_trade_volume` and `acc_trade_price` at 00:00 UTC), and a week, month or year as
// the REST day candles of the period before today (fetched once per day) followed by today's.

/**
 * The day candle a ticker describes: the day of its last trade, with the day's open, extremes, last price, volume
 * and turnover. Undefined when the ticker cannot say: the day has no trade yet (volume 0: no trade, no candle), or
 * the ticker was produced on a later day than its last trade (what Upbit's accumulated fields hold then, the old
 * day's or the reset ones, is not on record).
 */
export function dayCandleFromTicker(tick: ChannelTicker): Candle | undefined {
  const day = Math.floor(tick.tradeTimestamp / DAY_MS);
  if (Math.floor(tick.exchangeTimestamp / DAY_MS) !== day || !(tick.dayVolume > 0)) return undefined;
  return {
    symbol: tick.symbol,
    interval: { unit: 'days', size: 1 },
    openTime: day * DAY_MS,
    open: tick.open,
    high: tick.high,
    low: tick.low,
    close: tick.price,
    volume: tick.dayVolume,
    turnover: tick.dayTurnover,
    prevClose: tick.prevClose,
    changePrice: tick.changePrice,
    changeRate: tick.changeRate,
    lastTradeTimestamp: tick.tradeTimestamp,
    exchangeTimestamp: tick.tradeTimestamp,
    receivedAt: tick.receivedAt,
    receivedAtMonotonic: tick.receivedAtMonotonic,
    source: tick.source,
    streamType: tick.streamType,
    latencyMs: tick.latencyMs,
  };
}

/** `yyyy-MM-dd` of a UTC day start, as Upbit writes `first_day_of_period`. */
function dayText(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/**
 * A week, month or year candle as the period's earlier days (REST day candles before today, aggregated once) and
 * today's day candle (from the ticker stream, as it changes). `base(periodStart, todayStart)` is asked again when
 * the day changes; until its answer the day that just ended is folded in from its last ticker state.
 */
export class PeriodCandleBuilder {
  private baseDay: number | undefined;
  private base: Aggregate | undefined;
  private lastDay: Candle | undefined;

  constructor(private readonly interval: IntervalSpec) {}

  /** The day the base covers up to (exclusive), or undefined before the first `setBase`. */
  baseCoversUntil(): number | undefined {
    return this.baseDay;
  }

  /** The REST day candles of the period before `todayStart`. */
  setBase(todayStart: number, days: readonly Candle[]): void {
    const periodBegin = periodStart(this.interval, todayStart);
    this.base = aggregate(days.filter((day) => day.openTime >= periodBegin && day.openTime < todayStart));
    this.baseDay = todayStart;
  }

  /** The period's candle from the last day candle seen, when the base covers its day. */
  current(): Candle | undefined {
    return this.lastDay === undefined ? undefined : this.update(this.lastDay);
  }

  /**
   * Today's day candle (from a ticker) as the period's candle; undefined while the base for today is not at hand.
   * A day change folds the previous day into the base (provisionally: the caller asks REST again).
   */
  update(today: Candle): Candle | undefined {
    const previous = this.lastDay;
    if (previous !== undefined && today.openTime > previous.openTime && this.baseDay === previous.openTime) {
      const periodBegin = periodStart(this.interval, today.openTime);
      const sameBase = periodStart(this.interval, previous.openTime) === periodBegin;
      const folded = aggregate([previous]);
      this.base = sameBase && folded !== undefined ? combine(this.base, folded) : undefined;
      this.baseDay = today.openTime;
    }
    this.lastDay = today;
    if (this.baseDay !== today.openTime) return undefined;
    const todayAggregate = aggregate([today]) as Aggregate;
    const whole = combine(this.base, todayAggregate);
    const openTime = periodStart(this.interval, today.openTime);
    return {
      symbol: today.symbol,
      interval: { unit: this.interval.unit, size: 1 },
      openTime,
      open: whole.open,
      high: whole.high,
      low: whole.low,
      close: whole.close,
      volume: whole.volume,
      turnover: whole.turnover,
      firstDayOfPeriod: dayText(openTime),
      lastTradeTimestamp: today.lastTradeTimestamp,
      exchangeTimestamp: today.exchangeTimestamp,
      receivedAt: today.receivedAt,
      receivedAtMonotonic: today.receivedAtMonotonic,
      source: today.source,
      streamType: today.streamType,
      latencyMs: today.latencyMs,
    };
  }
}
