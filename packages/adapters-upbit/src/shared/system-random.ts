import type { Random } from '@marketdata/domain';

/** The real randomness source (jitter); tests inject `createSeededRandom` instead. */
export const systemRandom: Random = { next: () => Math.random() };
