// Exact sums of Upbit amounts. Upbit writes volumes and turnovers as exact decimals (Java BigDecimal text, up to 16
// decimals) and sums them exactly; summing their doubles instead drifts in the last digits (0.1 + 0.2). Each double
// is read back as its shortest decimal text (which is the text Upbit wrote, for up to 17 significant digits), the
// texts are added as scaled integers, and the exact sum is turned into the nearest double once.

interface Scaled {
  readonly digits: bigint;
  readonly scale: number;
}

/** A finite double as an exact decimal: its shortest round-trip text, `123.45` → 12345 at scale 2. */
function toScaled(value: number): Scaled {
  const [mantissa = '0', exponentText] = value.toString().toLowerCase().split('e');
  const exponent = exponentText === undefined ? 0 : Number(exponentText);
  const negative = mantissa.startsWith('-');
  const unsigned = negative ? mantissa.slice(1) : mantissa;
  const [whole = '0', fraction = ''] = unsigned.split('.');
  let digits = BigInt(`${whole}${fraction}` || '0');
  let scale = fraction.length - exponent;
  if (scale < 0) {
    digits *= 10n ** BigInt(-scale);
    scale = 0;
  }
  return { digits: negative ? -digits : digits, scale };
}

function toNumber({ digits, scale }: Scaled): number {
  const negative = digits < 0n;
  const text = (negative ? -digits : digits).toString().padStart(scale + 1, '0');
  const point = text.length - scale;
  const decimal = scale === 0 ? text : `${text.slice(0, point)}.${text.slice(point)}`;
  return Number(negative ? `-${decimal}` : decimal);
}

/** The exact decimal sum of the values, as the nearest double. Non-finite values make it NaN. */
export function exactSum(values: readonly number[]): number {
  if (values.some((value) => !Number.isFinite(value))) return Number.NaN;
  const scaled = values.map(toScaled);
  const scale = Math.max(0, ...scaled.map((item) => item.scale));
  let total = 0n;
  for (const item of scaled) total += item.digits * 10n ** BigInt(scale - item.scale);
  return toNumber({ digits: total, scale });
}
