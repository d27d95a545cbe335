import { isUnknownSymbolError, UnknownOptionError } from '@marketdata/domain';
import { afterEach, describe, expect, it } from 'vitest';
import { ohlcv, rebuildChart, type SimFacade, startSimFacade } from './support/sim-facade.js';

// Every facade method end to end: the real adapters against the simulator (Upbit's limits on), one fake clock.

let harness: SimFacade | undefined;

afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const BTC = 'KRW-BTC';
const ETH = 'KRW-ETH';
const MARKETS = [BTC, ETH, 'KRW-XRP', 'BTC-ETH'];

async function start(): Promise<SimFacade> {
  harness = await startSimFacade({ seed: 9, markets: MARKETS });
  await harness.pump(20_000, 500);
  return harness;
}

function refusedByUs(h: SimFacade): number {
  const { refusals } = h.sim.control.counters();
  return refusals.restLimit429 + refusals.restLimit418 + refusals.wsUpgradeLimit429 + refusals.wsUpgradeLimit418;
}

describe('the facade end to end on the simulator', () => {
  it('getCandles pages past 200 (paced, no duplicate at the seams) and equals the simulator candles', async () => {
    const h = await start();
    const { md, sim, settle, clock } = h;
    // A still market, so that the open candle is the same when compared (the clock moves while requests run).
    sim.control.freezeMarket(BTC, true);
    const list = await settle(md.getCandles('BTC/KRW', { interval: '1m', count: 450 }));
    expect(list).toMatchObject({ symbol: BTC, interval: '1m', source: 'rest', quality: 'high' });
    expect(list.candles).toHaveLength(450);
    const first = list.candles[0]?.openTime ?? 0;
    const truth = sim.control.candles(BTC, { unit: 'minutes', size: 1 }, first, clock.now() + 1);
    expect(list.candles.map(ohlcv)).toEqual(truth.map(ohlcv));
    expect(new Set(list.candles.map((candle) => candle.openTime)).size).toBe(450);
    expect(sim.control.counters().requestsByGroup.candles).toBe(3);

    // Days, weeks, months and years too, each from its own endpoint.
    for (const [interval, unit] of [
      ['1d', 'days'],
      ['1w', 'weeks'],
      ['1M', 'months'],
      ['1y', 'years'],
    ] as const) {
      const periods = await settle(md.getCandles(BTC, { interval, count: 3 }));
      const from = periods.candles[0]?.openTime ?? 0;
      expect(periods.candles.map(ohlcv)).toEqual(sim.control.candles(BTC, { unit }, from, clock.now() + 1).map(ohlcv));
    }
    expect(refusedByUs(h)).toBe(0);
  }, 60_000);

  it('getTrades: oldest first, a cursor for the page before, paging until Upbit has no more', async () => {
    const h = await start();
    const { md, sim, settle } = h;
    sim.control.freezeMarket(BTC, true);
    const recent = await settle(md.getTrades(BTC, { count: 300 }));
    expect(recent).toMatchObject({ symbol: BTC, source: 'rest' });
    expect(recent.trades).toHaveLength(300);
    const ids = recent.trades.map((trade) => BigInt(trade.sequentialId));
    expect(ids.every((id, i) => i === 0 || id > (ids[i - 1] ?? 0n))).toBe(true);
    expect(recent.trades.at(-1)?.sequentialId).toBe(sim.control.market(BTC)?.lastSequentialId);

    const before = await settle(md.getTrades(BTC, { count: 100, cursor: recent.nextCursor }));
    const beforeIds = before.trades.map((trade) => BigInt(trade.sequentialId));
    expect(beforeIds.at(-1)).toBeLessThan(ids[0] ?? 0n);
    // The simulator keeps at most 500 trades: asking 700 takes a full page of 500 and then asks for more (none
    // left), or ends at once with a short page. Either way no trade twice.
    sim.control.resetCounters();
    const all = await settle(md.getTrades(BTC, { count: 700 }));
    expect(all.trades.length).toBeGreaterThan(300);
    expect(all.trades.length).toBeLessThanOrEqual(500);
    expect(new Set(all.trades.map((trade) => trade.sequentialId)).size).toBe(all.trades.length);
    expect(all.trades.at(-1)?.sequentialId).toBe(recent.trades.at(-1)?.sequentialId);
    expect(sim.control.counters().requestsByGroup['crix-trades']).toBe(all.trades.length === 500 ? 2 : 1);
    expect(refusedByUs(h)).toBe(0);
  }, 60_000);

  it('getOrderBook(s): graded books, canonical symbols, per-symbol batch results; hot books from the WebSocket', async () => {
    const h = await start();
    const { md, sim, settle, clock } = h;
    const book = await settle(md.getOrderBook('ETH/KRW', { depth: 5 }));
    expect(book).toMatchObject({ symbol: ETH, source: 'rest', quality: 'high' });
    expect(book.levels).toHaveLength(5);
    expect(book.levels[0]?.bidPrice).toBeLessThan(book.levels[0]?.askPrice ?? 0);
    const batch = await settle(md.getOrderBooks(['KRW-XRP', 'KRW-NOPE', 'ETH/BTC']));
    expect(batch.map((result) => [result.symbol, result.ok])).toEqual([
      ['KRW-XRP', true],
      ['KRW-NOPE', false],
      ['BTC-ETH', true],
    ]);
    expect(batch[1]?.ok === false && batch[1].error).toSatisfy(isUnknownSymbolError);

    // Asked every 200 ms: hot, held on the WebSocket, then answered from the stream.
    const sources: string[] = [];
    for (let i = 0; i < 30 && sources.at(-1) !== 'websocket'; i++) {
      sources.push((await settle(md.getOrderBook(BTC))).source);
      await h.pump(200);
    }
    expect(sources.at(-1)).toBe('websocket');
    expect(
      sim.control.subscriptions().some((s) => s.type === 'orderbook' && s.codes.some((c) => c.startsWith(BTC))),
    ).toBe(true);
    void clock;
    expect(refusedByUs(h)).toBe(0);
  }, 60_000);

  it('getMarkets: the directory, with details graded; a warned or suspended market graded lower everywhere', async () => {
    const h = await start();
    const { md, sim, settle } = h;
    sim.control.setMarketStatus('KRW-XRP', { warning: true, cautions: { PRICE_FLUCTUATIONS: true } });
    const names = await settle(md.getMarkets());
    expect(names.markets.map((market) => market.symbol).sort()).toEqual([...MARKETS].sort());
    expect(Object.keys(names.markets[0] ?? {}).sort()).toEqual([
      'base',
      'englishName',
      'koreanName',
      'quote',
      'symbol',
    ]);
    const detailed = await settle(md.getMarkets({ details: true }));
    const xrp = detailed.markets.find((market) => market.symbol === 'KRW-XRP');
    expect(xrp).toMatchObject({ warning: true, cautions: ['PRICE_FLUCTUATIONS'], quality: 'medium' });
    expect(xrp?.qualityNotes).toEqual(['investment warning, caution PRICE_FLUCTUATIONS (market list)']);
    expect(detailed.markets.find((market) => market.symbol === BTC)).toMatchObject({ quality: 'high' });

    // The ticker of the warned market (REST carries no status fields: the directory's details say it).
    const ticker = await settle(md.getTicker('KRW-XRP', { source: 'rest' }));
    expect(ticker.quality).toBe('medium');
    expect(ticker.qualityNotes).toContain('investment warning, caution PRICE_FLUCTUATIONS (market list)');
    // A suspended market on the WebSocket ticker: its own fields say so.
    sim.control.setMarketStatus(ETH, { tradingSuspended: true });
    const stream = md.watchTickers([ETH]);
    let suspended: Awaited<ReturnType<typeof md.getTicker>> | undefined;
    for (let i = 0; i < 20 && suspended === undefined; i++) {
      const next = await settle(stream.next());
      if (!next.done && next.value.qualityNotes.includes('trading suspended (websocket ticker)'))
        suspended = next.value;
    }
    await stream.return?.();
    expect(suspended).toMatchObject({ symbol: ETH, source: 'websocket', quality: 'low' });
    const candles = await settle(md.getCandles('XRP/KRW', { interval: '1m', count: 2 }));
    expect(candles.quality).toBe('medium');
  }, 60_000);

  it("refuses the plan's per-call names; watchCandles builds the open day, week, month and year from the ticker stream", async () => {
    const h = await start();
    const { md, sim, clock } = h;
    await expect(md.getTicker(BTC, { source_hint: 'websocket' } as never)).rejects.toBeInstanceOf(UnknownOptionError);
    const charts = (['1d', '1w', '1M', '1y'] as const).map((interval) =>
      rebuildChart(md.watchCandles([BTC], interval, { history: 3 })),
    );
    await h.pump(8_000);
    sim.control.freezeMarket(BTC, true);
    await h.pump(3_000);
    for (const [index, unit] of (['days', 'weeks', 'months', 'years'] as const).entries()) {
      const chart = charts[index];
      await chart?.stop();
      const ours = chart?.chart(BTC) ?? [];
      const truth = sim.control.candles(BTC, { unit }, ours[0]?.openTime ?? 0, clock.now() + 1);
      if (unit === 'days') {
        expect(ours.map(ohlcv), unit).toEqual(truth.map(ohlcv));
      } else {
        // The open period is the exact decimal sum of its days. A day's turnover can have more significant digits
        // (up to 16 decimals) than a double holds, so the adapter's parsed days carry half an ulp each: the sum is
        // within a few ulps of Upbit's own. Every other field is exact.
        const withoutTurnover = ({ turnover: _, ...rest }: ReturnType<typeof ohlcv>) => rest;
        expect(ours.map(ohlcv).map(withoutTurnover), unit).toEqual(truth.map(ohlcv).map(withoutTurnover));
        for (const [i, candle] of ours.entries()) {
          const expected = truth[i]?.turnover ?? Number.NaN;
          expect(Math.abs(candle.turnover - expected) / expected, unit).toBeLessThan(32 * Number.EPSILON);
        }
      }
      expect(chart?.events.some((event) => event.type === 'candle' && event.source === 'websocket')).toBe(true);
      expect(ours.at(-1)?.closed).toBe(false);
    }
    expect(refusedByUs(h)).toBe(0);
  }, 60_000);
});
