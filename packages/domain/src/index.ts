/**
 * Pure types, market codes, the ports every source implements (`TickerSource`, `StreamingSource`, `MarketListSource`,
 * `Clock`, `Logger`, `Random`) and the typed error family with its `isX` guards. No I/O, no runtime dependencies.
 *
 * @module @marketdata/domain
 */
export * from './abort-fanout.js';
export * from './candle-periods.js';
export * from './candle-stream-kind.js';
export * from './deadline.js';
export * from './errors/index.js';
export * from './market-code.js';
export * from './market-list-directory.js';
export * from './ports/index.js';
export * from './seeded-random.js';
export * from './system-clock.js';
export * from './system-random.js';
export type * from './types/index.js';
export * from './until-aborted.js';
