import type { MarketCode } from '../market-code.js';
import type { ChannelKind, DataQuality, DataSource, EpochMs, PriceChange, Provenance, TradeSide } from './common.js';

/**
 * A market's trading state on the WebSocket ticker (`market_state`): `PREVIEW` (listed, not yet trading),
 * `ACTIVE`, `DELISTED`. Another value Upbit may send comes through as its own text.
 */
export type MarketState = 'PREVIEW' | 'ACTIVE' | 'DELISTED' | (string & Record<never, never>);

/**
 * The older investment-warning flag on the WebSocket ticker (`market_warning`, deprecated in Upbit's current docs):
 * `NONE` or `CAUTION`. Another value comes through as its own text.
 */
export type MarketWarning = 'NONE' | 'CAUTION' | (string & Record<never, never>);

/**
 * A ticker as a channel delivers it, normalized but not yet graded by the unifier.
 *
 * Optional fields are carried by some channels only and are never invented: `undefined` means "this record's
 * channel (or frame) did not carry it". REST `/v1/ticker` carries the 52-week fields; the WebSocket ticker carries
 * those and also `askBid`, `accAskVolume`, `accBidVolume`, `marketState`, `tradingSuspended`, `marketWarning`,
 * `delistingDate`. Dates are Upbit's calendar-day text `yyyy-MM-dd`, kept as text: Upbit gives them no time zone,
 * so turning them into epoch ms would invent one.
 */
export interface ChannelTicker extends Provenance {
  readonly symbol: MarketCode;
  /** Last trade price. */
  readonly price: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly prevClose: number;
  readonly change: PriceChange;
  /** Signed change against the previous close (`signed_change_price`). */
  readonly changePrice: number;
  /** Signed change rate against the previous close (`signed_change_rate`; 0.01 = +1%). */
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
  /** 52-week high (`highest_52_week_price`). */
  readonly high52w?: number | undefined;
  /** Day of the 52-week high, `yyyy-MM-dd` (`highest_52_week_date`). */
  readonly high52wDate?: string | undefined;
  /** 52-week low (`lowest_52_week_price`). */
  readonly low52w?: number | undefined;
  /** Day of the 52-week low, `yyyy-MM-dd` (`lowest_52_week_date`). */
  readonly low52wDate?: string | undefined;
  /** Side of the last trade (`ask_bid`). WebSocket only. */
  readonly askBid?: TradeSide | undefined;
  /** Sell-side (taker ask) volume since 00:00 UTC (`acc_ask_volume`). WebSocket only. */
  readonly accAskVolume?: number | undefined;
  /** Buy-side (taker bid) volume since 00:00 UTC (`acc_bid_volume`). WebSocket only. */
  readonly accBidVolume?: number | undefined;
  /** Trading state (`market_state`). WebSocket only. */
  readonly marketState?: MarketState | undefined;
  /** Trading suspended (`is_trading_suspended`, deprecated in Upbit's current docs). WebSocket only. */
  readonly tradingSuspended?: boolean | undefined;
  /** Older warning flag (`market_warning`, deprecated in Upbit's current docs). WebSocket only. */
  readonly marketWarning?: MarketWarning | undefined;
  /**
   * Delisting date (`delisting_date`), as Upbit's text. `null`: the frame said there is none; `undefined`: not
   * carried (REST). Documented as a date; every recorded frame has `null`, so its spelling is unconfirmed (the
   * simulator writes `yyyy-MM-dd`).
   */
  readonly delistingDate?: string | null | undefined;
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
