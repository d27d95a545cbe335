/** Date and time spellings Upbit uses, all from epoch milliseconds. KST is UTC+9 with no daylight saving. */

export const DAY_MS = 86_400_000;
export const MINUTE_MS = 60_000;
const KST_OFFSET_MS = 9 * 3_600_000;

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

interface Parts {
  readonly year: string;
  readonly month: string;
  readonly day: string;
  readonly hour: string;
  readonly minute: string;
  readonly second: string;
}

// Formatting is on the hot path (every trade and ticker frame): remember the last second per zone.
let lastUtcSecond = Number.NaN;
let lastUtc: Parts = partsOf(0);
let lastKstSecond = Number.NaN;
let lastKst: Parts = partsOf(0);

function partsOf(ms: number): Parts {
  const d = new Date(ms);
  return {
    year: String(d.getUTCFullYear()),
    month: pad2(d.getUTCMonth() + 1),
    day: pad2(d.getUTCDate()),
    hour: pad2(d.getUTCHours()),
    minute: pad2(d.getUTCMinutes()),
    second: pad2(d.getUTCSeconds()),
  };
}

function utc(ms: number): Parts {
  const second = Math.floor(ms / 1000);
  if (second !== lastUtcSecond) {
    lastUtcSecond = second;
    lastUtc = partsOf(second * 1000);
  }
  return lastUtc;
}

function kst(ms: number): Parts {
  const second = Math.floor(ms / 1000);
  if (second !== lastKstSecond) {
    lastKstSecond = second;
    lastKst = partsOf(second * 1000 + KST_OFFSET_MS);
  }
  return lastKst;
}

/** `20250730` (UTC) */
export function compactDateUtc(ms: number): string {
  const p = utc(ms);
  return p.year + p.month + p.day;
}
/** `170315` (UTC) */
export function compactTimeUtc(ms: number): string {
  const p = utc(ms);
  return p.hour + p.minute + p.second;
}
export function compactDateKst(ms: number): string {
  const p = kst(ms);
  return p.year + p.month + p.day;
}
export function compactTimeKst(ms: number): string {
  const p = kst(ms);
  return p.hour + p.minute + p.second;
}
/** `2025-07-30` (UTC) */
export function dashedDateUtc(ms: number): string {
  const p = utc(ms);
  return `${p.year}-${p.month}-${p.day}`;
}
/** `17:03:15` (UTC) */
export function colonTimeUtc(ms: number): string {
  const p = utc(ms);
  return `${p.hour}:${p.minute}:${p.second}`;
}
/** `2025-07-29T00:00:00` (UTC, no zone) */
export function candleTimeUtc(ms: number): string {
  const p = partsOf(ms);
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}:${p.second}`;
}
/** `2025-07-29T09:00:00` (KST, no zone) */
export function candleTimeKst(ms: number): string {
  return candleTimeUtc(ms + KST_OFFSET_MS);
}

export function utcDayIndex(ms: number): number {
  return Math.floor(ms / DAY_MS);
}

export function minuteIndex(ms: number): number {
  return Math.floor(ms / MINUTE_MS);
}

/** HTTP `Date` header text. */
export function httpDate(ms: number): string {
  return new Date(ms).toUTCString();
}
