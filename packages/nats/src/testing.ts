// Test support: import from `@marketdata/nats/testing`. Not part of the main bundle.
//   - MemoryLink: an in-memory NATS path for the fleet sources (deliver messages, flip the connection, read what
//     the consumer published)
//   - FleetHarness: a consumer's sources on a MemoryLink and a FakeClock, the test playing the gateway
//   - sample records with the numbers that break naive encodings
export { FleetHarness, subjects as testSubjects } from './testing/fleet-harness.js';
export { MemoryLink } from './testing/memory-link.js';
export { candle, orderBook, ticker, trade } from './testing/sample-records.js';
