import type { Random } from '@marketdata/domain';

/** The real randomness source (jitter, tickets); tests inject a seeded one. */
export const systemRandom: Random = { next: () => Math.random() };
