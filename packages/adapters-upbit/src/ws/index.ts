// WebSocket adapter (issue 6): a StreamingSource over Upbit's public WebSocket.
export { type BackoffOptions, backoffDelay, DEFAULT_BACKOFF } from './backoff.js';
export type { HeartbeatMode, WebSocketFactory } from './connection.js';
export { type DecodedFrame, decodeFrames, decodeMessage, type MalformedKind } from './decode/frame-decoder.js';
export { DEFAULT_FRESHNESS, type FreshnessOptions } from './freshness-tracker.js';
export { MAX_PING_INTERVAL_MS, UPBIT_WEBSOCKET_URL, type UpbitWebSocketOptions } from './options.js';
export {
  buildSubscriptionRequest,
  type OrderBookDepth,
  type SubscriptionSet,
  type UpbitStreamFormat,
} from './protocol/subscription-request.js';
export type {
  MalformedFrameEvent,
  StateChange,
  UpbitSourceDiagnostics,
  UpbitStreamStatus,
  UpbitWatchOptions,
  UpbitWebSocketEvents,
  UpbitWebSocketSource,
} from './source-types.js';
export { createUpbitWebSocketSource } from './websocket-source.js';
