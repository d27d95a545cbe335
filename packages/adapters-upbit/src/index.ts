/**
 * Upbit's REST API and WebSocket as the sources of `@marketdata/domain`: `createUpbitRestSource`,
 * `createUpbitWebSocketSource`, and the REST client below them.
 *
 * @module @marketdata/adapters-upbit
 */
export * from './rest/index.js';
export * from './ws/index.js';
