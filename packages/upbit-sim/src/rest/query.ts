export type QueryValue<T> =
  | { readonly kind: 'absent' }
  | { readonly kind: 'invalid' }
  | { readonly kind: 'value'; readonly value: T };

const ABSENT = { kind: 'absent' } as const;
const INVALID = { kind: 'invalid' } as const;

export function parseWholeNumber(text: string | null): QueryValue<number> {
  if (text === null || text === '') return ABSENT;
  if (!/^-?\d+$/.test(text)) return INVALID;
  return { kind: 'value', value: Number(text) };
}

export function parseDecimal(text: string | null): QueryValue<number> {
  if (text === null || text === '') return ABSENT;
  if (!/^\d+(\.\d+)?$/.test(text)) return INVALID;
  return { kind: 'value', value: Number(text) };
}

/**
 * Candle `to`: ISO 8601 `yyyy-MM-ddTHH:mm:ss` with `Z` or an offset (`+09:00`), or `yyyy-MM-dd HH:mm:ss`;
 * without a zone it is UTC (Upbit's docs). A `+` sent unencoded arrives as a space, so ` 09:00` is read as
 * `+09:00`.
 */
export function parseCandleTo(text: string | null): QueryValue<number> {
  if (text === null || text === '') return ABSENT;
  const match = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(Z|[+\- ]\d{2}:?\d{2})?$/.exec(text);
  if (match === null) return INVALID;
  const [, y, mo, d, h, mi, s, zone] = match;
  let offsetMinutes = 0;
  if (zone !== undefined && zone !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    offsetMinutes = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4)));
  }
  const utc = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  // Date.UTC rolls over (Feb 30 -> Mar 2, 24:00 -> next day): only a time that reads back the same is a time.
  const back = new Date(utc);
  const exact =
    back.getUTCFullYear() === Number(y) &&
    back.getUTCMonth() === Number(mo) - 1 &&
    back.getUTCDate() === Number(d) &&
    back.getUTCHours() === Number(h) &&
    back.getUTCMinutes() === Number(mi) &&
    back.getUTCSeconds() === Number(s);
  if (!exact) return INVALID;
  return { kind: 'value', value: utc - offsetMinutes * 60_000 };
}
