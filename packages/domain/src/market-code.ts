import { InvalidMarketCodeError } from './errors/error-classes.js';

declare const MARKET_CODE: unique symbol;

/** An Upbit market code, `QUOTE-BASE` in upper case (`KRW-BTC`, `BTC-ETH`, `USDT-BTC`). */
export type MarketCode = string & { readonly [MARKET_CODE]: true };

/** A market code split into its quote currency (`KRW`) and base asset (`BTC`). */
export interface MarketCodeParts {
  readonly quote: string;
  readonly base: string;
}

// Quote and base are upper-case letters and digits (e.g. `KRW-1INCH`).
const MARKET_CODE_PATTERN = /^([A-Z0-9]{2,10})-([A-Z0-9]{1,15})$/;

function reasonFor(input: unknown): string {
  if (typeof input !== 'string') return `expected a string, got ${input === null ? 'null' : typeof input}`;
  if (input.trim() !== input) return 'surrounding white space';
  if (input.toUpperCase() !== input) return 'must be upper case (Upbit silently ignores lower-case codes)';
  if (!input.includes('-')) return 'expected QUOTE-BASE, e.g. KRW-BTC';
  return 'expected QUOTE-BASE with letters and digits, e.g. KRW-BTC';
}

/** Validates and brands a market code. Lower-case or malformed input throws `InvalidMarketCodeError`. */
export function parseMarketCode(input: unknown): MarketCode {
  if (typeof input === 'string' && MARKET_CODE_PATTERN.test(input)) return input as MarketCode;
  throw new InvalidMarketCodeError(input, reasonFor(input));
}

/** True when `input` is a well-formed market code (`QUOTE-BASE`, upper case). */
export function isMarketCode(input: unknown): input is MarketCode {
  return typeof input === 'string' && MARKET_CODE_PATTERN.test(input);
}

/** The quote and base of a market code: `KRW-BTC` → `{ quote: "KRW", base: "BTC" }`. */
export function splitMarketCode(code: MarketCode): MarketCodeParts {
  const dash = code.indexOf('-');
  return { quote: code.slice(0, dash), base: code.slice(dash + 1) };
}
