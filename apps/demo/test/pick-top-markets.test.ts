import type { MarketCode } from '@marketdata/domain';
import { describe, expect, it } from 'vitest';
import { pickTopByTurnover } from '../src/app/pick-top-markets.js';
import { recordedRestTickers } from './support/fixture-tickers.js';

describe('pickTopByTurnover', () => {
  const samples = recordedRestTickers('rest-ticker-all-quote-krw.json').map((raw) => ({
    symbol: raw.market as MarketCode,
    turnover24h: raw.acc_trade_price_24h,
  }));

  it('picks the highest 24h turnover first, from a recorded /v1/ticker/all?quote_currencies=KRW', () => {
    const top = pickTopByTurnover(samples, 5);
    expect(top).toHaveLength(5);
    const turnover = new Map(samples.map((sample) => [sample.symbol, sample.turnover24h]));
    const picked = top.map((symbol) => turnover.get(symbol) ?? Number.NaN);
    expect([...picked].sort((a, b) => b - a)).toEqual(picked);
    const lowestPicked = Math.min(...picked);
    for (const sample of samples) {
      if (!top.includes(sample.symbol)) expect(sample.turnover24h).toBeLessThanOrEqual(lowestPicked);
    }
  });

  it('returns everything there is when asked for more, and breaks ties by symbol', () => {
    const ties = [
      { symbol: 'KRW-B' as MarketCode, turnover24h: 5 },
      { symbol: 'KRW-A' as MarketCode, turnover24h: 5 },
      { symbol: 'KRW-C' as MarketCode, turnover24h: Number.NaN },
    ];
    expect(pickTopByTurnover(ties, 10)).toEqual(['KRW-A', 'KRW-B']);
  });
});
