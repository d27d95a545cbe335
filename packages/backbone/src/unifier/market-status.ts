import type { QualityIssue } from './quality-checks.js';

/**
 * What is known of a market's own state, from wherever it was read: the WebSocket ticker's fields
 * (`market_state`, `is_trading_suspended`, `delisting_date`, `market_warning`) or the market directory's details
 * (`market_event.warning`, `market_event.caution`). Every field is optional: each source knows only some of them.
 */
export interface MarketStatusFacts {
  /** Where these facts were read, for the note ("ticker", "market list"). */
  readonly from: string;
  /** `ACTIVE`, `PREVIEW`, `DELISTED` (Upbit's `market_state`). */
  readonly marketState?: string | undefined;
  readonly tradingSuspended?: boolean | undefined;
  /** A delisting date is set (any representation); undefined or null when none. */
  readonly delistingDate?: string | number | null | undefined;
  /** An investment warning (`market_warning: CAUTION`, `market_event.warning`). */
  readonly warning?: boolean | undefined;
  /** Active caution flags (`PRICE_FLUCTUATIONS`, ...). */
  readonly cautions?: readonly string[] | undefined;
}

function describeDate(date: string | number): string {
  return typeof date === 'number' ? new Date(date).toISOString().slice(0, 10) : date;
}

/**
 * The market's state as quality issues, at most one of each kind however many sources say it: a suspended or
 * inactive market (`low`: its price is not a live market's), a delisting date set (`medium`), an investment warning
 * or caution flags (`medium`: the data is right, the market is flagged). Sources are read in order; the first that
 * states a fact gives the note.
 */
export function marketStatusIssues(sources: readonly (MarketStatusFacts | undefined)[]): QualityIssue[] {
  let suspended: QualityIssue | undefined;
  let delisting: QualityIssue | undefined;
  let warning: QualityIssue | undefined;
  for (const facts of sources) {
    if (facts === undefined) continue;
    if (suspended === undefined) {
      if (facts.tradingSuspended === true) {
        suspended = { kind: 'market-suspended', note: `trading suspended (${facts.from})` };
      } else if (facts.marketState !== undefined && facts.marketState !== 'ACTIVE') {
        suspended = { kind: 'market-suspended', note: `market state ${facts.marketState} (${facts.from})` };
      }
    }
    if (delisting === undefined && facts.delistingDate !== undefined && facts.delistingDate !== null) {
      delisting = {
        kind: 'market-delisting',
        quality: 'medium',
        note: `to be delisted on ${describeDate(facts.delistingDate)} (${facts.from})`,
      };
    }
    if (warning === undefined) {
      const cautions = facts.cautions ?? [];
      if (facts.warning === true || cautions.length > 0) {
        const parts = [
          ...(facts.warning === true ? ['investment warning'] : []),
          ...cautions.map((c) => `caution ${c}`),
        ];
        warning = { kind: 'market-warning', quality: 'medium', note: `${parts.join(', ')} (${facts.from})` };
      }
    }
  }
  return [suspended, delisting, warning].filter((issue): issue is QualityIssue => issue !== undefined);
}
