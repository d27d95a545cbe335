export * from './clock.js';
export * from './logger.js';
export type * from './random.js';
export type * from './sources.js';
export type * from './stream-status.js';
export type * from './streaming-source.js';
