import type { Random } from '@marketdata/domain';

/** Mixes integers into one 32-bit seed (FNV-1a over the words), for deterministic per-market streams. */
export function mixSeed(...parts: readonly number[]): number {
  let h = 2166136261;
  for (const part of parts) {
    let v = Math.floor(part) | 0;
    for (let i = 0; i < 4; i++) {
      h = Math.imul(h ^ (v & 0xff), 16777619) >>> 0;
      v >>>= 8;
    }
    // Large values (day or minute indexes) keep their high bits.
    h = Math.imul(h ^ (Math.floor(part / 4294967296) & 0xff), 16777619) >>> 0;
  }
  return h;
}

/** Standard normal draw (Box-Muller). */
export function normal(random: Random): number {
  const u = Math.max(random.next(), 1e-12);
  const v = random.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** Exponential waiting time with the given rate (events per ms), in ms. */
export function exponentialGap(random: Random, ratePerMs: number): number {
  return -Math.log(1 - random.next()) / ratePerMs;
}
