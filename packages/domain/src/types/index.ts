export type * from './candle.js';
export type * from './common.js';
export type * from './market.js';
export type * from './orderbook.js';
export type * from './ticker.js';
export type * from './trade.js';
