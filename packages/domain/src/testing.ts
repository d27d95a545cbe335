/**
 * Test support: `FakeClock` (wall and monotonic time moved by hand), `MemoryLogger`, `flushMicrotasks`.
 *
 * @module @marketdata/domain/testing
 */
export * from './testing/fake-clock.js';
export * from './testing/memory-logger.js';
