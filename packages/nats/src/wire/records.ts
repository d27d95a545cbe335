import {
  type BestQuote,
  type Candle,
  type CandleInterval,
  type ChannelTicker,
  isCandleStreamKind,
  type Market,
  type OrderBook,
  type OrderBookLevel,
  type Provenance,
  type StreamKind,
  type StreamRecord,
  type Trade,
} from '@marketdata/domain';
import type { Fields } from './fields.js';

/**
 * (Just over 300 lines: one small mapper per record kind and direction, kept together so that every kind shares the
 * one provenance mapping.)
 *
 * One small mapper per record kind, both ways. A wire record is the domain record with every field kept exactly
 * (JSON numbers round-trip a double exactly; `sequentialId` stays decimal text) except `receivedAtMonotonic`, which
 * only means something inside the process that stamped it. It travels as `ageMs`: how long before sending the record
 * was received, on the sender's monotonic clock. The receiver stamps its own monotonic arrival time and subtracts
 * `ageMs`, so a record's age is never understated and no wall time is ever turned into a monotonic one.
 * `receivedAt` (wall) stays the gateway's: when the bytes came from Upbit.
 */
type WireProvenance = Omit<Provenance, 'receivedAtMonotonic'> & { readonly ageMs: number };

const SOURCES = ['rest', 'websocket'] as const;
const STREAM_TYPES = ['SNAPSHOT', 'REALTIME'] as const;
const CHANGES = ['RISE', 'EVEN', 'FALL'] as const;
const SIDES = ['ASK', 'BID'] as const;
const CANDLE_UNITS = ['seconds', 'minutes', 'days', 'weeks', 'months', 'years'] as const;
const EVENT_SOURCES = ['market_event', 'market_warning', 'none'] as const;

/** The optional fields present in `values`, undefined ones left out (so a record never gains an `undefined` key). */
function present<T extends Record<string, unknown>>(values: T): Partial<T> {
  const out: Partial<T> = {};
  for (const key of Object.keys(values) as (keyof T)[]) {
    if (values[key] !== undefined) out[key] = values[key];
  }
  return out;
}

function provenanceOut(record: Provenance, nowMonotonic: number): WireProvenance {
  return {
    exchangeTimestamp: record.exchangeTimestamp,
    receivedAt: record.receivedAt,
    ageMs: Math.max(0, nowMonotonic - record.receivedAtMonotonic),
    source: record.source,
    streamType: record.streamType,
    latencyMs: record.latencyMs,
  };
}

function provenanceIn(f: Fields, arrivedAtMonotonic: number): Provenance {
  const ageMs = f.number('ageMs');
  if (ageMs < 0) f.reject('ageMs', 'a number >= 0');
  const streamType = f.optionalLiteral('streamType', STREAM_TYPES);
  const latencyMs = f.optionalNumber('latencyMs');
  return {
    exchangeTimestamp: f.number('exchangeTimestamp'),
    receivedAt: f.number('receivedAt'),
    receivedAtMonotonic: arrivedAtMonotonic - ageMs,
    source: f.literal('source', SOURCES),
    ...(streamType === undefined ? {} : { streamType }),
    ...(latencyMs === undefined ? {} : { latencyMs }),
  };
}

export function tickerOut(t: ChannelTicker, nowMonotonic: number): unknown {
  return {
    symbol: t.symbol,
    price: t.price,
    open: t.open,
    high: t.high,
    low: t.low,
    prevClose: t.prevClose,
    change: t.change,
    changePrice: t.changePrice,
    changeRate: t.changeRate,
    lastTradeVolume: t.lastTradeVolume,
    dayVolume: t.dayVolume,
    dayTurnover: t.dayTurnover,
    volume24h: t.volume24h,
    turnover24h: t.turnover24h,
    tradeTimestamp: t.tradeTimestamp,
    high52w: t.high52w,
    high52wDate: t.high52wDate,
    low52w: t.low52w,
    low52wDate: t.low52wDate,
    askBid: t.askBid,
    accAskVolume: t.accAskVolume,
    accBidVolume: t.accBidVolume,
    marketState: t.marketState,
    tradingSuspended: t.tradingSuspended,
    marketWarning: t.marketWarning,
    // null ("none", as the frame said) travels as null; undefined (not carried) is left out.
    delistingDate: t.delistingDate,
    ...provenanceOut(t, nowMonotonic),
  };
}

export function tickerIn(f: Fields, at: number): ChannelTicker {
  return {
    symbol: f.market('symbol'),
    price: f.number('price'),
    open: f.number('open'),
    high: f.number('high'),
    low: f.number('low'),
    prevClose: f.number('prevClose'),
    change: f.literal('change', CHANGES),
    changePrice: f.number('changePrice'),
    changeRate: f.number('changeRate'),
    lastTradeVolume: f.number('lastTradeVolume'),
    dayVolume: f.number('dayVolume'),
    dayTurnover: f.number('dayTurnover'),
    volume24h: f.number('volume24h'),
    turnover24h: f.number('turnover24h'),
    tradeTimestamp: f.number('tradeTimestamp'),
    ...present({
      high52w: f.optionalNumber('high52w'),
      high52wDate: f.optionalString('high52wDate'),
      low52w: f.optionalNumber('low52w'),
      low52wDate: f.optionalString('low52wDate'),
      askBid: f.optionalLiteral('askBid', SIDES),
      accAskVolume: f.optionalNumber('accAskVolume'),
      accBidVolume: f.optionalNumber('accBidVolume'),
      marketState: f.optionalString('marketState'),
      tradingSuspended: f.optionalBoolean('tradingSuspended'),
      marketWarning: f.optionalString('marketWarning'),
      delistingDate: f.optionalNullableString('delistingDate'),
    }),
    ...provenanceIn(f, at),
  };
}

export function tradeOut(t: Trade, nowMonotonic: number): unknown {
  return {
    symbol: t.symbol,
    price: t.price,
    volume: t.volume,
    side: t.side,
    sequentialId: t.sequentialId,
    tradeTimestamp: t.tradeTimestamp,
    prevClose: t.prevClose,
    changePrice: t.changePrice,
    change: t.change,
    best: t.best,
    ...provenanceOut(t, nowMonotonic),
  };
}

const SEQUENTIAL_ID = /^[0-9]{1,30}$/;

function bestIn(f: Fields): BestQuote {
  return {
    askPrice: f.number('askPrice'),
    askSize: f.number('askSize'),
    bidPrice: f.number('bidPrice'),
    bidSize: f.number('bidSize'),
  };
}

export function tradeIn(f: Fields, at: number): Trade {
  const sequentialId = f.string('sequentialId');
  if (!SEQUENTIAL_ID.test(sequentialId)) f.reject('sequentialId', 'decimal digits');
  const change = f.optionalLiteral('change', CHANGES);
  const best = f.optionalObject('best');
  return {
    symbol: f.market('symbol'),
    price: f.number('price'),
    volume: f.number('volume'),
    side: f.literal('side', SIDES),
    sequentialId,
    tradeTimestamp: f.number('tradeTimestamp'),
    prevClose: f.number('prevClose'),
    changePrice: f.number('changePrice'),
    ...(change === undefined ? {} : { change }),
    ...(best === undefined ? {} : { best: bestIn(best) }),
    ...provenanceIn(f, at),
  };
}

export function orderBookOut(b: OrderBook, nowMonotonic: number): unknown {
  return {
    symbol: b.symbol,
    levels: b.levels,
    totalAskSize: b.totalAskSize,
    totalBidSize: b.totalBidSize,
    grouping: b.grouping,
    ...provenanceOut(b, nowMonotonic),
  };
}

export function orderBookIn(f: Fields, at: number): OrderBook {
  const levels: OrderBookLevel[] = f.objects('levels').map(bestIn);
  return {
    symbol: f.market('symbol'),
    levels,
    totalAskSize: f.number('totalAskSize'),
    totalBidSize: f.number('totalBidSize'),
    grouping: f.number('grouping'),
    ...provenanceIn(f, at),
  };
}

export function candleOut(c: Candle, nowMonotonic: number): unknown {
  return {
    symbol: c.symbol,
    interval: { unit: c.interval.unit, size: c.interval.size },
    openTime: c.openTime,
    open: c.open,
    high: c.high,
    low: c.low,
    close: c.close,
    volume: c.volume,
    turnover: c.turnover,
    lastTradeTimestamp: c.lastTradeTimestamp,
    prevClose: c.prevClose,
    changePrice: c.changePrice,
    changeRate: c.changeRate,
    firstDayOfPeriod: c.firstDayOfPeriod,
    ...provenanceOut(c, nowMonotonic),
  };
}

export function intervalIn(f: Fields): CandleInterval {
  return { unit: f.literal('unit', CANDLE_UNITS), size: f.number('size') };
}

export function candleIn(f: Fields, at: number): Candle {
  return {
    symbol: f.market('symbol'),
    interval: intervalIn(f.object('interval')),
    openTime: f.number('openTime'),
    open: f.number('open'),
    high: f.number('high'),
    low: f.number('low'),
    close: f.number('close'),
    volume: f.number('volume'),
    turnover: f.number('turnover'),
    ...present({
      lastTradeTimestamp: f.optionalNumber('lastTradeTimestamp'),
      prevClose: f.optionalNumber('prevClose'),
      changePrice: f.optionalNumber('changePrice'),
      changeRate: f.optionalNumber('changeRate'),
      firstDayOfPeriod: f.optionalString('firstDayOfPeriod'),
    }),
    ...provenanceIn(f, at),
  };
}

/** Markets carry no receive times: a market list is not a record of the moment. */
export function marketOut(m: Market): unknown {
  return {
    symbol: m.symbol,
    quote: m.quote,
    base: m.base,
    koreanName: m.koreanName,
    englishName: m.englishName,
    warning: m.warning,
    cautions: m.cautions,
    eventSource: m.eventSource,
  };
}

export function marketIn(f: Fields): Market {
  return {
    symbol: f.market('symbol'),
    quote: f.string('quote'),
    base: f.string('base'),
    koreanName: f.string('koreanName'),
    englishName: f.string('englishName'),
    warning: f.boolean('warning'),
    cautions: f.strings('cautions'),
    eventSource: f.literal('eventSource', EVENT_SOURCES),
  };
}

type Out = (record: never, nowMonotonic: number) => unknown;
type In = (f: Fields, at: number) => StreamRecord<StreamKind>;

const OUT: Readonly<Record<'ticker' | 'trade' | 'orderbook' | 'candle', Out>> = {
  ticker: tickerOut,
  trade: tradeOut,
  orderbook: orderBookOut,
  candle: candleOut,
};
const IN: Readonly<Record<'ticker' | 'trade' | 'orderbook' | 'candle', In>> = {
  ticker: tickerIn,
  trade: tradeIn,
  orderbook: orderBookIn,
  candle: candleIn,
};

/** Every candle stream kind (`candle.1m`, ...) carries a `Candle`. */
function recordType(kind: StreamKind): 'ticker' | 'trade' | 'orderbook' | 'candle' {
  return isCandleStreamKind(kind) ? 'candle' : kind;
}

export function streamRecordOut<K extends StreamKind>(kind: K, record: StreamRecord<K>, nowMonotonic: number): unknown {
  return (OUT[recordType(kind)] as (record: StreamRecord<K>, now: number) => unknown)(record, nowMonotonic);
}

export function streamRecordIn<K extends StreamKind>(kind: K, f: Fields, at: number): StreamRecord<K> {
  return IN[recordType(kind)](f, at) as StreamRecord<K>;
}
