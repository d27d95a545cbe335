import type { Random } from './ports/random.js';

/** Real randomness: the only place in the packages that calls `Math.random()`. Inject `Random` everywhere else. */
export const systemRandom: Random = {
  next: () => Math.random(),
};
