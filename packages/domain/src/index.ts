export * from './errors/index.js';
export * from './market-code.js';
export * from './ports/index.js';
export * from './seeded-random.js';
export type * from './types/index.js';
