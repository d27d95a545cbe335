import { type Candle, isDataValidationError, type StreamKind } from '@marketdata/domain';
import { afterEach, describe, expect, it } from 'vitest';
import { buildSubscriptionRequest } from '../../src/ws/wire.js';
import { BTC, ETH, type Harness, startHarness, until } from './support/harness.js';

// Candle streams through the source against the local server: what goes on the wire, what a listener hears, what
// the feed keeps as the latest. Frames are written from Upbit's documented candle fields (none recorded).

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

function candleFrame(type: string, code: string, minute: number, close: number, streamType = 'REALTIME'): string {
  const utc = `2026-03-11T14:${String(minute).padStart(2, '0')}:00`;
  return JSON.stringify({
    type,
    code,
    candle_date_time_utc: utc,
    candle_date_time_kst: utc,
    opening_price: 100,
    high_price: Math.max(100, close),
    low_price: Math.min(100, close),
    trade_price: close,
    candle_acc_trade_volume: 1,
    candle_acc_trade_price: close,
    timestamp: Date.UTC(2026, 2, 11, 14, minute, 30),
    stream_type: streamType,
  });
}

const at = (minute: number) => Date.UTC(2026, 2, 11, 14, minute);

describe('candle streams (local server)', () => {
  it('listen puts candle.1m on the wire as its own type; every frame is heard, the newest period stays latest', async () => {
    harness = await startHarness({}, { snapshots: false });
    const { source, server } = harness;
    const heard: Candle[] = [];
    const arrivals: StreamKind[] = [];
    source.observe({ onArrival: (kind) => arrivals.push(kind) });
    const handle = source.listen('candle.1m', ['KRW-BTC'], { onRecord: (candle) => heard.push(candle) });
    await until(() => server.requests.length === 1);
    expect(JSON.parse(server.requests[0] ?? '[]')[1]).toEqual({ type: 'candle.1m', codes: ['KRW-BTC'] });

    server.sendRaw(candleFrame('candle.1m', 'KRW-BTC', 40, 101, 'SNAPSHOT'));
    server.sendRaw(candleFrame('candle.1m', 'KRW-BTC', 40, 102)); // the same period again: the last one wins
    server.sendRaw(candleFrame('candle.1m', 'KRW-BTC', 41, 103));
    server.sendRaw(candleFrame('candle.1m', 'KRW-BTC', 40, 104)); // a late update of the earlier period
    await until(() => heard.length === 4);
    expect(heard.map((candle) => [candle.openTime, candle.close, candle.streamType])).toEqual([
      [at(40), 101, 'SNAPSHOT'],
      [at(40), 102, 'REALTIME'],
      [at(41), 103, 'REALTIME'],
      [at(40), 104, 'REALTIME'],
    ]);
    expect(heard.every((candle) => candle.interval.unit === 'minutes' && candle.interval.size === 1)).toBe(true);
    // The late update of 14:40 was heard but 14:41 stays the latest; a new listener is replayed 14:41 only.
    expect(source.latest('candle.1m', BTC)?.openTime).toBe(at(41));
    const replayed: Candle[] = [];
    const second = source.listen('candle.1m', [BTC], { onRecord: (candle) => replayed.push(candle) });
    expect(replayed.map((candle) => candle.close)).toEqual([103]);
    server.sendRaw(candleFrame('candle.1m', 'KRW-BTC', 41, 105));
    await until(() => heard.length === 5);
    expect(source.latest('candle.1m', BTC)?.close).toBe(105);
    expect(arrivals).toEqual(['candle.1m', 'candle.1m', 'candle.1m', 'candle.1m', 'candle.1m']);
    expect(source.arrivals('candle.1m', BTC)?.lastArrivalMonotonic).toBeDefined();
    // Other intervals are other feeds.
    expect(source.latest('candle.5m', BTC)).toBeUndefined();
    expect(source.arrivals('candle.5m', BTC)).toBeUndefined();
    handle.release();
    second.release();
  });

  it('kinds are kept apart on the wire and in the feeds; a frame of a kind not asked for is no arrival', async () => {
    harness = await startHarness({}, { snapshots: false });
    const { source, server } = harness;
    const oneSecond: Candle[] = [];
    source.listen('candle.1s', [ETH], { onRecord: (candle) => oneSecond.push(candle) });
    source.subscribe('candle.240m', [BTC, ETH]);
    source.subscribe('ticker', [BTC]);
    await until(() => server.requests.length === 1);
    expect(server.parsedRequests()[0]?.codes).toMatchObject({
      ticker: ['KRW-BTC'],
      'candle.1s': ['KRW-ETH'],
      'candle.240m': ['KRW-BTC', 'KRW-ETH'],
      'candle.1m': [],
    });
    server.sendRaw(candleFrame('candle.1m', 'KRW-ETH', 40, 1)); // not subscribed: dropped
    server.sendRaw(candleFrame('candle.240m', 'KRW-ETH', 0, 2));
    server.sendRaw(candleFrame('candle.1s', 'KRW-ETH', 40, 3));
    await until(() => oneSecond.length === 1);
    await until(() => source.latest('candle.240m', ETH) !== undefined);
    expect(source.latest('candle.240m', ETH)?.interval).toEqual({ unit: 'minutes', size: 240 });
    expect(oneSecond[0]?.interval).toEqual({ unit: 'seconds', size: 1 });
    expect(source.latest('candle.1m', ETH)).toBeUndefined();
    expect(source.status().subscriptions['candle.240m']).toEqual(['KRW-BTC', 'KRW-ETH']);
  });

  it('an unknown kind from an untyped caller is a typed error, and a lookup of one finds nothing', async () => {
    harness = await startHarness({}, { snapshots: false });
    const { source } = harness;
    for (const kind of ['candle.2m', 'candle', 'toString', '__proto__']) {
      let thrown: unknown;
      try {
        source.subscribe(kind as StreamKind, [BTC]);
      } catch (error) {
        thrown = error;
      }
      expect(isDataValidationError(thrown), kind).toBe(true);
      expect(source.latest(kind as StreamKind, BTC)).toBeUndefined();
      expect(source.arrivals(kind as StreamKind, BTC)).toBeUndefined();
    }
  });

  it('plain strings are taken and checked: a bad code is an InvalidMarketCodeError', async () => {
    harness = await startHarness({}, { snapshots: false });
    const { source } = harness;
    expect(() => source.listen('candle.1m', ['krw-btc'], { onRecord: () => {} })).toThrow(
      expect.objectContaining({ name: 'InvalidMarketCodeError' }),
    );
    await expect(source.getTicker('KRW_BTC')).rejects.toMatchObject({ name: 'InvalidMarketCodeError' });
    await expect(source.getTrades('KRW-BTC', { cursor: '1' })).rejects.toMatchObject({
      name: 'DataValidationError',
      path: 'cursor',
    });
    await expect(source.getTrades('KRW-BTC', { daysAgo: 1 })).rejects.toMatchObject({ path: 'daysAgo' });
  });
});

describe('buildSubscriptionRequest with candle types', () => {
  it('lists candle types after ticker, trade and orderbook, as Upbit names them', () => {
    const text = buildSubscriptionRequest(
      { 'candle.1m': ['KRW-BTC'], ticker: ['KRW-ETH'], 'candle.1s': ['KRW-BTC', 'KRW-ETH'] },
      { ticket: 'T', format: 'SIMPLE' },
    );
    expect(JSON.parse(text)).toEqual([
      { ticket: 'T' },
      { type: 'ticker', codes: ['KRW-ETH'] },
      { type: 'candle.1s', codes: ['KRW-BTC', 'KRW-ETH'] },
      { type: 'candle.1m', codes: ['KRW-BTC'] },
      { format: 'SIMPLE' },
    ]);
  });
});
