import type { BestQuote, Trade } from '@marketdata/domain';
import type { IntegerLiteralReader } from '../../shared/exact-json.js';
import { isUpbitAskBid, isUpbitChange } from '../../shared/upbit-fields.js';
import { decodeExactIntegerText, decodeUpbitEpochMs, decodeUpbitNonNegative } from '../../shared/upbit-number.js';
import { isStreamType } from './common-schemas.js';
import { isKnownMarketCode } from './known-codes.js';
import type { TradeWireNames } from './wire-names.js';

type Frame = Readonly<Record<string, unknown>>;

/**
 * `sequential_id` as exact text. `JSON.parse` rounds an id beyond 2^53 (every current one, ~1.7e16): its digits are
 * then read from the frame's text, where the key occurs once (see `integerLiteralReader`). Undefined when that cannot
 * be told; the caller then takes the exact path.
 */
function exactSequentialId(value: unknown, readLiteral: IntegerLiteralReader, text: string): string | undefined {
  if (typeof value === 'number' && !Number.isSafeInteger(value)) return readLiteral(text);
  return decodeExactIntegerText(value);
}

/** The best quotes when all four are present and valid; `null` when one present is refused. */
function bestQuote(raw: Frame, names: TradeWireNames): BestQuote | undefined | null {
  const askPriceValue = raw[names.best_ask_price];
  const askSizeValue = raw[names.best_ask_size];
  const bidPriceValue = raw[names.best_bid_price];
  const bidSizeValue = raw[names.best_bid_size];
  const askPrice = askPriceValue === undefined ? undefined : decodeUpbitNonNegative(askPriceValue);
  const askSize = askSizeValue === undefined ? undefined : decodeUpbitNonNegative(askSizeValue);
  const bidPrice = bidPriceValue === undefined ? undefined : decodeUpbitNonNegative(bidPriceValue);
  const bidSize = bidSizeValue === undefined ? undefined : decodeUpbitNonNegative(bidSizeValue);
  if (
    (askPriceValue !== undefined && askPrice === undefined) ||
    (askSizeValue !== undefined && askSize === undefined) ||
    (bidPriceValue !== undefined && bidPrice === undefined) ||
    (bidSizeValue !== undefined && bidSize === undefined)
  ) {
    return null;
  }
  if (askPrice === undefined || askSize === undefined || bidPrice === undefined || bidSize === undefined) {
    return undefined;
  }
  return { askPrice, askSize, bidPrice, bidSize };
}

/**
 * Reads, checks and maps a trade frame (DEFAULT or SIMPLE, by `names`) in one pass, straight into the `Trade` that
 * `mapTradeFrame` would give (the schema in `trade-mapper.ts` holds the rules), `sequentialId` exact. `text` is the
 * message the frame was parsed from, `readIdLiteral` reads the id's
 * digits from it. Undefined when any field is refused or the id's digits cannot be told here;
 * the caller then takes the exact path, which says why.
 */
export function readTradeFrame(
  raw: Frame,
  names: TradeWireNames,
  readIdLiteral: IntegerLiteralReader,
  text: string,
  receivedAt: number,
  receivedAtMonotonic: number,
): Trade | undefined {
  const symbol = raw[names.code];
  if (!isKnownMarketCode(symbol)) return undefined;
  const price = decodeUpbitNonNegative(raw[names.trade_price]);
  const volume = decodeUpbitNonNegative(raw[names.trade_volume]);
  const side = raw[names.ask_bid];
  const prevClose = decodeUpbitNonNegative(raw[names.prev_closing_price]);
  const change = raw[names.change];
  const unsignedChange = decodeUpbitNonNegative(raw[names.change_price]);
  const tradeTimestamp = decodeUpbitEpochMs(raw[names.trade_timestamp]);
  const exchangeTimestamp = decodeUpbitEpochMs(raw[names.timestamp]);
  const streamType = raw[names.stream_type];
  if (
    price === undefined ||
    volume === undefined ||
    !isUpbitAskBid(side) ||
    prevClose === undefined ||
    !isUpbitChange(change) ||
    unsignedChange === undefined ||
    tradeTimestamp === undefined ||
    exchangeTimestamp === undefined ||
    (streamType !== undefined && !isStreamType(streamType))
  ) {
    return undefined;
  }
  const best = bestQuote(raw, names);
  if (best === null) return undefined;
  const sequentialId = exactSequentialId(raw[names.sequential_id], readIdLiteral, text);
  if (sequentialId === undefined) return undefined;
  return {
    symbol,
    price,
    volume,
    side,
    sequentialId,
    tradeTimestamp,
    prevClose,
    // Sent unsigned with the direction in `change`; the domain's is signed (as REST trades send it).
    changePrice: change === 'FALL' ? -unsignedChange : unsignedChange,
    change,
    best,
    exchangeTimestamp,
    receivedAt,
    receivedAtMonotonic,
    source: 'websocket',
    streamType,
  };
}
