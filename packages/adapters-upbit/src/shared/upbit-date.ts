/**
 * Upbit's dates carry no time zone. The `_utc` fields and the unsuffixed REST ticker `trade_date`/`trade_time` are
 * UTC; `_kst` fields are UTC+9. These helpers turn UTC spellings into epoch ms and refuse impossible dates
 * (`20250230`) instead of letting `Date.UTC` roll them over.
 */
const COMPACT_DATE = /^(\d{4})(\d{2})(\d{2})$/;
const COMPACT_TIME = /^(\d{2})(\d{2})(\d{2})$/;
const DASHED_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const COLON_TIME = /^(\d{2}):(\d{2}):(\d{2})$/;
const LOCAL_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))?$/;

function utc(parts: readonly (string | undefined)[]): number | undefined {
  const [year, month, day, hour = '0', minute = '0', second = '0', fraction = '0'] = parts.map((part) =>
    part === undefined ? undefined : Number(part),
  ) as (number | undefined)[];
  if (year === undefined || month === undefined || day === undefined) return undefined;
  const ms = Number(String(fraction).padEnd(3, '0').slice(0, 3));
  const epoch = Date.UTC(year, month - 1, day, Number(hour), Number(minute), Number(second), ms);
  const check = new Date(epoch);
  const valid =
    check.getUTCFullYear() === year &&
    check.getUTCMonth() === month - 1 &&
    check.getUTCDate() === day &&
    check.getUTCHours() === Number(hour) &&
    check.getUTCMinutes() === Number(minute) &&
    check.getUTCSeconds() === Number(second);
  return valid ? epoch : undefined;
}

/** `yyyyMMdd` + `HHmmss` (REST/WS ticker `trade_date`/`trade_time`, read as UTC) to epoch ms. */
export function parseCompactUtcDateTime(date: string, time: string): number | undefined {
  const d = COMPACT_DATE.exec(date);
  const t = COMPACT_TIME.exec(time);
  if (d === null || t === null) return undefined;
  return utc([d[1], d[2], d[3], t[1], t[2], t[3]]);
}

/** `yyyy-MM-dd` + `HH:mm:ss` (REST trades `trade_date_utc`/`trade_time_utc`) to epoch ms. */
export function parseDashedUtcDateTime(date: string, time: string): number | undefined {
  const d = DASHED_DATE.exec(date);
  const t = COLON_TIME.exec(time);
  if (d === null || t === null) return undefined;
  return utc([d[1], d[2], d[3], t[1], t[2], t[3]]);
}

/** `yyyy-MM-dd` (52-week dates) as 00:00 UTC of that day. */
export function parseDashedUtcDate(date: string): number | undefined {
  const d = DASHED_DATE.exec(date);
  return d === null ? undefined : utc([d[1], d[2], d[3]]);
}

/** `yyyy-MM-ddTHH:mm:ss` without a zone (candle `candle_date_time_utc`), read as UTC. */
export function parseZonelessUtcDateTime(text: string): number | undefined {
  const m = LOCAL_DATE_TIME.exec(text);
  return m === null ? undefined : utc([m[1], m[2], m[3], m[4], m[5], m[6], m[7]]);
}

/**
 * Epoch ms as Upbit's `to` query spelling, ISO 8601 UTC in whole seconds (`2025-07-30T00:00:00Z`). Whether Upbit
 * accepts milliseconds is not documented, so a fractional second is rounded up: `to` is exclusive, and rounding
 * down would drop a record stamped inside that second.
 */
export function formatUpbitTo(epochMs: number): string {
  return new Date(Math.ceil(epochMs / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
