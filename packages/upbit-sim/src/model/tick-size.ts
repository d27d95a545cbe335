/**
 * Upbit's price units (호가 단위).
 * - KRW: docs.upbit.com/kr/docs/krw-market-info (the table in force since 2025-07-31). Rows below 10 KRW are cut
 *   off in our copy of the page; they are taken as one decimal more per decade, which is what every price in the
 *   2026-03 KRW ticker fixture obeys. USDT/KRW and USDC/KRW use 0.5 between 1,000 and 10,000 KRW (changelog
 *   2025-03-21).
 * - BTC markets: 0.00000001 BTC whatever the price (docs btc-market-info).
 * - USDT markets: docs usdt-market-info (since 2024-08-19).
 */
const KRW_STEPS: readonly (readonly [minPrice: number, tick: number])[] = [
  [1_000_000, 1000],
  [500_000, 500],
  [100_000, 100],
  [50_000, 50],
  [10_000, 10],
  [5_000, 5],
  [1_000, 1],
  [100, 1],
  [10, 0.1],
  [1, 0.01],
  [0.1, 0.001],
  [0.01, 0.0001],
  [0.001, 0.00001],
  [0.0001, 0.000001],
  [0.00001, 0.0000001],
];

const USDT_STEPS: readonly (readonly [minPrice: number, tick: number])[] = [
  [10, 0.01],
  [1, 0.001],
  [0.1, 0.0001],
  [0.01, 0.00001],
  [0.001, 0.000001],
  [0.0001, 0.0000001],
];

const STABLE_KRW = new Set(['KRW-USDT', 'KRW-USDC']);

export function tickSize(code: string, price: number): number {
  if (code.startsWith('BTC-')) return 0.00000001;
  if (code.startsWith('USDT-')) return stepFor(USDT_STEPS, price);
  if (STABLE_KRW.has(code) && price >= 1_000 && price < 10_000) return 0.5;
  return stepFor(KRW_STEPS, price);
}

function stepFor(steps: readonly (readonly [number, number])[], price: number): number {
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i] as readonly [number, number];
    if (price >= step[0]) return step[1];
  }
  return 0.00000001;
}

/** Decimal places of a tick (0.001 -> 3, 0.5 -> 1, 1000 -> 0). */
export function tickDecimals(tick: number): number {
  if (Number.isInteger(tick)) return 0;
  let decimals = DECIMALS.get(tick);
  if (decimals === undefined) {
    const text = tick.toFixed(10).replace(/0+$/, '');
    decimals = text.length - text.indexOf('.') - 1;
    DECIMALS.set(tick, decimals);
  }
  return decimals;
}

const DECIMALS = new Map<number, number>();

/** Rounds to the tick that applies at that price, without binary noise (0.1 + 0.2 stays 0.3). */
export function roundToTick(code: string, price: number, mode: 'nearest' | 'down' | 'up' = 'nearest'): number {
  const tick = tickSize(code, price);
  const steps = price / tick;
  const n = mode === 'down' ? Math.floor(steps + 1e-9) : mode === 'up' ? Math.ceil(steps - 1e-9) : Math.round(steps);
  return Number((n * tick).toFixed(tickDecimals(tick)));
}

/** Moves `ticks` ticks up (positive) or down from a price on the grid. */
export function stepTicks(code: string, price: number, ticks: number): number {
  let result = price;
  const direction = ticks >= 0 ? 1 : -1;
  for (let i = 0; i < Math.abs(ticks); i++) {
    // Going down from a band's lowest price uses the tick of the band below.
    const tick = direction > 0 ? tickSize(code, result) : tickSize(code, result - tickSize(code, result) / 2);
    const decimals = tickDecimals(tick);
    const factor = 10 ** decimals;
    result = Math.round((result + direction * tick) * factor) / factor;
    if (result <= 0) return 0;
  }
  return result;
}

/** Orderbook grouping units a market supports: 0 and, on KRW markets, tick x 10^1..10^5 (KRW-BTC's real list). */
export function supportedLevels(code: string, price: number): readonly number[] {
  if (!code.startsWith('KRW-')) return [0];
  const tick = tickSize(code, price);
  const levels = [0];
  for (let k = 1; k <= 5; k++) levels.push(Number((tick * 10 ** k).toFixed(tickDecimals(tick))));
  return levels;
}
