import type { ChannelTicker, OrderBook, Trade } from '@marketdata/domain';
import { fixtureLines, fixtureNames, fixtureText, pythonReprToJson } from '@marketdata/fixtures';
import { describe, expect, it } from 'vitest';
import { type DecodedWebSocketFrame, decodeWebSocketFrames } from '../../src/ws/wire.js';

// Long by nature (over 300 lines): one case per recorded Upbit frame in the fixtures, each checked field by field.
// Candle frames (none recorded) are in decode-candles.test.ts.

const RECEIVED_AT = 1_800_000_000_000;
const RECEIVED_AT_MONOTONIC = 123_456.789;

function single(text: string): DecodedWebSocketFrame {
  const frames = decodeWebSocketFrames(text, RECEIVED_AT, RECEIVED_AT_MONOTONIC);
  expect(frames).toHaveLength(1);
  return frames[0] as DecodedWebSocketFrame;
}

interface ValueByKind {
  ticker: ChannelTicker;
  trade: Trade;
  orderbook: OrderBook;
}

function dataOf<K extends keyof ValueByKind>(frame: DecodedWebSocketFrame, kind: K): ValueByKind[K] {
  if (frame.kind !== kind) throw new Error(`expected ${kind}, got ${frame.kind}: ${JSON.stringify(frame)}`);
  return (frame as unknown as { value: ValueByKind[K] }).value;
}

describe('ticker frames', () => {
  it('DEFAULT (2025 docs capture) maps every used field, WebSocket-only ones included', () => {
    const ticker = dataOf(single(fixtureText('ws-ticker-default.json')), 'ticker');
    expect(ticker).toEqual({
      symbol: 'KRW-BTC',
      price: 158201000,
      open: 158219000,
      high: 159278000,
      low: 157588000,
      prevClose: 158200000,
      change: 'RISE',
      changePrice: 1000,
      changeRate: 0.0000063211,
      lastTradeVolume: 0.00006321,
      dayVolume: 600.02894052,
      dayTurnover: 95078733694.3792,
      volume24h: 2083.82485091,
      turnover24h: Number('331187169240.21526'), // as written in the frame
      tradeTimestamp: 1758875205145,
      high52w: 169900000,
      high52wDate: '2025-08-14',
      low52w: 80635000,
      low52wDate: '2024-10-10',
      askBid: 'BID',
      accAskVolume: 341.67985038,
      accBidVolume: 258.34909014,
      marketState: 'ACTIVE',
      tradingSuspended: false,
      marketWarning: 'NONE',
      delistingDate: null,
      exchangeTimestamp: 1758875205276,
      receivedAt: RECEIVED_AT,
      receivedAtMonotonic: RECEIVED_AT_MONOTONIC,
      source: 'websocket',
      streamType: 'SNAPSHOT',
    });
  });

  it('DEFAULT (2021 capture with deprecated fields) keeps the signed change', () => {
    const ticker = dataOf(single(fixtureText('ws-ticker-default-2021.json')), 'ticker');
    expect(ticker).toMatchObject({
      symbol: 'KRW-BTC',
      price: 46810000,
      low: 43957000,
      change: 'FALL',
      changePrice: -2302000,
      changeRate: -0.0468724548,
      dayTurnover: Number('660440684062.676560000'),
      turnover24h: Number('1016673124418.02839000'),
      volume24h: 21625.36474921,
      tradeTimestamp: 1621697466000,
      exchangeTimestamp: 1621697466678,
      streamType: 'REALTIME',
      high52w: 81994000,
      high52wDate: '2021-04-14',
      low52w: 10507000,
      low52wDate: '2020-05-25',
      askBid: 'BID',
      accAskVolume: 7813.15032634,
      accBidVolume: 6350.49812969,
      marketState: 'ACTIVE',
      tradingSuspended: false,
      marketWarning: 'NONE',
      delistingDate: null,
    });
  });

  it('SIMPLE (2019 live Python-repr dump): both frames, including EVEN with zero written as 0', () => {
    const lines = fixtureLines('ws-ticker-simple-2019-pyrepr.txt');
    expect(lines).toHaveLength(2);
    const [bch, xrp] = lines.map((line) => dataOf(single(pythonReprToJson(line)), 'ticker'));
    expect(bch).toEqual({
      symbol: 'KRW-BCH',
      price: 510500,
      open: 509100,
      high: 524800,
      low: 508100,
      prevClose: 509800,
      change: 'RISE',
      changePrice: 700,
      changeRate: 0.0013730875,
      lastTradeVolume: 0.14288839,
      dayVolume: 40406.4139489,
      dayTurnover: 20833988691.30604,
      volume24h: 47844.02311627,
      turnover24h: 24638571107.618538,
      tradeTimestamp: 1560787997000,
      high52w: 1040000,
      high52wDate: '2018-06-19',
      low52w: 83620,
      low52wDate: '2018-12-15',
      askBid: 'BID',
      accAskVolume: 23652.72329474,
      accBidVolume: 16753.69065416,
      marketState: 'ACTIVE',
      tradingSuspended: false,
      marketWarning: 'NONE',
      delistingDate: null,
      exchangeTimestamp: 1560787997948,
      receivedAt: RECEIVED_AT,
      receivedAtMonotonic: RECEIVED_AT_MONOTONIC,
      source: 'websocket',
      streamType: 'REALTIME',
    });
    expect(xrp).toMatchObject({
      symbol: 'KRW-XRP',
      price: 511,
      change: 'EVEN',
      changePrice: 0,
      changeRate: 0,
      askBid: 'ASK',
      accAskVolume: 37080876.57326398,
      accBidVolume: 36669893.91459026,
      high52w: 885,
      high52wDate: '2018-09-21',
      low52w: 292,
      low52wDate: '2018-09-12',
      delistingDate: null,
    });
  });

  it('SIMPLE docs example is abridged (no tms, atv24h, atp24h): refused with the missing SIMPLE keys named', () => {
    const frame = single(fixtureText('ws-ticker-simple.json'));
    expect(frame.kind).toBe('malformed');
    if (frame.kind !== 'malformed') return;
    expect(frame.frameKind).toBe('ticker');
    expect(frame.error.name).toBe('DataValidationError');
    expect(frame.error.message).toContain('$.atv24h');
    expect(frame.error.message).toContain('$.atp24h');
    expect(frame.error.message).toContain('$.tms');
    expect(frame.error.message).toContain('SIMPLE');
  });

  it('SIMPLE docs example with its missing price fields filled in: what it carries is read, the rest stays undefined', () => {
    const [docs] = JSON.parse(fixtureText('ws-ticker-simple.json')) as Record<string, unknown>[];
    const completed = JSON.stringify({ ...docs, tms: 1751854856000, atv24h: 1, atp24h: 2 });
    const ticker = dataOf(single(completed), 'ticker');
    expect(ticker).toMatchObject({
      symbol: 'KRW-BTC',
      askBid: 'BID',
      accAskVolume: 36.9943567,
      accBidVolume: 71.51793114,
      high52w: 163325000,
      high52wDate: '2025-01-20',
    });
    for (const absent of [
      'low52w',
      'low52wDate',
      'marketState',
      'tradingSuspended',
      'marketWarning',
      'delistingDate',
    ]) {
      expect(ticker[absent as keyof ChannelTicker]).toBeUndefined();
    }
  });

  it('delisting_date: a date is kept as sent, null means none, a non-text is refused', () => {
    const base = fixtureText('ws-ticker-default.json');
    const dated = dataOf(single(base.replace('"delisting_date":null', '"delisting_date":"2026-04-01"')), 'ticker');
    expect(dated.delistingDate).toBe('2026-04-01');
    const refused = single(base.replace('"delisting_date":null', '"delisting_date":20260401'));
    expect(refused.kind === 'malformed' && refused.error.path).toBe('$.delisting_date');
    const huge = single(base.replace('"delisting_date":null', `"delisting_date":"${'9'.repeat(100)}"`));
    expect(huge.kind).toBe('malformed');
  });

  it('a suspended, delisted market with a warning comes through as said (SIMPLE)', () => {
    const line = pythonReprToJson(fixtureLines('ws-ticker-simple-2019-pyrepr.txt')[0] ?? '')
      .replace('"ms": "ACTIVE"', '"ms": "DELISTED"')
      .replace('"its": false', '"its": true')
      .replace('"mw": "NONE"', '"mw": "CAUTION"')
      .replace('"dd": null', '"dd": "2019-07-01"');
    const ticker = dataOf(single(line), 'ticker');
    expect(ticker).toMatchObject({
      marketState: 'DELISTED',
      tradingSuspended: true,
      marketWarning: 'CAUTION',
      delistingDate: '2019-07-01',
    });
  });
});

describe('trade frames', () => {
  it('DEFAULT (2021 capture, no best quotes)', () => {
    const trade = dataOf(single(fixtureText('ws-trade-default-2021.json')), 'trade');
    expect(trade).toEqual({
      symbol: 'KRW-BTC',
      price: 46769000,
      volume: 0.00185096,
      side: 'BID',
      sequentialId: '1621697844000001',
      tradeTimestamp: 1621697844000,
      prevClose: 49112000,
      changePrice: -2343000, // sent unsigned with FALL: signed here, as REST trades are
      change: 'FALL',
      best: undefined,
      exchangeTimestamp: 1621697844865,
      receivedAt: RECEIVED_AT,
      receivedAtMonotonic: RECEIVED_AT_MONOTONIC,
      source: 'websocket',
      streamType: 'REALTIME',
    });
  });

  it('DEFAULT list (docs JSON_LIST) decodes each element with best quotes and exact ids beyond 2^53', () => {
    const frames = decodeWebSocketFrames(
      fixtureText('ws-trade-json-list-docs.json'),
      RECEIVED_AT,
      RECEIVED_AT_MONOTONIC,
    );
    expect(frames.map((f) => f.kind)).toEqual(['trade', 'trade']);
    const [btc, eth] = frames.map((f) => dataOf(f, 'trade'));
    expect(btc).toMatchObject({
      symbol: 'KRW-BTC',
      price: 100473000,
      volume: 0.00014208,
      changePrice: -98000,
      sequentialId: '17303368620470000',
      tradeTimestamp: 1730336862047,
      exchangeTimestamp: 1730336862082,
      best: { askPrice: 100473000, askSize: 0.43139478, bidPrice: 100465000, bidSize: 0.01990656 },
      streamType: 'SNAPSHOT',
    });
    expect(eth).toMatchObject({
      symbol: 'KRW-ETH',
      sequentialId: '17303368620800006',
      change: 'RISE',
      changePrice: 5000,
    });
    expect(BigInt(eth?.sequentialId ?? '0') > BigInt(Number.MAX_SAFE_INTEGER)).toBe(true);
  });

  it('keeps an odd sequential_id exact where JSON.parse would round it (fixture frame, id changed)', () => {
    const text = fixtureText('ws-trade-default-2021.json').replace('1621697844000001', '17303368620800007');
    expect(String((JSON.parse(text) as { sequential_id: number }).sequential_id)).not.toBe('17303368620800007');
    expect(dataOf(single(text), 'trade').sequentialId).toBe('17303368620800007');
  });

  it('SIMPLE (2019 live dump) reads td-era frames, 3.8e-05 volume and sid', () => {
    const trade = dataOf(single(pythonReprToJson(fixtureText('ws-trade-simple-2019-pyrepr.txt'))), 'trade');
    expect(trade).toEqual({
      symbol: 'KRW-BTC',
      price: 10957000,
      volume: 0.000038,
      side: 'BID',
      sequentialId: '1560864067000000',
      tradeTimestamp: 1560864067000,
      prevClose: 11055000,
      changePrice: -98000,
      change: 'FALL',
      best: undefined,
      exchangeTimestamp: 1560864068071,
      receivedAt: RECEIVED_AT,
      receivedAtMonotonic: RECEIVED_AT_MONOTONIC,
      source: 'websocket',
      streamType: 'SNAPSHOT',
    });
  });
});

describe('orderbook frames', () => {
  it('DEFAULT (2026 live, exponent prices 1.16539E8)', () => {
    const book = dataOf(single(fixtureText('ws-orderbook-default-snapshot.json')), 'orderbook');
    expect(book).toEqual({
      symbol: 'KRW-BTC',
      levels: [
        { askPrice: 116539000, askSize: 0.02054761, bidPrice: 116538000, bidSize: 0.08120946 },
        { askPrice: 116542000, askSize: 0.0007772, bidPrice: 116537000, bidSize: 0.01129382 },
      ],
      totalAskSize: 2.51469375,
      totalBidSize: 1.63815297,
      grouping: 0,
      exchangeTimestamp: 1790134742106,
      receivedAt: RECEIVED_AT,
      receivedAtMonotonic: RECEIVED_AT_MONOTONIC,
      source: 'websocket',
      streamType: 'SNAPSHOT',
    });
  });

  it('SIMPLE (2026 live, sizes like 7.9276E-4 and 5.0E-4)', () => {
    const book = dataOf(single(fixtureText('ws-orderbook-simple.json')), 'orderbook');
    expect(book).toEqual({
      symbol: 'KRW-BTC',
      levels: [
        { askPrice: 116606000, askSize: 0.06288509, bidPrice: 116534000, bidSize: 0.00079276 },
        { askPrice: 116609000, askSize: 0.0005, bidPrice: 116521000, bidSize: 0.01624318 },
      ],
      totalAskSize: 0.48514983,
      totalBidSize: 2.2403413,
      grouping: 0,
      exchangeTimestamp: 1790134773006,
      receivedAt: RECEIVED_AT,
      receivedAtMonotonic: RECEIVED_AT_MONOTONIC,
      source: 'websocket',
      streamType: 'SNAPSHOT',
    });
  });

  it('SIMPLE (2019 live dump): 15 levels best first, no level field means no grouping', () => {
    const book = dataOf(single(pythonReprToJson(fixtureText('ws-orderbook-simple-2019-pyrepr.txt'))), 'orderbook');
    expect(book.symbol).toBe('KRW-BCH');
    expect(book.levels).toHaveLength(15);
    expect(book.levels[0]).toEqual({ askPrice: 511200, askSize: 10.57098602, bidPrice: 510900, bidSize: 0.0237713 });
    expect(book.levels[14]).toEqual({ askPrice: 513800, askSize: 1.26819328, bidPrice: 509400, bidSize: 5.72857566 });
    expect(book).toMatchObject({ totalAskSize: 202.38848538, totalBidSize: 147.1527989, grouping: 0 });
    expect(book.exchangeTimestamp).toBe(1560787779453);
    expect(book.streamType).toBe('REALTIME');
  });

  it('SIMPLE list (docs SIMPLE_LIST) with lv 10000 and no stream type', () => {
    const book = dataOf(single(fixtureText('ws-orderbook-simple-list-docs.json')), 'orderbook');
    expect(book).toMatchObject({
      symbol: 'KRW-BTC',
      grouping: 10000,
      totalAskSize: 17.12835169,
      streamType: undefined,
    });
    expect(book.levels.map((level) => level.askPrice)).toEqual([148880000, 148890000, 148900000]);
  });

  it('accepts a unit suffix in the code (KRW-BTC.15) and reports the plain market', () => {
    const text = fixtureText('ws-orderbook-simple.json').replace('"cd":"KRW-BTC"', '"cd":"KRW-BTC.15"');
    expect(dataOf(single(text), 'orderbook').symbol).toBe('KRW-BTC');
  });
});

describe('control frames', () => {
  it('status UP is a heartbeat answer', () => {
    expect(single(fixtureText('ws-status-up.json'))).toEqual({ kind: 'status', status: 'UP' });
  });

  it.each([
    ['ws-error-invalid-param.json', 'INVALID_PARAM', 'nope 은 지원하지 않는 타입입니다.'],
    ['ws-error-no-ticket.json', 'NO_TICKET', '티켓이 존재하지 않거나, 유효하지 않습니다.'],
    ['ws-error-wrong-format.json', 'WRONG_FORMAT', 'Format 이 맞지 않습니다.'],
  ])('%s becomes an UpstreamError keeping Upbit name and message', (name, upstreamName, upstreamMessage) => {
    const frame = single(fixtureText(name));
    expect(frame.kind).toBe('error');
    if (frame.kind !== 'error') return;
    expect(frame.error.name).toBe('UpstreamError');
    expect(frame.error.code).toBe('UPSTREAM');
    expect(frame.error.upstreamName).toBe(upstreamName);
    expect(frame.error.upstreamMessage).toBe(upstreamMessage);
    expect(frame.error.channel).toBe('websocket');
  });

  it('every ws-* fixture except the client request is covered by a test above', () => {
    const covered = new Set([
      'ws-ticker-default.json',
      'ws-ticker-default-2021.json',
      'ws-ticker-simple-2019-pyrepr.txt',
      'ws-ticker-simple.json',
      'ws-trade-default-2021.json',
      'ws-trade-json-list-docs.json',
      'ws-trade-simple-2019-pyrepr.txt',
      'ws-orderbook-default-snapshot.json',
      'ws-orderbook-simple.json',
      'ws-orderbook-simple-2019-pyrepr.txt',
      'ws-orderbook-simple-list-docs.json',
      'ws-status-up.json',
      'ws-error-invalid-param.json',
      'ws-error-no-ticket.json',
      'ws-error-wrong-format.json',
      'ws-subscribe-request.json',
    ]);
    expect(fixtureNames('ws-').filter((name) => !covered.has(name))).toEqual([]);
  });
});

describe('malformed frames never throw', () => {
  it.each([
    ['truncated JSON', fixtureText('ws-ticker-default.json').slice(0, 80), 'json'],
    ['a string', '"hello"', 'unknown'],
    ['an unknown type', '{"type":"candle","code":"KRW-BTC"}', 'unknown'],
    ['a candle type Upbit does not have', '{"type":"candle.2m","code":"KRW-BTC"}', 'unknown'],
    [
      'a wrong number type',
      fixtureText('ws-ticker-default.json').replace('"trade_price":158201000.00000000', '"trade_price":"abc"'),
      'ticker',
    ],
    ['a lower-case code', fixtureText('ws-trade-default-2021.json').replace('KRW-BTC', 'krw-btc'), 'trade'],
    [
      'a rounded sequential id',
      fixtureText('ws-trade-default-2021.json').replace('1621697844000001', '1.7e16'),
      'trade',
    ],
    ['missing units', '{"ty":"orderbook","cd":"KRW-BTC","tms":1,"tas":1,"tbs":1}', 'orderbook'],
  ])('%s', (_label, text, kind) => {
    const frame = single(text);
    expect(frame.kind).toBe('malformed');
    if (frame.kind !== 'malformed') return;
    expect(frame.frameKind).toBe(kind);
    expect(frame.error.name).toBe('DataValidationError');
    expect(frame.sample.length).toBeGreaterThan(0);
  });

  it('names the SIMPLE key of a bad field', () => {
    const text = pythonReprToJson(fixtureText('ws-trade-simple-2019-pyrepr.txt')).replace('"BID"', '"SELL"');
    const frame = single(text);
    expect(frame.kind === 'malformed' && frame.error.path).toBe('$.ab');
  });
});
