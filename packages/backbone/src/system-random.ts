import type { Random } from '@marketdata/domain';

/** Real randomness for the apps; the only place in the backbone that calls `Math.random()`. */
export const systemRandom: Random = {
  next: () => Math.random(),
};
