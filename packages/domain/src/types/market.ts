import type { MarketCode } from '../market-code.js';

/**
 * Caution flags of `market_event.caution` in `/v1/market/all?isDetails=true` (Korea, since Nov 2024). The five
 * recorded names are listed; Upbit may add more, and those come through as their own text.
 */
export type MarketCaution =
  | 'PRICE_FLUCTUATIONS'
  | 'TRADING_VOLUME_SOARING'
  | 'DEPOSIT_AMOUNT_SOARING'
  | 'GLOBAL_PRICE_DIFFERENCES'
  | 'CONCENTRATION_OF_SMALL_ACCOUNTS'
  | (string & Record<never, never>);

/** A listed market with its names and Upbit's warning and caution flags. */
export interface Market {
  readonly symbol: MarketCode;
  readonly quote: string;
  readonly base: string;
  readonly koreanName: string;
  readonly englishName: string;
  /** Investment warning (`market_event.warning`, or the older `market_warning` = CAUTION). */
  readonly warning: boolean;
  /** Names of the caution flags that are on in `market_event.caution` (e.g. `PRICE_FLUCTUATIONS`). */
  readonly cautions: readonly MarketCaution[];
  /**
   * Where `warning` and `cautions` came from: `market_event` (current), `market_warning` (the older flag, no
   * cautions), or `none` when the entry carried neither (then `warning` false and `cautions` empty say nothing).
   */
  readonly eventSource: 'market_event' | 'market_warning' | 'none';
}
