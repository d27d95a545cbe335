// The Upbit WebSocket adapter: a StreamingSource over Upbit's public WebSocket. Wire-level tools (frame decoding,
// subscription requests) are in `wire.ts`; everything else is internal.
export type { WebSocketBackoffOptions } from './backoff.js';
export type { ConnectionGovernor } from './connection-governor.js';
export { MAX_PING_INTERVAL_MS, UPBIT_WEBSOCKET_URL, type UpbitWebSocketOptions } from './options.js';
export type {
  UpbitOrderBookDepth,
  UpbitStreamFormat,
  WebSocketSubscriptionSet,
} from './protocol/subscription-request.js';
export type { WebSocketFactory, WebSocketHeartbeatMode } from './socket-session.js';
export type {
  UpbitSourceDiagnostics,
  UpbitStreamStatus,
  UpbitWatchOptions,
  UpbitWebSocketSource,
} from './source-types.js';
export type { UpbitWatchStream, WatchStats } from './watch/watch-stream.js';
export { createUpbitWebSocketSource } from './websocket-source.js';
