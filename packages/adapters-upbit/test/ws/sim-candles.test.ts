import {
  CANDLE_STREAM_KINDS,
  type Candle,
  type CandleStreamKind,
  candleStreamInterval,
  parseMarketCode,
  type Trade,
} from '@marketdata/domain';
import type { SimCandle } from '@marketdata/upbit-sim';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { captureProcessFailures } from '../support/process-failures.js';
import { until } from './support/harness.js';
import { HOT_MARKETS, type SimHarness, startSimHarness } from './support/sim-harness.js';

// Candle streams against the simulator, whose `control.candles(...)` is the truth its frames are cut from.

const XRP = parseMarketCode('KRW-XRP');
const BTC = parseMarketCode('KRW-BTC');
const MINUTE = 60_000;

let harness: SimHarness | undefined;
const failures = captureProcessFailures();
afterAll(() => failures.dispose());
afterEach(async () => {
  await harness?.close();
  harness = undefined;
  expect(failures.seen).toEqual([]);
});

async function start(...args: Parameters<typeof startSimHarness>): Promise<SimHarness> {
  harness = await startSimHarness({ markets: HOT_MARKETS, ...args[0] }, args[1]);
  return harness;
}

function framesWritten(h: SimHarness): number {
  return Object.values(h.sim.control.counters().framesPerConnection).reduce((sum, n) => sum + n, 0);
}

/** The values a streamed candle and the simulator's candle share. `timestamp` is the last trade's in the simulator. */
function streamed(candle: Candle) {
  const { openTime, open, high, low, close, volume, turnover, exchangeTimestamp, interval } = candle;
  return { openTime, open, high, low, close, volume, turnover, exchangeTimestamp, interval };
}

function simulated(candle: SimCandle) {
  const { openTime, open, high, low, close, volume, turnover, lastTradeTimestamp, unit, size } = candle;
  return {
    openTime,
    open,
    high,
    low,
    close,
    volume,
    turnover,
    exchangeTimestamp: lastTradeTimestamp,
    interval: { unit, size },
  };
}

function collect(h: SimHarness, kind: CandleStreamKind, symbol: string) {
  const records: Candle[] = [];
  const handle = h.source.listen(kind, [symbol], { onRecord: (candle) => records.push(candle) });
  return { records, handle };
}

describe('candle streams against the simulator', () => {
  it.each(['DEFAULT', 'SIMPLE'] as const)(
    '%s candle.1m: each period’s last frame equals the simulator candle, repeats arrive, the newest is latest',
    async (format) => {
      const h = await start({}, { format });
      const { records, handle } = collect(h, 'candle.1m', XRP);
      await until(() => records.length > 0);
      expect(records[0]?.streamType).toBe('SNAPSHOT');
      await h.pump(150_000, 250);
      h.sim.control.freezeMarket(XRP, true);
      await h.pump(3_000, 250); // the last changed candles go out on the next whole seconds
      await until(() => h.source.status().framesReceived === framesWritten(h));
      expect(h.source.status().malformedFrames).toBe(0);
      const lastOfPeriod = new Map<number, Candle>();
      for (const record of records) lastOfPeriod.set(record.openTime, record);
      const periods = [...lastOfPeriod.keys()].sort((a, b) => a - b);
      expect(periods.length).toBeGreaterThanOrEqual(3);
      expect(records.length).toBeGreaterThan(periods.length * 5); // the same period comes again and again
      const truth = h.sim.control.candles(XRP, { unit: 'minutes', size: 1 }, periods[0] ?? 0, h.clock.now() + MINUTE);
      expect(truth.map((candle) => candle.openTime)).toEqual(periods); // no period missed
      expect(periods.map((period) => streamed(lastOfPeriod.get(period) as Candle))).toEqual(truth.map(simulated));
      expect(h.source.latest('candle.1m', XRP)).toBe(lastOfPeriod.get(periods.at(-1) ?? 0));
      expect(records.slice(1).every((record) => record.streamType === 'REALTIME')).toBe(true);
      handle.release();
      await harness?.close();
      harness = undefined;
    },
  );

  it('candle.1s equals the simulator’s second candles', async () => {
    const h = await start();
    const { records } = collect(h, 'candle.1s', XRP);
    await until(() => records.length > 0);
    await h.pump(20_000, 250);
    h.sim.control.freezeMarket(XRP, true);
    await h.pump(2_000, 250);
    await until(() => h.source.status().framesReceived === framesWritten(h));
    const lastOfPeriod = new Map<number, Candle>();
    for (const record of records) lastOfPeriod.set(record.openTime, record);
    const periods = [...lastOfPeriod.keys()].sort((a, b) => a - b);
    expect(periods.length).toBeGreaterThan(5);
    const truth = h.sim.control.candles(XRP, { unit: 'seconds', size: 1 }, periods[0] ?? 0, h.clock.now() + 1_000);
    expect(truth.map((candle) => candle.openTime)).toEqual(periods);
    expect(periods.map((period) => streamed(lastOfPeriod.get(period) as Candle))).toEqual(truth.map(simulated));
  });

  it('a quiet market: the SNAPSHOT is the previous period’s candle; the first trade brings the new period', async () => {
    const h = await start();
    h.sim.control.freezeMarket(BTC, true);
    await h.pump(2 * MINUTE, 1_000); // the current minute has had no trade
    const minuteStart = Math.floor(h.clock.now() / MINUTE) * MINUTE;
    const { records } = collect(h, 'candle.1m', BTC);
    await until(() => records.length === 1);
    const [snapshot] = records;
    expect(snapshot?.streamType).toBe('SNAPSHOT');
    expect(snapshot?.openTime).toBeLessThan(minuteStart);
    const newest = h.sim.control
      .candles(BTC, { unit: 'minutes', size: 1 }, minuteStart - 10 * MINUTE, minuteStart)
      .at(-1);
    expect(snapshot === undefined ? undefined : streamed(snapshot)).toEqual(newest && simulated(newest));
    expect(h.source.latest('candle.1m', BTC)).toBe(snapshot);

    h.sim.control.freezeMarket(BTC, false);
    h.sim.control.jumpPrice(BTC, 1.01); // a trade now, in the current minute
    await h.pump(2_000, 250);
    await until(() => records.some((record) => record.openTime >= minuteStart));
    const current = records.find((record) => record.openTime >= minuteStart);
    expect(current?.streamType).toBe('REALTIME');
    expect(h.source.latest('candle.1m', BTC)?.openTime).toBeGreaterThanOrEqual(minuteStart);
  });

  it('every candle type can be listened to at once; each stream carries its own interval', async () => {
    const h = await start();
    const byKind = new Map<CandleStreamKind, Candle[]>();
    for (const kind of CANDLE_STREAM_KINDS) {
      const records: Candle[] = [];
      byKind.set(kind, records);
      h.source.listen(kind, [XRP], { onRecord: (candle) => records.push(candle) });
    }
    await until(() => [...byKind.values()].every((records) => records.length > 0));
    await until(() => h.sim.control.subscriptions().length === CANDLE_STREAM_KINDS.length);
    expect(new Set(h.sim.control.subscriptions().map((subscription) => subscription.type))).toEqual(
      new Set(CANDLE_STREAM_KINDS),
    );
    expect(h.source.status().requestsSent).toBe(1); // one complete request carried all nine
    for (const [kind, records] of byKind) {
      expect(
        records.every((candle) => candle.symbol === XRP),
        kind,
      ).toBe(true);
      expect(records[0]?.interval, kind).toEqual(candleStreamInterval(kind));
      expect(h.source.latest(kind, XRP)?.interval).toEqual(candleStreamInterval(kind));
    }
  });

  it('ticker and trade frames carry the new fields: market status as set, signed trade change below the close', async () => {
    const h = await start({}, { format: 'SIMPLE' });
    h.sim.control.setMarketStatus('KRW-ETH', {
      warning: true,
      marketState: 'ACTIVE',
      tradingSuspended: false,
      delistingDate: '2026-12-31',
    });
    const tickers = h.source.watchTickers(['KRW-ETH'])[Symbol.asyncIterator]();
    const first = await tickers.next();
    expect(first.value).toMatchObject({
      symbol: 'KRW-ETH',
      marketState: 'ACTIVE',
      tradingSuspended: false,
      marketWarning: 'CAUTION',
      delistingDate: '2026-12-31',
    });
    expect(first.value?.askBid).toMatch(/^(ASK|BID)$/);
    expect(first.value?.high52w).toBeGreaterThan(0);
    expect(first.value?.high52wDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(first.value?.accAskVolume).toBeGreaterThanOrEqual(0);
    await tickers.return?.();

    const trades: Trade[] = [];
    h.source.listen('trade', [BTC], { onRecord: (trade) => trades.push(trade) });
    await until(() => trades.length > 0);
    h.sim.control.jumpPrice(BTC, 0.8);
    await h.pump(500, 100);
    await until(() => trades.some((trade) => trade.price < trade.prevClose));
    const below = trades.find((trade) => trade.price < trade.prevClose) as Trade;
    expect(below.change).toBe('FALL');
    expect(below.changePrice).toBeLessThan(0);
    expect(below.changePrice).toBeCloseTo(below.price - below.prevClose, 6);
  });
});
