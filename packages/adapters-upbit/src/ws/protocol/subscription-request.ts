import { CANDLE_STREAM_KINDS, type Random, type StreamKind } from '@marketdata/domain';

/** Wire formats the adapter requests. The `*_LIST` formats are decoded too but not requested. */
export type UpbitStreamFormat = 'SIMPLE' | 'DEFAULT';

/** Orderbook unit counts Upbit accepts as a code suffix (`KRW-BTC.15`); other values fall back to 30 upstream. */
export type UpbitOrderBookDepth = 1 | 5 | 15 | 30;

/** The complete subscription: every code per kind (Upbit replaces the whole set on each request). */
export type WebSocketSubscriptionSet = Readonly<Record<StreamKind, readonly string[]>>;

/** Codes per kind, kinds left out meaning none (what `buildSubscriptionRequest` takes). */
export type PartialSubscriptionSet = Readonly<Partial<Record<StreamKind, readonly string[]>>>;

/** Every stream kind, in the order a request lists them: ticker, trade, orderbook, then the candle types. */
export const STREAM_KINDS: readonly StreamKind[] = ['ticker', 'trade', 'orderbook', ...CANDLE_STREAM_KINDS];

/** A complete set from the kinds given (every other kind empty), keys in `STREAM_KINDS` order. */
export function subscriptionSet(codes: PartialSubscriptionSet = {}): WebSocketSubscriptionSet {
  const set = {} as Record<StreamKind, readonly string[]>;
  for (const kind of STREAM_KINDS) set[kind] = codes[kind] ?? [];
  return set;
}

/** A ticket that is unique per request, from the injected randomness. */
export function newTicket(random: Random): string {
  let hex = '';
  for (let i = 0; i < 4; i++) {
    hex += Math.floor(random.next() * 0x1_0000_0000)
      .toString(16)
      .padStart(8, '0');
  }
  return `marketdata-${hex}`;
}

/** True when the set names no code at all (Upbit answers an empty `codes` with an error, so nothing is sent). */
export function isEmptySet(set: PartialSubscriptionSet): boolean {
  return STREAM_KINDS.every((kind) => (set[kind]?.length ?? 0) === 0);
}

/**
 * The request text: `[{"ticket":…},{"type":"ticker","codes":[…]},…,{"format":"SIMPLE"}]`. Kinds without codes
 * are left out; orderbook codes get the unit suffix when a depth is set. Candle kinds go out as Upbit's types
 * (`{"type":"candle.1m","codes":[…]}`).
 */
export function buildSubscriptionRequest(
  set: PartialSubscriptionSet,
  options: {
    readonly ticket: string;
    readonly format: UpbitStreamFormat;
    readonly orderBookDepth?: UpbitOrderBookDepth | undefined;
  },
): string {
  const parts: unknown[] = [{ ticket: options.ticket }];
  for (const kind of STREAM_KINDS) {
    const codes = set[kind];
    if (codes === undefined || codes.length === 0) continue;
    const wireCodes =
      kind === 'orderbook' && options.orderBookDepth !== undefined
        ? codes.map((code) => `${code}.${options.orderBookDepth}`)
        : codes;
    parts.push({ type: kind, codes: wireCodes });
  }
  parts.push({ format: options.format });
  return JSON.stringify(parts);
}
