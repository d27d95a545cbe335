/**
 * Upbit writes numbers as Java BigDecimal text: `163248000.00000000`, `0E-8`, `1.16539E8`, `7.9276E-4`, bare
 * integers beside decimals. All of these are JSON numbers, so `JSON.parse` already accepts them.
 *
 * Decision: a JSON *string* holding a number in JSON number grammar (`"73578.65500000"`) is accepted too. Upbit
 * itself sends numbers, but real captures re-stored by ccxt (the `*-ccxt.json` fixtures) hold every scalar as a
 * string with Upbit's digits intact; accepting them costs nothing and refuses nothing else. Anything else (empty
 * string, `"abc"`, `"0x10"`, `" 1"`, `NaN`, `Infinity`, booleans, null) is not a number.
 */
const JSON_NUMBER_TEXT = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;
const INTEGER_TEXT = /^-?(?:0|[1-9]\d*)$/;

/** The finite number an Upbit value spells, or undefined when it is not one. */
export function decodeUpbitNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && JSON_NUMBER_TEXT.test(value)) {
    const parsed = Number(value);
    return Number.isFinite(parsed) ? parsed : undefined;
  }
  return undefined;
}

/** An integer that fits a JS number exactly (epoch ms, counts, units), or undefined. `1.0` and `"1"` count. */
export function decodeUpbitSafeInteger(value: unknown): number | undefined {
  const parsed = decodeUpbitNumber(value);
  return parsed !== undefined && Number.isSafeInteger(parsed) ? parsed : undefined;
}

/** A non-negative finite number (prices, sizes, volumes), or undefined. */
export function decodeUpbitNonNegative(value: unknown): number | undefined {
  const parsed = decodeUpbitNumber(value);
  return parsed !== undefined && parsed >= 0 ? parsed : undefined;
}

/** Epoch milliseconds: a positive safe integer, or undefined. */
export function decodeUpbitEpochMs(value: unknown): number | undefined {
  const parsed = decodeUpbitSafeInteger(value);
  return parsed !== undefined && parsed > 0 ? parsed : undefined;
}

/**
 * An integer of any size as exact decimal text (`sequential_id`). Accepts a digit string (what `parseJsonExact`
 * leaves for integers beyond 2^53) or a safe-integer number; refuses an unsafe number, since it was already rounded.
 */
export function decodeExactIntegerText(value: unknown): string | undefined {
  if (typeof value === 'string') return INTEGER_TEXT.test(value) ? value : undefined;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  return undefined;
}
