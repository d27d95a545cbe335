import { InvalidMarketCodeError, isMarketCode, type MarketCode } from '@marketdata/domain';

// The symbol forms the facade accepts: Upbit's own `KRW-BTC` (QUOTE-BASE) and the ccxt style `BTC/KRW`
// (BASE/QUOTE), which users coming from ccxt or the Python plan write. Both become the canonical `KRW-BTC` before
// anything else sees them; every result carries the canonical code. Lower case stays refused (Upbit silently
// ignores lower-case codes on its WebSocket, so accepting them here would only move the surprise).

const CCXT_PATTERN = /^([A-Z0-9]{1,15})\/([A-Z0-9]{2,10})$/;

function describe(input: unknown): string {
  if (typeof input !== 'string') return `expected a string, got ${input === null ? 'null' : typeof input}`;
  if (input.trim() !== input) return 'surrounding white space; expected KRW-BTC (Upbit) or BTC/KRW (ccxt)';
  if (input.toUpperCase() !== input) {
    return 'must be upper case (Upbit silently ignores lower-case codes); expected KRW-BTC (Upbit) or BTC/KRW (ccxt)';
  }
  return 'expected KRW-BTC (Upbit, QUOTE-BASE) or BTC/KRW (ccxt, BASE/QUOTE)';
}

/**
 * `KRW-BTC` as is, `BTC/KRW` turned around to `KRW-BTC`; anything else throws `InvalidMarketCodeError` naming both
 * accepted forms.
 */
export function parseSymbol(input: unknown): MarketCode {
  if (isMarketCode(input)) return input;
  if (typeof input === 'string') {
    const ccxt = CCXT_PATTERN.exec(input);
    if (ccxt !== null) {
      const code = `${ccxt[2]}-${ccxt[1]}`;
      if (isMarketCode(code)) return code;
    }
  }
  throw new InvalidMarketCodeError(input, describe(input));
}
