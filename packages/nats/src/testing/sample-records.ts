import type { Candle, ChannelTicker, MarketCode, OrderBook, Trade } from '@marketdata/domain';

/** Records with the numbers that break naive encodings: scales of 1e-8, 2^53 and beyond, exponent spellings. */
export const BTC = 'KRW-BTC' as MarketCode;

export function ticker(overrides: Partial<ChannelTicker> = {}): ChannelTicker {
  return {
    symbol: BTC,
    price: 116_539_000,
    open: 115_000_000,
    high: 117_000_000.5,
    low: 0.00000001,
    prevClose: 1.16539e8,
    change: 'RISE',
    changePrice: 1_539_000,
    changeRate: 0.0133826087,
    lastTradeVolume: 0.00012345,
    dayVolume: 1234.56789012,
    dayTurnover: 143_987_654_321.12344,
    volume24h: 0.1 + 0.2,
    turnover24h: 2 ** 53 + 2,
    tradeTimestamp: 1_773_240_059_123,
    high52w: 163_325_000,
    high52wDate: '2025-10-06',
    low52w: 0.00000001,
    low52wDate: '2025-04-07',
    askBid: 'BID',
    accAskVolume: 612.34567891,
    accBidVolume: 622.22221121,
    marketState: 'ACTIVE',
    tradingSuspended: false,
    marketWarning: 'NONE',
    delistingDate: null,
    exchangeTimestamp: 1_773_240_059_200,
    receivedAt: 1_773_240_059_201,
    receivedAtMonotonic: 5_000.25,
    source: 'websocket',
    streamType: 'REALTIME',
    ...overrides,
  };
}

export function trade(overrides: Partial<Trade> = {}): Trade {
  return {
    symbol: BTC,
    price: 116_539_000,
    volume: 7.9276e-4,
    side: 'BID',
    sequentialId: '17732400591230001',
    tradeTimestamp: 1_773_240_059_123,
    prevClose: 115_000_000,
    changePrice: 1_539_000,
    change: 'RISE',
    best: { askPrice: 116_540_000, askSize: 0.5, bidPrice: 116_539_000, bidSize: 1e-8 },
    exchangeTimestamp: 1_773_240_059_124,
    receivedAt: 1_773_240_059_130,
    receivedAtMonotonic: 7_000,
    source: 'websocket',
    streamType: 'SNAPSHOT',
    ...overrides,
  };
}

export function orderBook(overrides: Partial<OrderBook> = {}): OrderBook {
  return {
    symbol: BTC,
    levels: [
      { askPrice: 116_540_000, askSize: 0.01234567, bidPrice: 116_539_000, bidSize: 0.5 },
      { askPrice: 116_541_000, askSize: 1e-8, bidPrice: 116_538_000, bidSize: 12.3456789 },
    ],
    totalAskSize: 12.34567891,
    totalBidSize: 45.6789,
    grouping: 0,
    exchangeTimestamp: 1_773_240_059_300,
    receivedAt: 1_773_240_059_305,
    receivedAtMonotonic: 9_000,
    source: 'websocket',
    streamType: 'REALTIME',
    ...overrides,
  };
}

export function candle(overrides: Partial<Candle> = {}): Candle {
  return {
    symbol: BTC,
    interval: { unit: 'minutes', size: 240 },
    openTime: 1_773_230_400_000,
    open: 115_000_000,
    high: 117_000_000,
    low: 114_999_999.5,
    close: 116_539_000,
    volume: 123.45678901,
    turnover: 14_398_765_432.1234,
    lastTradeTimestamp: 1_773_240_058_999,
    exchangeTimestamp: 1_773_240_059_000,
    receivedAt: 1_773_240_059_100,
    receivedAtMonotonic: 3_000,
    source: 'rest',
    latencyMs: 12.5,
    ...overrides,
  };
}
