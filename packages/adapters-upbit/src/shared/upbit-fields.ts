import type { PriceChange, TradeSide } from '@marketdata/domain';

/**
 * Plain checks equal to the valibot field schemas of `schemas.ts`, for hot decode paths that validate a payload field
 * by field without building intermediate objects (the WebSocket ticker and trade readers). The schemas stay the
 * reference and the source of refusal messages; property tests hold both to the same answers.
 */

/** Longest `market_state`/`market_warning`/`delisting_date` text kept (`upbitLabel`). */
export const UPBIT_LABEL_MAX_LENGTH = 64;

export function isUpbitChange(value: unknown): value is PriceChange {
  return value === 'RISE' || value === 'EVEN' || value === 'FALL';
}

export function isUpbitAskBid(value: unknown): value is TradeSide {
  return value === 'ASK' || value === 'BID';
}

/** `upbitLabel`: a text of at most 64 characters. */
export function isUpbitLabel(value: unknown): value is string {
  return typeof value === 'string' && value.length <= UPBIT_LABEL_MAX_LENGTH;
}

function isDigitAt(text: string, index: number): boolean {
  const code = text.charCodeAt(index);
  return code >= 48 && code <= 57;
}

/** `upbitDashedDate`: `yyyy-MM-dd` (ASCII digits), checked but not parsed. */
export function isDashedDateText(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    value.length === 10 &&
    value.charCodeAt(4) === 45 &&
    value.charCodeAt(7) === 45 &&
    isDigitAt(value, 0) &&
    isDigitAt(value, 1) &&
    isDigitAt(value, 2) &&
    isDigitAt(value, 3) &&
    isDigitAt(value, 5) &&
    isDigitAt(value, 6) &&
    isDigitAt(value, 8) &&
    isDigitAt(value, 9)
  );
}
