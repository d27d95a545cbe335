import { afterEach, describe, expect, it } from 'vitest';
import { parseReplayLines } from '../src/index.js';
import { closeAll, settle, startFakeSim, WsProbe } from './helpers.js';

afterEach(closeAll);

const T0 = Date.UTC(2026, 8, 23, 3, 39, 0);
const tradeFrame = (n: number): string =>
  `{"type":"trade","code":"KRW-BTC","timestamp":${T0 + n},"trade_price":116539000.00000000,"sequential_id":${17901347420000000 + n},"stream_type":"REALTIME"}`;

const recording = [
  JSON.stringify({ t: T0, frame: tradeFrame(0) }),
  JSON.stringify({ t: T0 + 1_000, frame: '{"status":"UP"}' }),
  '',
  JSON.stringify({ t: T0 + 2_000, frame: tradeFrame(2) }),
  JSON.stringify({
    t: T0 + 4_000,
    frame: `[${tradeFrame(4).replace('"type":"trade","code"', '"type":"trade","code"')}]`,
  }),
  JSON.stringify({ t: T0 + 4_000, frame: '{"ty":"ticker","cd":"KRW-ETH","tp":3025000.0,"st":"REALTIME"}' }),
].join('\n');

describe('record/replay', () => {
  it('parses the JSONL format and routes frames by type and code (DEFAULT, SIMPLE, lists)', () => {
    const frames = parseReplayLines(recording);
    expect(frames.map((f) => `${f.t - T0}:${f.type}:${f.code}`)).toEqual([
      '0:trade:KRW-BTC',
      '2000:trade:KRW-BTC',
      '4000:trade:KRW-BTC',
      '4000:ticker:KRW-ETH',
    ]);
  });

  it('rejects a line that is not {"t","frame"} with a DataValidationError', () => {
    expect(() => parseReplayLines('{"t":1}')).toThrow(expect.objectContaining({ code: 'DATA_VALIDATION' }));
    expect(() => parseReplayLines('nope')).toThrow(expect.objectContaining({ code: 'DATA_VALIDATION' }));
  });

  it('replays the raw frames to subscribers at the recorded pace divided by the speed', async () => {
    const { sim, clock } = await startFakeSim({ replay: { frames: parseReplayLines(recording), speed: 2 } });
    const probe = await WsProbe.connect(sim.wsUrl);
    probe.send([{ ticket: 't' }, { type: 'trade', codes: ['KRW-BTC'] }]);
    await settle(100);
    // No snapshot in replay mode: the first frame is the one recorded first, due at once.
    await clock.advanceAsync(1);
    await probe.waitForCount(1);
    expect(probe.messages[0]?.text).toBe(tradeFrame(0));
    expect(probe.messages[0]?.binary).toBe(true);
    // Speed 2: the frame recorded at +2 s plays at +1 s, the one at +4 s at +2 s; nothing from the model.
    await clock.advanceAsync(998);
    await settle();
    expect(probe.messages).toHaveLength(1);
    await clock.advanceAsync(1);
    await probe.waitForCount(2);
    expect(probe.messages[1]?.text).toBe(tradeFrame(2));
    await clock.advanceAsync(1_000);
    await probe.waitForCount(3);
    await settle();
    expect(probe.messages).toHaveLength(3);
    expect(probe.messages[2]?.text).toContain(`"sequential_id":${17901347420000004}`);
    expect(sim.control.counters().tradesSimulated).toBeGreaterThan(0);
  });

  it('replays recorded candle frames to candle subscribers (DEFAULT `type` or SIMPLE `ty`)', async () => {
    const candle =
      '{"type":"candle.1m","code":"KRW-BTC","candle_date_time_utc":"2026-09-23T03:39:00","trade_price":116539000.0,"stream_type":"REALTIME"}';
    const simpleCandle =
      '{"ty":"candle.1s","cd":"KRW-BTC","cdttmu":"2026-09-23T03:39:01","tp":116539000.0,"st":"REALTIME"}';
    const lines = [
      JSON.stringify({ t: T0, frame: candle }),
      JSON.stringify({ t: T0 + 10, frame: simpleCandle }),
      JSON.stringify({ t: T0 + 20, frame: '{"type":"candle.2m","code":"KRW-BTC"}' }),
    ].join('\n');
    const frames = parseReplayLines(lines);
    expect(frames.map((f) => `${f.type}:${f.code}`)).toEqual(['candle.1m:KRW-BTC', 'candle.1s:KRW-BTC']);
    const { sim, clock } = await startFakeSim({ replay: { frames } });
    const probe = await WsProbe.connect(sim.wsUrl);
    probe.send([{ ticket: 't' }, { type: 'candle.1m', codes: ['KRW-BTC'] }]);
    await settle(100);
    await clock.advanceAsync(50);
    await probe.waitForCount(1);
    await settle();
    expect(probe.messages.map((m) => m.text)).toEqual([candle]);
  });
});
