import { afterEach, describe, expect, it, vi } from 'vitest';
import { closeAll, FIXTURE_TIME, type Harness, httpGet, objectOf, settle, startFakeSim, WsProbe } from './helpers.js';

let harness: Harness;
afterEach(closeAll);

type Frame = Record<string, unknown>;

const DEFAULT_KEYS = [
  'type',
  'code',
  'candle_date_time_utc',
  'candle_date_time_kst',
  'opening_price',
  'high_price',
  'low_price',
  'trade_price',
  'candle_acc_trade_volume',
  'candle_acc_trade_price',
  'timestamp',
  'stream_type',
];
const SIMPLE_KEYS = ['ty', 'cd', 'cdttmu', 'cdttmk', 'op', 'hp', 'lp', 'tp', 'catv', 'catp', 'tms', 'st'];

const startOf = (frame: Frame): number => Date.parse(`${String(frame.candle_date_time_utc ?? frame.cdttmu)}Z`);

async function connect(request: unknown[]): Promise<WsProbe> {
  const probe = await WsProbe.connect(harness.sim.wsUrl);
  probe.send(request);
  await vi.waitFor(() => expect(harness.sim.control.subscriptions().length).toBeGreaterThan(0));
  return probe;
}

/** Lets the frames the server wrote so far arrive (the server-side count is exact and synchronous). */
async function arrived(probe: WsProbe, code: string): Promise<void> {
  await probe.waitForCount(harness.sim.control.counters().framesPerCode[code] ?? 0);
}

describe('WebSocket candle streams', () => {
  it('DEFAULT: the documented fields, binary frames, SNAPSHOT (the REST candle) then REALTIME', async () => {
    harness = await startFakeSim();
    await harness.clock.advanceAsync(2_000);
    const probe = await connect([{ ticket: 't' }, { type: 'candle.1m', codes: ['KRW-BTC'] }]);
    await probe.waitForCount(1);
    const [snapshot] = probe.json().map(objectOf);
    const [rest] = JSON.parse(
      (await httpGet(`${harness.sim.restUrl}/v1/candles/minutes/1?market=KRW-BTC`)).text,
    ) as Frame[];
    expect(Object.keys(snapshot ?? {})).toEqual(DEFAULT_KEYS);
    expect(snapshot).toMatchObject({ type: 'candle.1m', code: 'KRW-BTC', stream_type: 'SNAPSHOT' });
    for (const key of DEFAULT_KEYS.slice(2, 11)) expect(snapshot?.[key], key).toEqual(rest?.[key]);
    await harness.clock.advanceAsync(3_000);
    await arrived(probe, 'KRW-BTC');
    const realtime = probe.json().slice(1).map(objectOf);
    expect(realtime.length).toBeGreaterThan(0);
    expect(realtime.every((f) => f.stream_type === 'REALTIME' && f.type === 'candle.1m')).toBe(true);
    expect(probe.messages.every((m) => m.binary)).toBe(true);
  });

  it('SIMPLE: the documented abbreviations; JSON_LIST wraps the object in a list', async () => {
    harness = await startFakeSim();
    const simple = await connect([{ ticket: 't' }, { type: 'candle.1s', codes: ['KRW-BTC'] }, { format: 'SIMPLE' }]);
    await harness.clock.advanceAsync(2_000);
    await arrived(simple, 'KRW-BTC');
    for (const frame of simple.json().map(objectOf)) expect(Object.keys(frame)).toEqual(SIMPLE_KEYS);
    expect(objectOf(simple.json()[0]).ty).toBe('candle.1s');
    await closeAll();
    harness = await startFakeSim();
    const list = await connect([{ ticket: 't' }, { type: 'candle.5m', codes: ['KRW-BTC'] }, { format: 'JSON_LIST' }]);
    await list.waitForCount(1);
    const parsed = list.json()[0] as unknown[];
    expect(parsed).toHaveLength(1);
    expect(Object.keys(objectOf(parsed[0]))).toEqual(DEFAULT_KEYS);
  });

  it('sent on whole seconds only, at most once per candle per second, and only when a trade changed it', async () => {
    harness = await startFakeSim({}, Math.floor(FIXTURE_TIME / 1000) * 1000 + 100);
    const probe = await connect([
      { ticket: 't' },
      { type: 'candle.1m', codes: ['KRW-XRP'] },
      { type: 'candle.1s', codes: ['KRW-XRP'] },
    ]);
    await probe.waitForCount(2);
    const framesNow = (): number => harness.sim.control.counters().framesPerCode['KRW-XRP'] ?? 0;
    let before = framesNow();
    let seen = probe.messages.length;
    let batches = 0;
    // Steps of 250 ms from x.100: the 1-second boundary is crossed in every fourth step only.
    for (let step = 1; step <= 40; step++) {
      await harness.clock.advanceAsync(250);
      const crossed = step % 4 === 0;
      const sent = framesNow() - before;
      before = framesNow();
      if (!crossed) {
        expect(sent, `step ${step}`).toBe(0);
        continue;
      }
      expect(sent, `step ${step}`).toBeGreaterThan(0);
      // One second's batch: no candle comes twice in it.
      await arrived(probe, 'KRW-XRP');
      const batch = probe.json().slice(seen).map(objectOf);
      seen = probe.messages.length;
      const keys = batch.map((f) => `${String(f.type)}:${String(f.candle_date_time_utc)}`);
      expect(new Set(keys).size, `step ${step}: ${keys.join(' ')}`).toBe(keys.length);
      batches++;
    }
    expect(batches).toBe(10);
    // No trade, no frame.
    harness.sim.control.freezeMarket('KRW-XRP', true);
    await harness.clock.advanceAsync(1_000);
    const frozenAt = framesNow();
    await harness.clock.advanceAsync(5_000);
    expect(framesNow()).toBe(frozenAt);
  });

  it('the last frame of each candle is the final candle (last wins), for 1m and 5m', async () => {
    harness = await startFakeSim();
    const probe = await connect([
      { ticket: 't' },
      { type: 'candle.1m', codes: ['KRW-ETH'] },
      { type: 'candle.5m', codes: ['KRW-ETH'] },
    ]);
    await harness.clock.advanceAsync(6 * 60_000);
    harness.sim.control.freezeMarket('KRW-ETH', true);
    await harness.clock.advanceAsync(2_000);
    await arrived(probe, 'KRW-ETH');
    const last = new Map<string, Frame>();
    for (const frame of probe.json().map(objectOf)) last.set(`${String(frame.type)}|${startOf(frame)}`, frame);
    let compared = 0;
    for (const [key, frame] of last) {
      const [type, start] = key.split('|');
      const size = type === 'candle.1m' ? 1 : 5;
      const [truth] = harness.sim.control.candles(
        'KRW-ETH',
        { unit: 'minutes', size },
        Number(start),
        Number(start) + 1,
      );
      expect(truth, key).toBeDefined();
      expect([frame.opening_price, frame.high_price, frame.low_price, frame.trade_price, frame.timestamp], key).toEqual(
        [truth?.open, truth?.high, truth?.low, truth?.close, truth?.lastTradeTimestamp],
      );
      expect(frame.candle_acc_trade_volume, key).toBe(truth?.volume);
      expect(frame.candle_acc_trade_price, key).toBe(truth?.turnover);
      compared++;
    }
    expect(compared).toBeGreaterThanOrEqual(7);
  });

  it('snapshot: the current period, or the previous one while the current has no trade', async () => {
    harness = await startFakeSim({}, Date.UTC(2026, 2, 11, 14, 40, 30));
    harness.sim.control.freezeMarket('KRW-BTC', true);
    await harness.clock.advanceAsync(40_000); // 14:41:10, no trade since 14:40:30
    const probe = await connect([{ ticket: 't' }, { type: 'candle.1m', codes: ['KRW-BTC'] }]);
    await probe.waitForCount(1);
    expect(objectOf(probe.json()[0]).candle_date_time_utc).toBe('2026-03-11T14:40:00');
    harness.sim.control.freezeMarket('KRW-BTC', false);
    await harness.clock.advanceAsync(2_000);
    await arrived(probe, 'KRW-BTC');
    const realtime = probe.json().slice(1).map(objectOf);
    expect(realtime.map((f) => f.candle_date_time_utc)).toContain('2026-03-11T14:41:00');
  });

  it('isOnlySnapshot and isOnlyRealtime; a new request replaces candle subscriptions too', async () => {
    harness = await startFakeSim();
    const snap = await connect([{ ticket: 't' }, { type: 'candle.1s', codes: ['KRW-BTC'], isOnlySnapshot: true }]);
    await snap.waitForCount(1);
    const real = await WsProbe.connect(harness.sim.wsUrl);
    real.send([{ ticket: 't' }, { type: 'candle.1s', codes: ['KRW-BTC'], is_only_realtime: true }]);
    await vi.waitFor(() => expect(harness.sim.control.subscriptions()).toHaveLength(2));
    await harness.clock.advanceAsync(3_000);
    await real.waitForCount((harness.sim.control.counters().framesPerCode['KRW-BTC'] ?? 0) - 1);
    await settle();
    expect(snap.messages).toHaveLength(1);
    expect(real.messages.length).toBeGreaterThan(0);
    expect(real.json().every((f) => objectOf(f).stream_type === 'REALTIME')).toBe(true);
    real.send([{ ticket: 't' }, { type: 'ticker', codes: ['KRW-ETH'] }]);
    await real.waitForCount(real.messages.length + 1);
    const mark = real.messages.length;
    await harness.clock.advanceAsync(3_000);
    await settle();
    expect(
      real
        .json()
        .slice(mark)
        .every((f) => objectOf(f).type === 'ticker'),
    ).toBe(true);
  });

  it('an undocumented candle type is refused like any unknown type (INVALID_PARAM, close 1000)', async () => {
    harness = await startFakeSim();
    for (const type of ['candle.2m', 'candle.1d', 'candle']) {
      const probe = await WsProbe.connect(harness.sim.wsUrl);
      probe.send([{ ticket: 't' }, { type, codes: ['KRW-BTC'] }]);
      expect(await probe.waitForClose()).toBe(1000);
      expect(objectOf(objectOf(probe.json()[0]).error).name).toBe('INVALID_PARAM');
    }
  });
});
