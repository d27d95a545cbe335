import {
  isDataValidationError,
  isRateLimitError,
  isUpstreamError,
  type MarketDataError,
  RateLimitError,
  type StreamKind,
  UpstreamError,
} from '@marketdata/domain';
import { describe, expect, it } from 'vitest';
import { candle, orderBook, ticker, trade } from '../src/testing/sample-records.js';
import { encodeJson } from '../src/wire/fields.js';
import { decodeDataMessage, encodeRecordMessage, encodeRefusalMessage } from '../src/wire/messages.js';
import { decodeReply, encodeReply } from '../src/wire/rpc.js';

const meta = { gateway: 'G1', seq: 7, publishedAt: 1_773_240_059_400, nowMonotonic: 5_010.75 };

function roundTrip<K extends StreamKind>(kind: K, record: Parameters<typeof encodeRecordMessage<K>>[1], at: number) {
  const message = decodeDataMessage(kind, encodeRecordMessage(kind, record, meta), at);
  if (message.type !== 'record') throw new Error(`expected a record, got ${message.type}`);
  return message;
}

function rejection(run: () => unknown): MarketDataError {
  try {
    run();
  } catch (error) {
    if (isDataValidationError(error)) return error;
    throw error;
  }
  throw new Error('expected a DataValidationError');
}

describe('wire records', () => {
  it('keep every field of a ticker exactly, and carry the age instead of the monotonic stamp', () => {
    const sent = ticker();
    const message = roundTrip('ticker', sent, 80_000);
    // Aged by what the gateway measured (nowMonotonic - receivedAtMonotonic = 10.5 ms), from the receiver's stamp.
    expect(message.record).toEqual({ ...sent, receivedAtMonotonic: 80_000 - 10.5 });
    expect(message.record.turnover24h).toBe(2 ** 53 + 2);
    expect(message.record.volume24h).toBe(0.1 + 0.2);
    expect(message).toMatchObject({ gateway: 'G1', seq: 7, publishedAt: 1_773_240_059_400 });
  });

  it('keep every optional field a channel carried, null delisting date included, and add none it did not', () => {
    const websocket = roundTrip('ticker', ticker(), 0).record;
    expect(websocket).toMatchObject({
      delistingDate: null,
      tradingSuspended: false,
      marketState: 'ACTIVE',
      askBid: 'BID',
    });
    const rest = ticker({
      askBid: undefined,
      accAskVolume: undefined,
      accBidVolume: undefined,
      marketState: undefined,
      tradingSuspended: undefined,
      marketWarning: undefined,
      delistingDate: undefined,
      source: 'rest',
      streamType: undefined,
      latencyMs: 12.25,
    });
    const received = roundTrip('ticker', rest, 100).record;
    expect(received).toEqual({ ...withoutUndefined(rest), receivedAtMonotonic: received.receivedAtMonotonic });
    for (const key of ['askBid', 'marketState', 'delistingDate', 'tradingSuspended', 'streamType']) {
      expect(key in received).toBe(false);
    }
  });

  it('carry a candle stream record (every candle kind carries a Candle) with its unit fields', () => {
    const sent = candle({ interval: { unit: 'seconds', size: 1 }, source: 'websocket', streamType: 'REALTIME' });
    const message = roundTrip('candle.1s', sent, 1_000);
    expect(message.record).toEqual({
      ...withoutUndefined(sent),
      receivedAtMonotonic: 1_000 - (meta.nowMonotonic - 3_000),
    });
    const day = candle({
      interval: { unit: 'days', size: 1 },
      prevClose: 115_000_000,
      changePrice: -1_500,
      changeRate: -0.0000130434,
      firstDayOfPeriod: undefined,
    });
    const reply = decodeReply('getCandles', encodeReply('getCandles', { ok: true, value: [day] }, 3_000), 3_000);
    if (!reply.ok) throw reply.error;
    expect(reply.value[0]).toEqual(withoutUndefined(day));
  });

  it('keep a trade sequential id beyond 2^53 as its exact decimal text, best quotes included', () => {
    const sent = trade({ sequentialId: '99999999999999999999', receivedAtMonotonic: 5_000 });
    const message = roundTrip('trade', sent, 10_000);
    expect(message.record.sequentialId).toBe('99999999999999999999');
    expect(message.record).toEqual({ ...sent, receivedAtMonotonic: 10_000 - 10.75 });
  });

  it('keep an order book level by level and leave out what the record did not have', () => {
    const sent = orderBook({ streamType: undefined });
    const message = roundTrip('orderbook', sent, 9_500);
    expect(message.record.levels).toEqual(sent.levels);
    expect('streamType' in message.record).toBe(false);
  });

  it('never make a record younger than it was: a future receive stamp travels as age 0', () => {
    const sent = ticker({ receivedAtMonotonic: meta.nowMonotonic + 50 });
    expect(roundTrip('ticker', sent, 1_000).record.receivedAtMonotonic).toBe(1_000);
  });

  it('carry candles and REST provenance through request/reply', () => {
    const sent = [candle(), candle({ interval: { unit: 'days', size: 1 }, latencyMs: undefined })];
    const bytes = encodeReply('getCandles', { ok: true, value: sent }, 3_100);
    const reply = decodeReply('getCandles', bytes, 50_000);
    if (!reply.ok) throw reply.error;
    expect(reply.value).toEqual([
      { ...sent[0], receivedAtMonotonic: 50_000 - 100 },
      { ...withoutLatency(sent[1]), receivedAtMonotonic: 50_000 - 100 },
    ]);
  });

  it('carry an upstream refusal and an end on the data subject, the error class kept', () => {
    const limited = new RateLimitError('Too many API requests.', { retryAfterMs: 1_000, channel: 'websocket' });
    const refused = decodeDataMessage('ticker', encodeRefusalMessage('refused', 'G1', limited), 0);
    if (refused.type !== 'refused') throw new Error(`expected refused, got ${refused.type}`);
    expect(isRateLimitError(refused.error) && refused.error.retryAfterMs).toBe(1_000);
    const upstream = new UpstreamError('Upbit refused the subscription', {
      upstreamName: 'INVALID_PARAM',
      upstreamMessage: 'invalid parameter',
    });
    const ended = decodeDataMessage('trade', encodeRefusalMessage('ended', 'G1', upstream), 0);
    expect(ended.type === 'ended' && isUpstreamError(ended.error) && ended.error.upstreamName).toBe('INVALID_PARAM');
    const closed = decodeDataMessage('trade', encodeRefusalMessage('ended', 'G1', undefined), 0);
    expect(closed).toEqual({ type: 'ended', gateway: 'G1', error: undefined });
  });

  it('refuse a refusal without its error', () => {
    const bytes = encodeRefusalMessage('refused', 'G1', undefined);
    expect((rejection(() => decodeDataMessage('ticker', bytes, 0)) as MarketDataError & { path: string }).path).toBe(
      '$.error',
    );
  });
});

function withoutUndefined<T extends object>(record: T): T {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as T;
}

function withoutLatency<T extends { latencyMs?: number | undefined }>(record: T | undefined): Omit<T, 'latencyMs'> {
  if (record === undefined) throw new Error('missing record');
  const { latencyMs: _latency, ...rest } = record;
  return rest;
}

describe('wire records refuse what they cannot trust', () => {
  const valid = JSON.parse(new TextDecoder().decode(encodeRecordMessage('ticker', ticker(), meta))) as {
    record: Record<string, unknown>;
  } & Record<string, unknown>;

  const mutate = (change: (copy: typeof valid) => void): Uint8Array => {
    const copy = structuredClone(valid);
    change(copy);
    return encodeJson(copy);
  };

  it.each([
    ['a missing price', (m: typeof valid) => delete m.record.price, '$.record.price'],
    ['a price as text', (m: typeof valid) => (m.record.price = '116539000'), '$.record.price'],
    ['a lower-case market', (m: typeof valid) => (m.record.symbol = 'krw-btc'), '$.record.symbol'],
    ['a negative age', (m: typeof valid) => (m.record.ageMs = -1), '$.record.ageMs'],
    ['an unknown change', (m: typeof valid) => (m.record.change = 'UP'), '$.record.change'],
    ['another wire version', (m: typeof valid) => (m.v = 2), '$.v'],
    ['an unknown message type', (m: typeof valid) => (m.type = 'snapshot'), '$.type'],
  ])('%s: DataValidationError naming the field', (_what, change, path) => {
    const error = rejection(() => decodeDataMessage('ticker', mutate(change), 0));
    expect((error as MarketDataError & { path: string }).path).toBe(path);
  });

  it('a message that is not UTF-8 JSON, or not an object', () => {
    expect(rejection(() => decodeDataMessage('ticker', new Uint8Array([0xff, 0xfe, 0x7b]), 0)).message).toMatch(
      /not UTF-8 JSON/,
    );
    expect(rejection(() => decodeDataMessage('ticker', encodeJson([1, 2]), 0)).message).toMatch(/must be an object/);
    expect(rejection(() => decodeDataMessage('ticker', encodeJson(null), 0)).message).toMatch(/must be an object/);
  });

  it('a trade whose sequential id is not decimal digits', () => {
    const bytes = encodeRecordMessage('trade', trade({ sequentialId: '1e21' }), meta);
    expect((rejection(() => decodeDataMessage('trade', bytes, 0)) as MarketDataError & { path: string }).path).toBe(
      '$.record.sequentialId',
    );
  });
});
