import type { ChannelTicker } from '@marketdata/domain';
import { describe, expect, it } from 'vitest';
import { checkTicker, type GradeInput, gradeTicker } from '../src/index.js';
import { RECORDED_AT, recordedKrwTickers, tickAt } from './support/fixture-tickers.js';

const NOW = RECORDED_AT + 100;

function input(tick: ChannelTicker, changes: Partial<GradeInput> = {}): GradeInput {
  return {
    tick,
    servedFrom: tick.source,
    nowMs: NOW,
    processingTimeMs: 0.2,
    issues: checkTicker(tick, NOW, 2_000),
    expectedIntervalMs: 1_000,
    staleFactor: 3,
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
    const btc = tickAt('KRW-BTC', 'rest', NOW);
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
    const tick = tickAt('KRW-BTC', 'rest', NOW);
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

  it('grades a flagged tick low, halving confidence per issue, with the reasons in the notes', () => {
    const tick = tickAt('KRW-ETH', 'rest', NOW);
    const bad = { ...tick, price: tick.high * 1.5, exchangeTimestamp: NOW + 10_000 };
    const ticker = gradeTicker(input(bad));
    expect(ticker.quality).toBe('low');
    expect(ticker.confidence).toBe(0.25);
    expect(ticker.qualityNotes).toHaveLength(2);
    expect(ticker.ageMs).toBe(-10_000);
  });

  it('grades a fallback medium with confidence 0.8', () => {
    const ticker = gradeTicker(
      input(tickAt('KRW-XRP', 'rest', NOW), { fallbackFrom: 'websocket', fallbackReason: 'TimeoutError: 5000 ms' }),
    );
    expect(ticker).toMatchObject({ quality: 'medium', confidence: 0.8 });
    expect(ticker.qualityNotes).toEqual(['fallback from websocket: TimeoutError: 5000 ms']);
  });

  it('keeps a cache hit high only while it is younger than the expected interval', () => {
    const tick = tickAt('KRW-SOL', 'rest', NOW - 800);
    const young = gradeTicker(input(tick, { servedFrom: 'cache', cacheAgeMs: 800 }));
    expect(young).toMatchObject({ source: 'cache', quality: 'high', confidence: 1 });

    const older = gradeTicker(input(tick, { servedFrom: 'cache', cacheAgeMs: 1_500 }));
    expect(older.source).toBe('cache');
    expect(older.quality).toBe('medium');
    expect(older.confidence).toBeCloseTo(1 - (0.5 * 1_500) / 60_000, 3);
    expect(older.qualityNotes[0]).toContain('served from cache, 1500 ms old');

    const stale = gradeTicker(input(tick, { servedFrom: 'cache', cacheAgeMs: 3_001 }));
    expect(stale.quality).toBe('low');
    expect(stale.qualityNotes.some((note) => note.startsWith('cached 3001 ms ago'))).toBe(true);
  });

  it('never grades a cached stream value high while the stream flags the symbol as stale', () => {
    const fromStream = tickAt('KRW-SOL', 'websocket', NOW - 100);
    const flagged = gradeTicker(
      input(fromStream, { servedFrom: 'cache', cacheAgeMs: 100, suspectedStaleByStream: true }),
    );
    expect(flagged.quality).toBe('low');
    expect(flagged.qualityNotes).toContain('cached from a stream that suspects this symbol is stale');
    const fromRest = tickAt('KRW-SOL', 'rest', NOW - 100);
    const restHit = gradeTicker(
      input(fromRest, { servedFrom: 'cache', cacheAgeMs: 100, suspectedStaleByStream: true }),
    );
    expect(restHit.quality).toBe('high');
  });

  it('judges WebSocket staleness by the symbol rhythm: quiet symbols may be old, hot ones may not', () => {
    const tick = tickAt('KRW-BTC', 'websocket', NOW - 10_000);
    const quiet = gradeTicker(input(tick, { expectedIntervalMs: 30_000, sinceUpdateMs: 10_000 }));
    expect(quiet.quality).toBe('high');
    const hot = gradeTicker(input(tick, { expectedIntervalMs: 200, sinceUpdateMs: 10_000 }));
    expect(hot.quality).toBe('low');
    expect(hot.qualityNotes[0]).toBe('last update 10000 ms ago, expected every 200 ms');
    const flaggedByStream = gradeTicker(
      input(tick, { expectedIntervalMs: 30_000, sinceUpdateMs: 10, suspectedStaleByStream: true }),
    );
    expect(flaggedByStream.quality).toBe('low');
  });

  it('lets the worst rule win when several apply', () => {
    const tick = tickAt('KRW-BTC', 'rest', NOW);
    const ticker = gradeTicker(
      input(tick, {
        servedFrom: 'cache',
        cacheAgeMs: 5_000,
        fallbackFrom: 'websocket',
        issues: [{ kind: 'channel-disagreement', note: 'differs' }],
      }),
    );
    expect(ticker.quality).toBe('low');
    expect(ticker.qualityNotes).toHaveLength(4);
  });
});
