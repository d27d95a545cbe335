import { describe, expect, it } from 'vitest';
import { gradeRecord } from '../src/unifier/grade-record.js';
import { marketStatusIssues } from '../src/unifier/market-status.js';
import { tickAt } from './support/fixture-tickers.js';
import { createHarness } from './support/harness.js';
import { createMarketHarness } from './support/market-harness.js';

describe('market status issues', () => {
  it('says suspended or inactive markets (low), delisting dates and warnings or cautions (medium), once each', () => {
    const issues = marketStatusIssues([
      { from: 'websocket ticker', marketState: 'ACTIVE', tradingSuspended: true, delistingDate: '2026-04-01' },
      { from: 'market list', warning: true, cautions: ['PRICE_FLUCTUATIONS'], tradingSuspended: true },
    ]);
    expect(issues).toEqual([
      { kind: 'market-suspended', note: 'trading suspended (websocket ticker)' },
      { kind: 'market-delisting', quality: 'medium', note: 'to be delisted on 2026-04-01 (websocket ticker)' },
      {
        kind: 'market-warning',
        quality: 'medium',
        note: 'investment warning, caution PRICE_FLUCTUATIONS (market list)',
      },
    ]);
    expect(marketStatusIssues([{ from: 'ticker', marketState: 'DELISTED' }])).toEqual([
      { kind: 'market-suspended', note: 'market state DELISTED (ticker)' },
    ]);
    expect(
      marketStatusIssues([
        { from: 'ticker', marketState: 'ACTIVE', tradingSuspended: false, delistingDate: null, warning: false },
        undefined,
      ]),
    ).toEqual([]);
  });

  it('caps the grade at each issue level: medium issues keep medium, a low one makes it low', () => {
    const base = {
      servedFrom: 'rest' as const,
      exchangeTimestamp: 1_000,
      nowMs: 1_500,
      processingTimeMs: 0,
      expectedIntervalMs: 1_000,
      cacheTtlMs: 60_000,
    };
    const warned = gradeRecord({ ...base, issues: marketStatusIssues([{ from: 'x', warning: true }]) });
    expect(warned).toMatchObject({ quality: 'medium', confidence: 0.8, ageMs: 500 });
    const suspended = gradeRecord({
      ...base,
      issues: marketStatusIssues([{ from: 'x', warning: true, tradingSuspended: true }]),
    });
    expect(suspended).toMatchObject({ quality: 'low', confidence: 0.4 });
  });
});

describe('tickers of suspended, delisting or warned markets', () => {
  it('grades a WebSocket ticker by its own status fields, with a note', async () => {
    const harness = createHarness();
    const { md, clock } = harness;
    harness.push('KRW-BTC', {
      marketState: 'ACTIVE',
      tradingSuspended: false,
      marketWarning: 'NONE',
      delistingDate: null,
    });
    expect(await md.getTicker('KRW-BTC', { source: 'websocket' })).toMatchObject({ quality: 'high', qualityNotes: [] });

    clock.advance(10);
    harness.push('KRW-BTC', { marketState: 'ACTIVE', tradingSuspended: true, marketWarning: 'NONE' });
    const suspended = await md.getTicker('KRW-BTC', { source: 'websocket' });
    expect(suspended).toMatchObject({ quality: 'low', qualityNotes: ['trading suspended (websocket ticker)'] });

    clock.advance(10);
    harness.push('KRW-BTC', { marketState: 'ACTIVE', marketWarning: 'CAUTION', delistingDate: '2026-04-01' });
    const warned = await md.getTicker('KRW-BTC', { source: 'websocket' });
    expect(warned).toMatchObject({ quality: 'medium', confidence: 0.64 });
    expect(warned.qualityNotes).toEqual([
      'to be delisted on 2026-04-01 (websocket ticker)',
      'investment warning (websocket ticker)',
    ]);
    expect(md.stats().quality.issues).toMatchObject({
      'market-suspended': 1,
      'market-delisting': 1,
      'market-warning': 1,
    });
    await md.close();
  });
});

describe('other values of a suspended market', () => {
  it("are graded by the WebSocket ticker's status fields too (books, candles), with the note", async () => {
    const h = createMarketHarness();
    h.websocket.push(tickAt('KRW-BTC', 'websocket', h.clock, { marketState: 'ACTIVE', tradingSuspended: true }));
    const book = await h.md.getOrderBook('KRW-BTC');
    expect(book).toMatchObject({ source: 'rest', quality: 'low' });
    expect(book.qualityNotes).toEqual(['trading suspended (websocket ticker)']);
    const candles = await h.md.getCandles('KRW-BTC', { interval: '1m', count: 1 });
    expect(candles.qualityNotes).toEqual(['trading suspended (websocket ticker)']);
    expect((await h.md.getOrderBook('KRW-ETH')).quality).toBe('high');
    await h.md.close();
  });
});
