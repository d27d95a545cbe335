import type { DataQuality, DataSource, MarketCode, PriceChange, Ticker } from '@marketdata/domain';
import { fixtureJson } from '@marketdata/fixtures';

interface RestTickerJson {
  readonly market: string;
  readonly trade_price: number;
  readonly opening_price: number;
  readonly high_price: number;
  readonly low_price: number;
  readonly prev_closing_price: number;
  readonly change: PriceChange;
  readonly signed_change_price: number;
  readonly signed_change_rate: number;
  readonly trade_volume: number;
  readonly acc_trade_volume: number;
  readonly acc_trade_price: number;
  readonly acc_trade_volume_24h: number;
  readonly acc_trade_price_24h: number;
  readonly trade_timestamp: number;
  readonly timestamp: number;
}

/** Recorded real REST tickers (`rest-ticker-*.json`), by market. */
export function recordedRestTickers(name: string): readonly RestTickerJson[] {
  return fixtureJson(name) as RestTickerJson[];
}

/**
 * A graded `Ticker` carrying a recorded real ticker's numbers, for view tests (the adapters and the backbone have
 * their own mapping tests; here only the display matters).
 */
export function gradedTicker(
  raw: RestTickerJson,
  grading: { source: DataSource; quality: DataQuality; confidence: number; qualityNotes?: readonly string[] },
): Ticker {
  return {
    symbol: raw.market as MarketCode,
    price: raw.trade_price,
    open: raw.opening_price,
    high: raw.high_price,
    low: raw.low_price,
    prevClose: raw.prev_closing_price,
    change: raw.change,
    changePrice: raw.signed_change_price,
    changeRate: raw.signed_change_rate,
    lastTradeVolume: raw.trade_volume,
    dayVolume: raw.acc_trade_volume,
    dayTurnover: raw.acc_trade_price,
    volume24h: raw.acc_trade_volume_24h,
    turnover24h: raw.acc_trade_price_24h,
    tradeTimestamp: raw.trade_timestamp,
    exchangeTimestamp: raw.timestamp,
    receivedAt: raw.timestamp + 30,
    receivedAtMonotonic: 30,
    source: grading.source,
    quality: grading.quality,
    confidence: grading.confidence,
    processingTimeMs: 0.2,
    ageMs: 30,
    qualityNotes: grading.qualityNotes ?? [],
  };
}
