import type { Random } from '@marketdata/domain';
import type { MarketSeedRow } from '../data/markets.js';

/** Trades per second by 24h-turnover rank among KRW markets: a few hot, a long quiet tail. */
export function krwRate(rank: number, count: number): number {
  const hot = [40, 25, 15, 10];
  const top = hot[rank];
  if (top !== undefined) return top;
  const span = Math.max(count - 5, 1);
  const share = Math.min((rank - 4) / span, 1);
  // 5 trades/s at rank 4 down to one trade per 10 minutes for the quietest market.
  return 5 * (1 / 3000) ** share;
}

export function crossRate(code: string, random: Random): number {
  if (code === 'USDT-BTC' || code === 'BTC-ETH') return 0.2;
  return 1 / (20 + random.next() * 280);
}

export function seedOf(row: MarketSeedRow) {
  return {
    tradePrice: row[5],
    openingPrice: row[6],
    highPrice: row[7],
    lowPrice: row[8],
    prevClosingPrice: row[9],
    volume24h: row[10],
    turnover24h: row[11],
    highest52WeekPrice: row[12],
    highest52WeekDate: row[13],
    lowest52WeekPrice: row[14],
    lowest52WeekDate: row[15],
  };
}
