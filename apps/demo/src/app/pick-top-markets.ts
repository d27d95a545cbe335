import type { MarketCode } from '@marketdata/domain';

export interface TurnoverSample {
  readonly symbol: MarketCode;
  /** 24h turnover in the quote currency (`acc_trade_price_24h`). */
  readonly turnover24h: number;
}

/** The `count` symbols with the highest 24h turnover, highest first (ties by symbol, so the order is stable). */
export function pickTopByTurnover(samples: readonly TurnoverSample[], count: number): MarketCode[] {
  return [...samples]
    .filter((sample) => Number.isFinite(sample.turnover24h))
    .sort((a, b) => b.turnover24h - a.turnover24h || (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0))
    .slice(0, count)
    .map((sample) => sample.symbol);
}
