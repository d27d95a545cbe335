import type { MarketCode } from '../market-code.js';
import type { ChannelKind, DataQuality, DataSource, EpochMs, PriceChange, Provenance } from './common.js';

/** A ticker as a channel delivers it, normalized but not yet graded by the unifier. */
export interface ChannelTicker extends Provenance {
  readonly symbol: MarketCode;
  /** Last trade price. */
  readonly price: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly prevClose: number;
  readonly change: PriceChange;
  /** Signed change against the previous close. */
  readonly changePrice: number;
  /** Signed change rate against the previous close (0.01 = +1%). */
  readonly changeRate: number;
  readonly lastTradeVolume: number;
  /** Volume since 00:00 UTC. */
  readonly dayVolume: number;
  /** Turnover (quote currency) since 00:00 UTC. */
  readonly dayTurnover: number;
  readonly volume24h: number;
  readonly turnover24h: number;
  /** Exchange time of the last trade (`trade_timestamp`), which differs from `exchangeTimestamp`. */
  readonly tradeTimestamp: EpochMs;
  readonly source: ChannelKind;
}

/** A graded ticker, as the facade hands it out. */
export interface Ticker extends Omit<ChannelTicker, 'source'> {
  readonly source: DataSource;
  readonly quality: DataQuality;
  /** 0..1; how much the unifier trusts this value (see the unifier's grading rules). */
  readonly confidence: number;
  /** Time spent inside the backbone for this call, ms. */
  readonly processingTimeMs: number;
  /** Milliseconds between the exchange event time and the moment this value was handed out (local wall clock). */
  readonly ageMs: number;
  /** Human-readable reasons behind a quality below `high`. Empty when `high`. */
  readonly qualityNotes: readonly string[];
}
