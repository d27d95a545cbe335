import { CANDLE_STREAM_KINDS, type Candle, candleStreamInterval } from '@marketdata/domain';
import { describe, expect, it } from 'vitest';
import { type DecodedWebSocketFrame, decodeWebSocketFrames } from '../../src/ws/wire.js';

// No real candle frame (DEFAULT or SIMPLE) has been recorded anywhere public. These frames are written by hand from
// Upbit's documented field list and SIMPLE keys (API.md, the simulator README), in Upbit's number spelling; they
// test the decoder against the documentation, not against observed traffic.

const RECEIVED_AT = 1_800_000_000_000;
const RECEIVED_AT_MONOTONIC = 4_242.5;

const DEFAULT_FRAME = {
  type: 'candle.1m',
  code: 'KRW-BTC',
  candle_date_time_utc: '2026-03-11T14:40:00',
  candle_date_time_kst: '2026-03-11T23:40:00',
  opening_price: 103600000.0,
  high_price: 103600000.0,
  low_price: 103425000.0,
  trade_price: 103460000.0,
  candle_acc_trade_volume: 1.5933512,
  candle_acc_trade_price: 164899503.14206,
  timestamp: 1773240059132,
  stream_type: 'SNAPSHOT',
};

const SIMPLE_KEYS: Readonly<Record<string, string>> = {
  type: 'ty',
  code: 'cd',
  candle_date_time_utc: 'cdttmu',
  candle_date_time_kst: 'cdttmk',
  opening_price: 'op',
  high_price: 'hp',
  low_price: 'lp',
  trade_price: 'tp',
  candle_acc_trade_volume: 'catv',
  candle_acc_trade_price: 'catp',
  timestamp: 'tms',
  stream_type: 'st',
};

function simpleOf(frame: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(frame).map(([key, value]) => [SIMPLE_KEYS[key] ?? key, value]));
}

function single(frame: unknown): DecodedWebSocketFrame {
  const frames = decodeWebSocketFrames(JSON.stringify(frame), RECEIVED_AT, RECEIVED_AT_MONOTONIC);
  expect(frames).toHaveLength(1);
  return frames[0] as DecodedWebSocketFrame;
}

function candleOf(frame: DecodedWebSocketFrame): Candle {
  if (frame.kind === 'malformed' || frame.kind === 'status' || frame.kind === 'error') {
    throw new Error(`expected a candle, got ${JSON.stringify(frame)}`);
  }
  return frame.value as Candle;
}

const EXPECTED: Candle = {
  symbol: 'KRW-BTC' as Candle['symbol'],
  interval: { unit: 'minutes', size: 1 },
  openTime: Date.UTC(2026, 2, 11, 14, 40),
  open: 103600000,
  high: 103600000,
  low: 103425000,
  close: 103460000,
  volume: 1.5933512,
  turnover: 164899503.14206,
  lastTradeTimestamp: undefined,
  prevClose: undefined,
  changePrice: undefined,
  changeRate: undefined,
  firstDayOfPeriod: undefined,
  exchangeTimestamp: 1773240059132,
  receivedAt: RECEIVED_AT,
  receivedAtMonotonic: RECEIVED_AT_MONOTONIC,
  source: 'websocket',
  streamType: 'SNAPSHOT',
};

describe('candle frames (documented fields; no recorded frame)', () => {
  it('DEFAULT and SIMPLE decode to the same Candle, field by field', () => {
    const fromDefault = single(DEFAULT_FRAME);
    const fromSimple = single(simpleOf(DEFAULT_FRAME));
    expect(fromDefault.kind).toBe('candle.1m');
    expect(fromSimple.kind).toBe('candle.1m');
    expect(candleOf(fromDefault)).toStrictEqual(EXPECTED);
    expect(candleOf(fromSimple)).toStrictEqual(EXPECTED);
  });

  it.each(CANDLE_STREAM_KINDS)('%s carries its own interval', (kind) => {
    const frame = single({ ...DEFAULT_FRAME, type: kind });
    expect(frame.kind).toBe(kind);
    expect(candleOf(frame).interval).toEqual(candleStreamInterval(kind));
  });

  it('tolerates fields it does not use and a missing stream_type (a list frame of two candles too)', () => {
    const extra = { ...DEFAULT_FRAME, stream_type: undefined, unit: 1, something_new: { a: [1] } };
    expect(candleOf(single(extra))).toStrictEqual({ ...EXPECTED, streamType: undefined });
    const list = decodeWebSocketFrames(
      JSON.stringify([DEFAULT_FRAME, { ...DEFAULT_FRAME, type: 'candle.5m' }]),
      RECEIVED_AT,
      RECEIVED_AT_MONOTONIC,
    );
    expect(list.map((frame) => frame.kind)).toEqual(['candle.1m', 'candle.5m']);
  });

  it.each([
    ['a missing price', { ...DEFAULT_FRAME, trade_price: undefined }, '$.trade_price'],
    ['a negative volume', { ...DEFAULT_FRAME, candle_acc_trade_volume: -1 }, '$.candle_acc_trade_volume'],
    [
      'an impossible period',
      { ...DEFAULT_FRAME, candle_date_time_utc: '2026-02-30T00:00:00' },
      '$.candle_date_time_utc',
    ],
    ['a zoned period', { ...DEFAULT_FRAME, candle_date_time_utc: '2026-03-11T14:40:00Z' }, '$.candle_date_time_utc'],
    ['a lower-case code', { ...DEFAULT_FRAME, code: 'krw-btc' }, '$.code'],
    ['a text timestamp', { ...DEFAULT_FRAME, timestamp: 'now' }, '$.timestamp'],
  ])('refuses %s (DEFAULT) naming the field', (_label, frame, path) => {
    const decoded = single(frame);
    expect(decoded.kind).toBe('malformed');
    if (decoded.kind !== 'malformed') return;
    expect(decoded.frameKind).toBe('candle.1m');
    expect(decoded.error.name).toBe('DataValidationError');
    expect(decoded.error.path).toBe(path);
  });

  it('refuses a bad SIMPLE field naming its SIMPLE key', () => {
    const decoded = single(simpleOf({ ...DEFAULT_FRAME, high_price: 'high' }));
    expect(decoded.kind === 'malformed' && decoded.error.path).toBe('$.hp');
  });
});
