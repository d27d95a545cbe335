/** Test support: import from `@marketdata/domain/testing`. Not part of the main bundle. */
export * from './testing/fake-clock.js';
export * from './testing/memory-logger.js';
