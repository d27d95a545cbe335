/** Number and time formats of the page. */

/** Prices as Upbit shows them: whole won from 100 up, more digits below. */
export function formatPrice(price: number): string {
  const digits = priceDecimals(price);
  return price.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export function formatVolume(volume: number): string {
  if (volume >= 1_000) return volume.toLocaleString('en-US', { maximumFractionDigits: 0 });
  if (volume >= 1) return volume.toLocaleString('en-US', { maximumFractionDigits: 4 });
  return volume.toLocaleString('en-US', { maximumSignificantDigits: 4 });
}

/** Decimals the price axis shows for prices around `price` (as formatPrice). */
export function priceDecimals(price: number): number {
  return price >= 100 ? 0 : price >= 1 ? 2 : 8;
}

export function formatRate(rate: number): string {
  const percent = (rate * 100).toFixed(2);
  return `${rate > 0 ? '+' : ''}${percent}%`;
}

export function formatAge(ageMs: number): string {
  if (ageMs < 1_000) return `${Math.max(0, Math.round(ageMs))} ms`;
  if (ageMs < 60_000) return `${(ageMs / 1_000).toFixed(1)} s`;
  return `${Math.round(ageMs / 60_000)} min`;
}

/** HH:MM:SS in UTC (the chart's time axis is UTC too). */
export function formatTimeUtc(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(11, 19);
}

/** An element by id, or a clear failure when the page's HTML lacks it. */
export function element<T extends HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (found === null) throw new Error(`the page has no #${id}`);
  return found as T;
}
