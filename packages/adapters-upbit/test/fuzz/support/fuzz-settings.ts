import type { Category } from './bad-payloads.js';

/**
 * Runs per category for the in-process fuzzing of one payload kind: 10,000 bad payloads per kind in total. Every
 * property runs with a fixed seed (fast-check prints it with the counterexample, so a failure replays exactly);
 * `MARKETDATA_FUZZ_SEED` changes the base seed to explore other cases.
 */
export const RUNS_PER_CATEGORY: Readonly<Record<Category, number>> = {
  truncated: 1_200,
  'missing field': 800,
  'wrong type': 1_500,
  'huge number': 1_200,
  'NaN/Infinity spelling': 1_200,
  'deep nesting': 1_100,
  'wrong encoding': 1_500,
  'binary garbage': 1_500,
};

export const BAD_PAYLOADS_PER_KIND = Object.values(RUNS_PER_CATEGORY).reduce((sum, runs) => sum + runs, 0);

/** Good payloads with harmless noise per kind (must decode unchanged). */
export const NOISE_RUNS = 500;

const BASE_SEED = Number(process.env.MARKETDATA_FUZZ_SEED ?? 20_260_311);

/** A stable seed per property, so adding a test does not change the cases of the others. */
export function seedFor(name: string): number {
  let hash = BASE_SEED | 0;
  for (let i = 0; i < name.length; i++) hash = Math.imul(hash ^ name.charCodeAt(i), 16_777_619);
  return hash | 0;
}
