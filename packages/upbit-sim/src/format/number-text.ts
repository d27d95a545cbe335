/**
 * Number spelling as Upbit writes it. Upbit serializes Java BigDecimal and Double values, so the same number can be
 * `163248000.00000000` (BigDecimal, scale 8), `1.16539E8` (Double.toString), `116606000` (plain) or `0` (zero
 * change). JSON.stringify would lose all of that, so payloads are written as text with these helpers.
 */

/** Plain decimal text of `value` rounded to `scale` digits: no exponent, no trailing zeros (`116606000`). */
export function plainText(value: number, scale = 8): string {
  if (value === 0) return '0';
  const rounded = Number(value.toFixed(scale));
  if (rounded === 0) return '0';
  const shortest = String(rounded);
  if (!shortest.includes('e')) return shortest;
  // Tiny values: String() switches to exponent form below 1e-6.
  const fixed = rounded.toFixed(scale);
  let end = fixed.length;
  while (fixed.charCodeAt(end - 1) === 48) end--;
  if (fixed.charCodeAt(end - 1) === 46) end--;
  return fixed.slice(0, end);
}

/**
 * BigDecimal with a fixed scale: `163248000.00000000`, `0.0017283860`. The digits are those of the shortest
 * decimal of the rounded double, padded with zeros, as Upbit's sums (`137728155832.9616000000000000`) show.
 */
export function scaledText(value: number, scale: number): string {
  // Fast path: most values (tick-rounded prices, 8-decimal sizes) already print with at most `scale` decimals.
  let text = String(value);
  if (text.indexOf('e') < 0) {
    const dot = text.indexOf('.');
    const decimals = dot < 0 ? 0 : text.length - dot - 1;
    if (decimals <= scale) return decimals === scale ? text : (dot < 0 ? `${text}.` : text) + zeros(scale - decimals);
  }
  // Round in binary first (cheap); if that still prints too many digits, round through toFixed.
  const factor = POW10[scale] ?? 10 ** scale;
  text = String(Math.round(value * factor) / factor);
  if (text.indexOf('e') < 0) {
    const dot = text.indexOf('.');
    const decimals = dot < 0 ? 0 : text.length - dot - 1;
    if (decimals <= scale) return decimals === scale ? text : (dot < 0 ? `${text}.` : text) + zeros(scale - decimals);
  }
  const rounded = Number(value.toFixed(Math.min(scale, 20)));
  text = String(rounded);
  if (text.includes('e')) text = rounded.toFixed(Math.min(scale, 20));
  const dot = text.indexOf('.');
  const decimals = dot < 0 ? 0 : text.length - dot - 1;
  if (decimals >= scale) return text;
  return (dot < 0 ? `${text}.` : text) + zeros(scale - decimals);
}

const POW10: number[] = Array.from({ length: 21 }, (_, n) => 10 ** n);

const ZEROS: string[] = Array.from({ length: 21 }, (_, n) => '0'.repeat(n));

function zeros(n: number): string {
  return ZEROS[n] ?? '0'.repeat(n);
}

/** A BigDecimal of that scale as Java's toString writes it: zero is `0E-8` (one of the zero spellings on record). */
export function bigDecimalText(value: number, scale: number): string {
  return value === 0 ? `0E-${scale}` : scaledText(value, scale);
}

/** Scale-8 BigDecimal; zero as `0` (Upbit writes an unchanged price's change as `0`). */
export function fixed8OrZero(value: number): string {
  return value === 0 ? '0' : scaledText(value, 8);
}

/**
 * Java `Double.toString`: plain between 1e-3 and 1e7 with at least one decimal (`5252000.0`), computerized
 * scientific notation outside (`1.16539E8`, `7.9276E-4`, `5.0E-4`). Upbit's WebSocket orderbook uses it.
 */
export function javaDoubleText(value: number): string {
  if (value === 0) return '0.0';
  const magnitude = Math.abs(value);
  if (magnitude >= 1e-3 && magnitude < 1e7) {
    const text = String(value);
    return text.includes('.') ? text : `${text}.0`;
  }
  const exp = value.toExponential();
  const e = exp.indexOf('e');
  let mantissa = exp.slice(0, e);
  if (!mantissa.includes('.')) mantissa += '.0';
  const power = exp.slice(e + 1);
  return `${mantissa}E${power.startsWith('+') ? power.slice(1) : power}`;
}

/** Plain decimal, at most 8 decimals, at least one (`148500000.0`, `0.0602652`), as SIMPLE frames show. */
export function simpleText(value: number): string {
  const text = plainText(value, 8);
  return text.includes('.') ? text : `${text}.0`;
}
