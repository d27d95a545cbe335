/**
 * Upbit's quotation rate-limit groups, as named in the `Remaining-Req` header. Each has its own budget
 * (documented: 10 requests per second per IP per group).
 */
export type UpbitRestGroup = 'market' | 'ticker' | 'orderbook' | 'candles' | 'crix-trades';

/** Upbit's quotation rate-limit groups, as named in its `Remaining-Req` header. */
export const UPBIT_REST_GROUPS: readonly UpbitRestGroup[] = ['market', 'ticker', 'orderbook', 'candles', 'crix-trades'];
