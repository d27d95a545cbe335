import type { ChannelTicker } from '@marketdata/domain';
import { describe, expect, it } from 'vitest';
import { type GradeInput, gradeTicker } from '../src/unifier/grade-ticker.js';
import { checkTicker } from '../src/unifier/quality-checks.js';
import { RECORDED_AT, receipt, recordedKrwTickers, tickAt } from './support/fixture-tickers.js';

const NOW = RECORDED_AT + 100;
const at = (wall: number) => receipt(wall, 0);

function input(tick: ChannelTicker, changes: Partial<GradeInput> = {}): GradeInput {
  return {
    tick,
    servedFrom: tick.source,
    nowMs: NOW,
    processingTimeMs: 0.2,
    issues: checkTicker(tick, NOW, 2_000),
    expectedIntervalMs: 1_000,
    cacheTtlMs: 60_000,
    ...changes,
  };
}

describe('data-quality checks on recorded payloads', () => {
  it('finds nothing wrong in any of the 244 recorded KRW tickers', () => {
    const flagged = recordedKrwTickers().filter((tick) => checkTicker(tick, NOW, 2_000).length > 0);
    expect(recordedKrwTickers()).toHaveLength(244);
    expect(flagged.map((tick) => tick.symbol)).toEqual([]);
  });

  it('flags a non-positive price, a price outside the day range, and future exchange times', () => {
    const btc = tickAt('KRW-BTC', 'rest', at(NOW));
    expect(checkTicker({ ...btc, price: 0 }, NOW, 2_000).map((issue) => issue.kind)).toEqual(['non-positive-price']);
    expect(checkTicker({ ...btc, price: -5 }, NOW, 2_000).map((issue) => issue.kind)).toEqual(['non-positive-price']);
    expect(checkTicker({ ...btc, price: btc.high + 1 }, NOW, 2_000).map((issue) => issue.kind)).toEqual([
      'price-outside-day-range',
    ]);
    expect(checkTicker({ ...btc, price: btc.low - 1 }, NOW, 2_000).map((issue) => issue.kind)).toEqual([
      'price-outside-day-range',
    ]);
    expect(checkTicker({ ...btc, exchangeTimestamp: NOW + 2_000 }, NOW, 2_000)).toEqual([]);
    const future = checkTicker({ ...btc, exchangeTimestamp: NOW + 2_001 }, NOW, 2_000);
    expect(future.map((issue) => issue.kind)).toEqual(['future-timestamp']);
    expect(future[0]?.note).toContain('2001 ms ahead');
    expect(checkTicker({ ...btc, tradeTimestamp: NOW + 60_000 }, NOW, 2_000)).toHaveLength(1);
  });
});

describe('gradeTicker', () => {
  it('grades a fresh, validated REST answer high with full confidence and keeps every field', () => {
    const tick = tickAt('KRW-BTC', 'rest', at(NOW));
    const ticker = gradeTicker(input(tick));
    expect(ticker).toMatchObject({
      source: 'rest',
      quality: 'high',
      confidence: 1,
      qualityNotes: [],
      processingTimeMs: 0.2,
      price: 103_458_000,
      ageMs: NOW - tick.exchangeTimestamp,
      exchangeTimestamp: tick.exchangeTimestamp,
      receivedAt: NOW,
    });
  });

  it('hands out every field the channel delivered: the market status and 52-week fields are kept', () => {
    const status = {
      high52w: 163_325_000,
      high52wDate: '2025-10-06',
      low52w: 85_000_000,
      low52wDate: '2025-04-07',
      askBid: 'BID',
      accAskVolume: 1_234.5,
      accBidVolume: 2_345.25,
      marketState: 'ACTIVE',
      tradingSuspended: true,
      marketWarning: 'CAUTION',
      delistingDate: null,
    } as const;
    const tick: ChannelTicker = { ...tickAt('KRW-BTC', 'websocket', at(NOW)), ...status };
    const ticker = gradeTicker(input(tick));
    expect(ticker).toMatchObject(status);
    // Every key of the channel's record survives grading (only `source` is replaced by where it was served from).
    const dropped = Object.keys(tick).filter((key) => !(key in ticker));
    expect(dropped).toEqual([]);
  });

  it('grades a flagged tick low, halving confidence per issue, with the reasons in the notes', () => {
    const tick = tickAt('KRW-ETH', 'rest', at(NOW));
    const bad = { ...tick, price: tick.high * 1.5, exchangeTimestamp: NOW + 10_000 };
    const ticker = gradeTicker(input(bad));
    expect(ticker.quality).toBe('low');
    expect(ticker.confidence).toBe(0.25);
    expect(ticker.qualityNotes).toHaveLength(2);
    expect(ticker.ageMs).toBe(-10_000);
  });

  it('grades a fallback medium with confidence 0.8', () => {
    const ticker = gradeTicker(
      input(tickAt('KRW-XRP', 'rest', at(NOW)), { fallbackFrom: 'websocket', fallbackReason: 'TimeoutError: 5000 ms' }),
    );
    expect(ticker).toMatchObject({ quality: 'medium', confidence: 0.8 });
    expect(ticker.qualityNotes).toEqual(['fallback from websocket: TimeoutError: 5000 ms']);
  });

  it('keeps a cache hit high only while it is younger than the expected interval', () => {
    const tick = tickAt('KRW-SOL', 'rest', at(NOW - 800));
    const young = gradeTicker(input(tick, { servedFrom: 'cache', cacheAgeMs: 800 }));
    expect(young).toMatchObject({ source: 'cache', quality: 'high', confidence: 1 });

    const older = gradeTicker(input(tick, { servedFrom: 'cache', cacheAgeMs: 1_500 }));
    expect(older.source).toBe('cache');
    expect(older.quality).toBe('medium');
    expect(older.confidence).toBeCloseTo(1 - (0.5 * 1_500) / 60_000, 3);
    expect(older.qualityNotes[0]).toContain('served from cache, 1500 ms old');
  });

  it('grades a value low when the freshness judge calls it stale, with its note; it applies no rule of its own', () => {
    const tick = tickAt('KRW-BTC', 'websocket', at(NOW - 10_000));
    const stale = { kind: 'stale' as const, note: 'last update 10000 ms ago, expected every 200 ms' };
    const judged = gradeTicker(input(tick, { issues: [stale] }));
    expect(judged).toMatchObject({ quality: 'low', confidence: 0.5 });
    expect(judged.qualityNotes).toEqual(['last update 10000 ms ago, expected every 200 ms']);
    // Ten seconds old and not called stale: high (the judge knows the symbol's rhythm, grading does not).
    expect(gradeTicker(input(tick)).quality).toBe('high');
  });

  it('lets the worst rule win when several apply', () => {
    const tick = tickAt('KRW-BTC', 'rest', at(NOW));
    const ticker = gradeTicker(
      input(tick, {
        servedFrom: 'cache',
        cacheAgeMs: 5_000,
        fallbackFrom: 'websocket',
        issues: [
          { kind: 'channel-disagreement', note: 'differs' },
          { kind: 'stale', note: 'cached 5000 ms ago, expected every 1000 ms' },
        ],
      }),
    );
    expect(ticker.quality).toBe('low');
    expect(ticker.qualityNotes).toHaveLength(4);
  });
});
