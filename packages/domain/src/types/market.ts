import type { MarketCode } from '../market-code.js';

/** A listed market with its names and Upbit's warning and caution flags. */
export interface Market {
  readonly symbol: MarketCode;
  readonly quote: string;
  readonly base: string;
  readonly koreanName: string;
  readonly englishName: string;
  /** Investment warning (`market_event.warning`, or the older `market_warning` = CAUTION). */
  readonly warning: boolean;
  /** Names of active caution flags from `market_event.caution` (e.g. `PRICE_FLUCTUATIONS`). */
  readonly cautions: readonly string[];
}
