import { afterEach, describe, expect, it } from 'vitest';
import { type ChartRebuilder, ohlcv, rebuildChart, type SimFacade, startSimFacade } from './support/sim-facade.js';

// watchCandles end to end on the real adapters against the simulator, on one fake clock: the chart a consumer
// rebuilds from the events alone (REST history joined to the live WebSocket candle stream) must equal the
// simulator's own candles for the same period, field by field: no duplicate, no hole at the seam.

let harness: SimFacade | undefined;
let chart: ChartRebuilder | undefined;

afterEach(async () => {
  await chart?.stop();
  await harness?.close();
  chart = undefined;
  harness = undefined;
});

const BTC = 'KRW-BTC';

describe('watchCandles continuity against the simulator', () => {
  it.each([
    ['1s', { unit: 'seconds', size: 1 }, 1_000, 40, 12_000],
    ['1m', { unit: 'minutes', size: 1 }, 60_000, 5, 150_000],
  ] as const)(
    '%s: REST history + live stream equal the simulator candles over the window, field by field',
    async (interval, unit, periodMs, history, runMs) => {
      harness = await startSimFacade({ seed: 21, markets: [BTC, 'KRW-ETH'] });
      const { md, sim, pump, clock } = harness;
      // The market trades a while first, so that the history is the simulator's own trades.
      await pump(Math.max(history * periodMs, 60_000), 1_000);
      chart = rebuildChart(md.watchCandles([BTC], interval, { history }));
      await pump(runMs);
      // Stop trading and let the last frame of the open candle arrive: then every candle is final on both sides.
      sim.control.freezeMarket(BTC, true);
      await pump(periodMs + 3_000);

      const ours = chart.chart(BTC);
      const first = ours[0];
      expect(first).toBeDefined();
      const from = first?.openTime ?? 0;
      const to = clock.now() + 1;
      const truth = sim.control.candles(BTC, unit, from, to);
      expect(ours.map(ohlcv)).toEqual(truth.map(ohlcv));
      // The window spans the history (before the stream) and the live candles (after it).
      const history_ = chart.events.find((event) => event.type === 'history');
      expect(history_?.type === 'history' && history_.candles.length).toBeGreaterThan(1);
      const live = chart.events.filter((event) => event.type === 'candle');
      expect(live.length).toBeGreaterThan(3);
      expect(live.some((event) => event.type === 'candle' && event.source === 'websocket')).toBe(true);
      expect(truth.length).toBeGreaterThan(history);
      // Every candle but the newest is closed once its period is over; the newest closes by the clock.
      expect(ours.every((candle) => candle.closed)).toBe(true);
      expect(harness.sim.control.counters().sent429 + harness.sim.control.counters().sent418).toBe(0);
    },
    60_000,
  );

  it('1m without a WebSocket: REST history + REST candle polling equal the simulator candles, field by field', async () => {
    harness = await startSimFacade({ seed: 22, markets: [BTC, 'KRW-ETH'] }, { useWebSocket: false });
    const { md, sim, pump, clock } = harness;
    await pump(60_000, 1_000);
    chart = rebuildChart(md.watchCandles([BTC], '1m', { history: 5 }));
    await pump(150_000);
    sim.control.freezeMarket(BTC, true);
    await pump(60_000 + 3_000);

    const ours = chart.chart(BTC);
    const from = ours[0]?.openTime ?? 0;
    const truth = sim.control.candles(BTC, { unit: 'minutes', size: 1 }, from, clock.now() + 1);
    expect(ours.map(ohlcv)).toEqual(truth.map(ohlcv));
    expect(truth.length).toBeGreaterThan(5);
    const live = chart.events.filter((event) => event.type === 'candle');
    expect(live.length).toBeGreaterThan(3);
    expect(live.every((event) => event.type === 'candle' && event.source === 'rest')).toBe(true);
    expect(ours.every((candle) => candle.closed)).toBe(true);
    expect(sim.control.counters().sent429 + sim.control.counters().sent418).toBe(0);
  }, 60_000);
});
