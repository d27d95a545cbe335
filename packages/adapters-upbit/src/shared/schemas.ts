import { isMarketCode, type MarketCode } from '@marketdata/domain';
import * as v from 'valibot';
import { parseZonelessUtcDateTime } from './upbit-date.js';
import { UPBIT_LABEL_MAX_LENGTH } from './upbit-fields.js';
import {
  decodeExactIntegerText,
  decodeUpbitEpochMs,
  decodeUpbitNonNegative,
  decodeUpbitNumber,
  decodeUpbitSafeInteger,
} from './upbit-number.js';

/**
 * Field schemas shared by every Upbit payload (REST and WebSocket). Objects built from them should use
 * `v.object` (unknown fields are tolerated and dropped) or `v.looseObject` (kept).
 */

function decoded<T>(decode: (value: unknown) => T | undefined, expected: string) {
  return v.pipe(
    v.unknown(),
    v.rawTransform<unknown, T>(({ dataset, addIssue, NEVER }) => {
      const result = decode(dataset.value);
      if (result === undefined) {
        addIssue({ message: `expected ${expected}`, expected, received: typeof dataset.value });
        return NEVER;
      }
      return result;
    }),
  );
}

/** Any finite number in any Upbit spelling (see `decodeUpbitNumber`). */
export const upbitNumber = decoded(decodeUpbitNumber, 'a number');
/** A non-negative finite number (prices, sizes, volumes). */
export const upbitNonNegative = decoded(decodeUpbitNonNegative, 'a non-negative number');
/** A safe integer, e.g. epoch milliseconds. */
export const upbitInteger = decoded(decodeUpbitSafeInteger, 'an integer');
/** Epoch milliseconds: a positive safe integer. */
export const upbitEpochMs = decoded(decodeUpbitEpochMs, 'epoch milliseconds');
/** An integer of any size kept as exact decimal text (trade `sequential_id`). */
export const upbitExactInteger = decoded(decodeExactIntegerText, 'an integer (exact)');

/** A market code `QUOTE-BASE` in upper case, branded. */
export const upbitMarketCode = v.custom<MarketCode>(isMarketCode, 'expected a market code QUOTE-BASE');

export const upbitChange = v.picklist(['RISE', 'EVEN', 'FALL']);
/**
 * A short enum-like text Upbit may extend (`market_state`, `market_warning`) or whose spelling is unconfirmed
 * (`delisting_date`): kept as sent, bounded so a hostile frame cannot park megabytes in a record.
 */
export const upbitLabel = v.pipe(
  v.string(),
  v.maxLength(UPBIT_LABEL_MAX_LENGTH, `expected a short text (at most ${UPBIT_LABEL_MAX_LENGTH} characters)`),
);
export const upbitAskBid = v.picklist(['ASK', 'BID']);

/** `candle_date_time_utc` (`2026-03-11T14:40:00`, no zone, UTC) to epoch ms. */
export const upbitZonelessUtc = decoded(
  (value) => (typeof value === 'string' ? parseZonelessUtcDateTime(value) : undefined),
  'a date-time yyyy-MM-ddTHH:mm:ss',
);

/** A `yyyyMMdd` date text, checked but kept as text (combined with a time later). */
export const upbitCompactDate = v.pipe(v.string(), v.regex(/^\d{8}$/, 'expected a date yyyyMMdd'));
/** A `HHmmss` time text, checked but kept as text. */
export const upbitCompactTime = v.pipe(v.string(), v.regex(/^\d{6}$/, 'expected a time HHmmss'));
/** A `yyyy-MM-dd` date text. */
export const upbitDashedDate = v.pipe(v.string(), v.regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date yyyy-MM-dd'));
/** A `HH:mm:ss` time text. */
export const upbitColonTime = v.pipe(v.string(), v.regex(/^\d{2}:\d{2}:\d{2}$/, 'expected a time HH:mm:ss'));
