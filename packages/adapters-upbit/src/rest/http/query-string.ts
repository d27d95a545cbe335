export type QueryValue = string | number | boolean | readonly string[] | undefined;

// Upbit's own examples write lists with literal commas (`markets=KRW-BTC,KRW-ETH`); URLSearchParams would send
// `%2C`. Each item is still percent-encoded, so a comma can only ever be a separator.
function encodeValue(value: Exclude<QueryValue, undefined>): string {
  if (Array.isArray(value)) return value.map((item: string) => encodeURIComponent(item)).join(',');
  return encodeURIComponent(String(value));
}

/** `a=1&markets=KRW-BTC,KRW-ETH`; undefined values are left out, order is kept. */
export function buildQueryString(query: Readonly<Record<string, QueryValue>>): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined) parts.push(`${encodeURIComponent(key)}=${encodeValue(value)}`);
  }
  return parts.join('&');
}
