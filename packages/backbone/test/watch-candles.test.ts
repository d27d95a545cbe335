import { type Candle, type CandleInterval, isUpstreamError, UpstreamError } from '@marketdata/domain';
import { afterEach, describe, expect, it } from 'vitest';
import type { CandleUpdate } from '../src/index.js';
import { candleAt } from './support/fake-market-rest.js';
import { tickAt } from './support/fixture-tickers.js';
import { createMarketHarness, type MarketHarness } from './support/market-harness.js';

const MINUTE: CandleInterval = { unit: 'minutes', size: 1 };
const DAYS: CandleInterval = { unit: 'days', size: 1 };
const NOW = Date.UTC(2026, 2, 11, 14, 40, 30); // a Wednesday
const MINUTE_START = Date.UTC(2026, 2, 11, 14, 40);

let harness: MarketHarness | undefined;

afterEach(async () => {
  if (harness === undefined) return;
  await harness.md.close();
  expect(harness.clock.pendingTimerCount()).toBe(0);
  harness = undefined;
});

function start(withWebSocket = true): MarketHarness {
  harness = createMarketHarness({ now: NOW, withWebSocket, config: { webSocketTimeoutMs: 2_000 } });
  return harness;
}

/** A live candle frame of the 1-minute stream, received now. */
function live(h: MarketHarness, minutesFromStart: number, volume: number, changes: Partial<Candle> = {}): Candle {
  return candleAt('KRW-BTC', MINUTE, MINUTE_START + minutesFromStart * 60_000, h.clock, {
    volume,
    source: 'websocket',
    ...changes,
  });
}

async function take(stream: AsyncIterableIterator<CandleUpdate>, count: number): Promise<CandleUpdate[]> {
  const out: CandleUpdate[] = [];
  for (let i = 0; i < count; i++) {
    const next = await stream.next();
    if (next.done === true) break;
    out.push(next.value);
  }
  return out;
}

describe('watchCandles with fakes', () => {
  it('fetches the history once the stream delivered, joins both without a duplicate, then follows and closes', async () => {
    const h = start();
    const { md, rest, websocket, clock } = h;
    rest.setCandles(MINUTE, 'KRW-BTC', [
      candleAt('KRW-BTC', MINUTE, MINUTE_START - 120_000, clock),
      candleAt('KRW-BTC', MINUTE, MINUTE_START - 60_000, clock),
      candleAt('KRW-BTC', MINUTE, MINUTE_START, clock, { volume: 1 }),
    ]);
    const stream = md.watchCandles(['BTC/KRW'], '1m', { history: 3 });
    expect(websocket.openListeners('candle.1m')[0]?.symbols).toEqual(['KRW-BTC']);
    expect(rest.callsOf('getCandles')).toHaveLength(0);
    // The first frame (the subscription is on the wire now): the history is asked for.
    websocket.pushCandle('candle.1m', live(h, 0, 1.2));
    expect(rest.callsOf('getCandles').map((call) => call.query)).toEqual([
      { interval: MINUTE, count: 3, to: undefined },
    ]);
    const [history] = await take(stream, 1);
    expect(history?.type).toBe('history');
    if (history?.type !== 'history') throw new Error('no history');
    expect(history).toMatchObject({ symbol: 'KRW-BTC', interval: '1m', source: 'rest', quality: 'high' });
    expect(history.candles.map((c) => [c.openTime - MINUTE_START, c.volume, c.closed])).toEqual([
      [-120_000, 1.5, true],
      [-60_000, 1.5, true],
      [0, 1.2, false],
    ]);

    // The same candle again (last wins), then the next period: the previous one closes.
    websocket.pushCandle('candle.1m', live(h, 0, 1.2));
    clock.advance(40_000);
    websocket.pushCandle('candle.1m', live(h, 1, 0.3));
    const updates = await take(stream, 2);
    expect(updates.map((u) => u.type === 'candle' && [u.candle.openTime - MINUTE_START, u.candle.closed])).toEqual([
      [0, true],
      [60_000, false],
    ]);
    expect(updates[1]).toMatchObject({ source: 'websocket', quality: 'high' });
    // No trade any more: the open candle closes by the clock (its period plus the grace).
    await clock.advanceAsync(60_000 + 2_000);
    const [closed] = await take(stream, 1);
    expect(closed?.type === 'candle' && [closed.candle.openTime - MINUTE_START, closed.candle.closed]).toEqual([
      60_000,
      true,
    ]);
    await stream.return?.();
    expect(websocket.openListeners('candle.1m')).toHaveLength(0);
  });

  it('asks for the history anyway when the stream says nothing within webSocketTimeoutMs', async () => {
    const { md, rest, clock } = start();
    rest.setCandles(MINUTE, 'KRW-BTC', [candleAt('KRW-BTC', MINUTE, MINUTE_START - 60_000, clock)]);
    const stream = md.watchCandles(['KRW-BTC'], '1m', { history: 10 });
    await clock.advanceAsync(1_999);
    expect(rest.callsOf('getCandles')).toHaveLength(0);
    await clock.advanceAsync(1);
    const [history] = await take(stream, 1);
    expect(history?.type === 'history' && history.candles.map((c) => c.closed)).toEqual([true]);
    await stream.return?.();
  });

  it('starts from the live candles, graded low and saying why, when the history cannot be had', async () => {
    const h = start();
    const { md, rest, websocket } = h;
    rest.failMethod('getCandles', 1);
    const stream = md.watchCandles(['KRW-BTC'], '1m');
    websocket.pushCandle('candle.1m', live(h, 0, 1));
    const [history] = await take(stream, 1);
    expect(history).toMatchObject({ type: 'history', source: 'websocket', quality: 'low' });
    expect(history?.qualityNotes[0]).toMatch(/^history unavailable \(NetworkError: connection refused\)/);
    expect(history?.type === 'history' && history.candles).toHaveLength(1);
    websocket.pushCandle('candle.1m', live(h, 0, 2));
    const [update] = await take(stream, 1);
    expect(update).toMatchObject({ type: 'candle', quality: 'high', candle: { volume: 2 } });
    await stream.return?.();
  });

  it('backfills from REST the candles a closed WebSocket gap missed', async () => {
    const h = start();
    const { md, rest, websocket, clock } = h;
    const stream = md.watchCandles(['KRW-BTC'], '1m', { history: 1 });
    websocket.pushCandle('candle.1m', live(h, 0, 1));
    await take(stream, 1);
    const gapStart = clock.now();
    // Nothing arrives for a while: the open candle closes by the clock.
    await clock.advanceAsync(150_000);
    const [closedByClock] = await take(stream, 1);
    expect(closedByClock).toMatchObject({
      type: 'candle',
      candle: { openTime: MINUTE_START, volume: 1, closed: true },
    });
    // Two minutes passed without frames; REST knows them.
    rest.setCandles(MINUTE, 'KRW-BTC', [
      live(h, 0, 1.5, { source: 'rest' }),
      live(h, 1, 2, { source: 'rest' }),
      live(h, 2, 0.5, { source: 'rest' }),
    ]);
    websocket.gap({
      startedAt: gapStart,
      endedAt: clock.now(),
      startedAtMonotonic: 0,
      endedAtMonotonic: 1,
      reason: 'socket closed (1006)',
      symbols: ['KRW-BTC' as never],
    });
    const filled = await take(stream, 3);
    expect(
      filled.map((u) => u.type === 'candle' && [u.candle.openTime - MINUTE_START, u.candle.volume, u.source]),
    ).toEqual([
      [0, 1.5, 'rest'],
      [60_000, 2, 'rest'],
      [120_000, 0.5, 'rest'],
    ]);
    expect(rest.callsOf('getCandles').at(-1)?.query).toMatchObject({ count: 4 });
    await stream.return?.();
  });

  it('ends the stream with the upstream refusal', async () => {
    const h = start();
    const { md, websocket } = h;
    const stream = md.watchCandles(['KRW-BTC'], '1m');
    websocket.failListeners('candle.1m', new UpstreamError('INVALID_PARAM', { channel: 'websocket' }));
    await expect(stream.next()).rejects.toSatisfy(isUpstreamError);
  });

  it('polls REST for seconds and minutes without a WebSocket: a round a second, the two newest candles a symbol', async () => {
    const h = start(false);
    const { md, rest, clock } = h;
    const minute = (offset: number, volume: number): Candle =>
      candleAt('KRW-BTC', MINUTE, MINUTE_START + offset, clock, { volume });
    rest.setCandles(MINUTE, 'KRW-BTC', [minute(-60_000, 1.5), minute(0, 1)]);
    const stream = md.watchCandles(['KRW-BTC'], '1m', { history: 5 });
    const [history] = await take(stream, 1);
    expect(history?.type === 'history' && history.candles.map((c) => [c.openTime - MINUTE_START, c.volume])).toEqual([
      [-60_000, 1.5],
      [0, 1],
    ]);
    // The current candle trades again: the next round hands its new state on, graded as a REST value.
    rest.setCandles(MINUTE, 'KRW-BTC', [minute(-60_000, 1.5), minute(0, 2)]);
    await clock.advanceAsync(1_000);
    const [update] = await take(stream, 1);
    expect(update?.type === 'candle' && [update.candle.openTime - MINUTE_START, update.candle.volume]).toEqual([0, 2]);
    expect(update).toMatchObject({ source: 'rest' });
    const polls = (): number =>
      rest.callsOf('getCandles').filter((call) => (call.query as { count?: number }).count === 2).length;
    const before = polls();
    await clock.advanceAsync(10_000);
    expect(polls() - before).toBe(10);
    await stream.return?.();
    await clock.advanceAsync(5_000);
    expect(polls() - before).toBe(10);
    // Seconds too: no ChannelUnavailableError without a WebSocket any more.
    await md.watchCandles(['KRW-BTC'], '1s').return?.();
  });

  it('paces REST candle polling for many symbols to half of the candles group (5 requests a second)', async () => {
    const h = start(false);
    const { md, rest, clock } = h;
    const symbols = [
      'KRW-BTC',
      'KRW-ETH',
      'KRW-XRP',
      'KRW-SOL',
      'KRW-ADA',
      'KRW-DOGE',
      'KRW-TRX',
      'KRW-DOT',
      'KRW-LINK',
      'KRW-AVAX',
    ];
    const stream = md.watchCandles(symbols, '1s', { history: 0 });
    // Small steps: a round's ten sequential requests settle between them, as on a real event loop.
    for (let elapsed = 0; elapsed < 20_000; elapsed += 100) await clock.advanceAsync(100);
    const polls = rest.callsOf('getCandles').filter((call) => (call.query as { count?: number }).count === 2).length;
    // A round of 10 symbols every 2 s: 100 requests in 20 s, and the first round of the next, never more.
    expect(polls).toBeGreaterThanOrEqual(100);
    expect(polls).toBeLessThanOrEqual(110);
    await stream.return?.();
  });

  it('keeps every candle for a slow consumer, each at its latest state (conflated per candle, never lost)', async () => {
    const h = start();
    const { md, websocket, clock } = h;
    const stream = md.watchCandles(['KRW-BTC'], '1m', { history: 0 });
    websocket.pushCandle('candle.1m', live(h, 0, 1));
    await clock.advanceAsync(0);
    for (const [minute, volume] of [
      [0, 2],
      [0, 3],
      [1, 1],
      [1, 4],
    ] as const) {
      websocket.pushCandle('candle.1m', live(h, minute, volume));
    }
    const events = await take(stream, 3);
    expect(events[0]?.type).toBe('history');
    expect(
      events.slice(1).map((u) => u.type === 'candle' && [u.candle.openTime - MINUTE_START, u.candle.volume]),
    ).toEqual([
      [0, 3],
      [60_000, 4],
    ]);
    expect(events.slice(1).map((u) => u.type === 'candle' && u.candle.closed)).toEqual([true, false]);
    // Replaced before taken: 0 at volume 2 (by 3), 0 open (by 0 closed), 1 at volume 1 (by 4).
    expect(md.stats().streams.conflated).toBe(3);
    await stream.return?.();
  });

  it("builds today's day candle from the ticker stream, and a week from REST days before today plus today", async () => {
    const h = start();
    const { md, rest, websocket, clock } = h;
    const today = Date.UTC(2026, 2, 11);
    const day = (offset: number, volume: number, high: number) =>
      candleAt('KRW-BTC', DAYS, today + offset * 86_400_000, clock, { volume, high, turnover: volume * 100 });
    rest.setCandles(DAYS, 'KRW-BTC', [day(-3, 1, 200_000_000), day(-2, 2, 100_500_000), day(-1, 3, 100_400_000)]);
    const days = md.watchCandles(['KRW-BTC'], '1d', { history: 2 });
    const weeks = md.watchCandles(['KRW-BTC'], '1w', { history: 1 });
    const tick = (volume: number, price: number) =>
      tickAt('KRW-BTC', 'websocket', clock, {
        exchangeTimestamp: clock.now(),
        tradeTimestamp: clock.now() - 5,
        open: 100_000_000,
        high: 101_000_000,
        low: 99_000_000,
        price,
        dayVolume: volume,
        dayTurnover: volume * 100,
      });
    websocket.push(tick(5, 100_500_000));
    const [dayHistory] = await take(days, 1);
    expect(
      dayHistory?.type === 'history' && dayHistory.candles.map((c) => [c.openTime - today, c.volume, c.closed]),
    ).toEqual([
      [-172_800_000, 2, true],
      [-86_400_000, 3, true],
      [0, 5, false],
    ]);
    // The week: Monday and Tuesday from REST (Sunday belongs to the week before), today from the ticker.
    const weekStart = Date.UTC(2026, 2, 9);
    expect(rest.callsOf('getCandles').map((call) => call.query)).toContainEqual({
      interval: DAYS,
      count: 2,
      to: today,
    });
    const [weekHistory] = await take(weeks, 1);
    const week = weekHistory?.type === 'history' ? weekHistory.candles.at(-1) : undefined;
    expect(week).toMatchObject({
      openTime: weekStart,
      volume: 10,
      turnover: 1_000,
      high: 101_000_000,
      low: 99_000_000,
      close: 100_500_000,
      firstDayOfPeriod: '2026-03-09',
      closed: false,
    });
    clock.advance(1_000);
    websocket.push(tick(6, 100_600_000));
    const [dayUpdate] = await take(days, 1);
    const [weekUpdate] = await take(weeks, 1);
    expect(dayUpdate).toMatchObject({ type: 'candle', source: 'websocket', candle: { volume: 6, close: 100_600_000 } });
    expect(weekUpdate).toMatchObject({
      type: 'candle',
      candle: { openTime: weekStart, volume: 11, close: 100_600_000 },
    });
    await days.return?.();
    await weeks.return?.();
  });

  it('builds the day from REST ticker polling when there is no WebSocket', async () => {
    const { md, rest, clock } = start(false);
    const stream = md.watchCandles(['KRW-ETH'], '1d', { history: 1 });
    expect(rest.callCount('watchTickers')).toBe(1);
    rest.emit(
      tickAt('KRW-ETH', 'rest', clock, {
        exchangeTimestamp: clock.now(),
        tradeTimestamp: clock.now() - 1,
        dayVolume: 7,
      }),
    );
    const [history] = await take(stream, 1);
    expect(history?.type === 'history' && history.candles.at(-1)).toMatchObject({
      openTime: Date.UTC(2026, 2, 11),
      volume: 7,
      source: 'rest',
    });
    await stream.return?.();
  });
});
