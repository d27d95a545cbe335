export * from './abort-fanout.js';
export * from './deadline.js';
export * from './errors/index.js';
export * from './market-code.js';
export * from './ports/index.js';
export * from './seeded-random.js';
export * from './system-clock.js';
export * from './system-random.js';
export type * from './types/index.js';
