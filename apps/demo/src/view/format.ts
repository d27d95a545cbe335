/** Prices exactly as received, grouped for reading (`163,248,000`, `0.00012345`); --json keeps the raw numbers. */
export function formatPrice(price: number): string {
  if (!Number.isFinite(price)) return String(price);
  return price.toLocaleString('en-US', { maximumFractionDigits: 8 });
}

/** `0.0123` → `+1.23%`. */
export function formatChangeRate(rate: number): string {
  if (!Number.isFinite(rate)) return String(rate);
  const percent = rate * 100;
  const sign = percent > 0 ? '+' : percent < 0 ? '-' : ' ';
  return `${sign}${Math.abs(percent).toFixed(2)}%`;
}

/** `850` → `850ms`, `3400` → `3.4s`, `125000` → `2m05s`, `7_500_000` → `2h05m`. Negative ages (clock skew) keep their sign. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '—';
  const sign = ms < 0 ? '-' : '';
  const abs = Math.abs(ms);
  if (abs < 1000) return `${sign}${Math.round(abs)}ms`;
  if (abs < 60_000) return `${sign}${(abs / 1000).toFixed(1)}s`;
  const totalSeconds = Math.floor(abs / 1000);
  if (abs < 3_600_000) {
    return `${sign}${Math.floor(totalSeconds / 60)}m${String(totalSeconds % 60).padStart(2, '0')}s`;
  }
  const totalMinutes = Math.floor(totalSeconds / 60);
  return `${sign}${Math.floor(totalMinutes / 60)}h${String(totalMinutes % 60).padStart(2, '0')}m`;
}

/** Wall-clock time of day in UTC, `HH:MM:SS.mmm`. */
export function formatTimeOfDay(epochMs: number): string {
  if (!Number.isFinite(epochMs)) return '--:--:--.---';
  return new Date(epochMs).toISOString().slice(11, 23);
}

export function padEnd(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length);
}

export function padStart(text: string, width: number): string {
  return text.length >= width ? text : ' '.repeat(width - text.length) + text;
}

/** Cuts plain text to `width` characters, marking the cut with an ellipsis. */
export function truncate(text: string, width: number): string {
  if (width <= 0) return '';
  if (text.length <= width) return text;
  return width === 1 ? '…' : `${text.slice(0, width - 1)}…`;
}
