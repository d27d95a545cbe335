import type { Candle } from '@marketdata/domain';
import { describe, expect, it } from 'vitest';
import { INTERVALS } from '../src/candles/candle-intervals.js';
import { dayCandleFromTicker, PeriodCandleBuilder } from '../src/candles/ticker-candles.js';
import { candleAt } from './support/fake-market-rest.js';
import { tickAt } from './support/fixture-tickers.js';

const DAY = 86_400_000;
const WED = Date.UTC(2026, 2, 11);
const clock = { now: () => WED + 50_000_000, monotonic: () => 1 };

function day(start: number, volume: number, changes: Partial<Candle> = {}): Candle {
  return candleAt('KRW-BTC', { unit: 'days', size: 1 }, start, clock, { volume, turnover: volume * 10, ...changes });
}

describe('dayCandleFromTicker', () => {
  it("is the day of the ticker's last trade, with the day's fields", () => {
    const tick = tickAt('KRW-BTC', 'websocket', clock, {
      exchangeTimestamp: WED + 3_600_000,
      tradeTimestamp: WED + 3_599_000,
      dayVolume: 12.5,
      dayTurnover: 1_250,
    });
    expect(dayCandleFromTicker(tick)).toMatchObject({
      openTime: WED,
      open: tick.open,
      high: tick.high,
      low: tick.low,
      close: tick.price,
      volume: 12.5,
      turnover: 1_250,
      prevClose: tick.prevClose,
      lastTradeTimestamp: WED + 3_599_000,
      source: 'websocket',
    });
  });

  it('says nothing for a day without a trade, or for a ticker produced after its last trade day ended', () => {
    const base = { exchangeTimestamp: WED + 10, tradeTimestamp: WED + 5 };
    expect(dayCandleFromTicker(tickAt('KRW-BTC', 'rest', clock, { ...base, dayVolume: 0 }))).toBeUndefined();
    expect(
      dayCandleFromTicker(tickAt('KRW-BTC', 'rest', clock, { exchangeTimestamp: WED + 10, tradeTimestamp: WED - 10 })),
    ).toBeUndefined();
  });
});

describe('PeriodCandleBuilder', () => {
  it('is the period days before today plus today, and folds a finished day in when the day changes', () => {
    const builder = new PeriodCandleBuilder(INTERVALS['1w']);
    expect(builder.update(day(WED, 1))).toBeUndefined();
    // Sunday belongs to the week before; Monday and Tuesday are this week's.
    builder.setBase(WED, [day(WED - 3 * DAY, 100), day(WED - 2 * DAY, 2, { high: 200_000_000 }), day(WED - DAY, 3)]);
    expect(builder.current()).toMatchObject({ openTime: WED - 2 * DAY, volume: 6, turnover: 60, high: 200_000_000 });
    expect(builder.update(day(WED, 1.5))).toMatchObject({ volume: 6.5, firstDayOfPeriod: '2026-03-09' });
    // Thursday: Wednesday's last state joins the base until REST says it exactly.
    expect(builder.update(day(WED + DAY, 0.25))).toMatchObject({ openTime: WED - 2 * DAY, volume: 6.75 });
    expect(builder.baseCoversUntil()).toBe(WED + DAY);
    builder.setBase(WED + DAY, [day(WED - 2 * DAY, 2), day(WED - DAY, 3), day(WED, 1.75)]);
    expect(builder.current()).toMatchObject({ volume: 7 });
    // Next Monday: a new week, today only.
    const monday = WED + 5 * DAY;
    expect(builder.update(day(WED + 2 * DAY, 1))).toBeDefined();
    builder.setBase(WED + 4 * DAY, []);
    expect(builder.update(day(WED + 4 * DAY, 1))).toMatchObject({ openTime: WED - 2 * DAY });
    expect(builder.update(day(monday, 0.5))).toMatchObject({
      openTime: monday,
      volume: 0.5,
      firstDayOfPeriod: '2026-03-16',
    });
  });
});
