// WebSocket adapter (issue 6): a StreamingSource over Upbit's public WebSocket.
export { DEFAULT_WS_BACKOFF, type WsBackoffOptions } from './backoff.js';
export type { WebSocketFactory, WsHeartbeatMode } from './connection.js';
export { type DecodedWsFrame, decodeWsFrames, decodeWsMessage, type WsMalformedKind } from './decode/frame-decoder.js';
export { DEFAULT_WS_FRESHNESS, type WsFreshnessOptions } from './freshness-tracker.js';
export { MAX_PING_INTERVAL_MS, UPBIT_WEBSOCKET_URL, type UpbitWebSocketOptions } from './options.js';
export {
  buildSubscriptionRequest,
  type UpbitOrderBookDepth,
  type UpbitStreamFormat,
  type WsSubscriptionSet,
} from './protocol/subscription-request.js';
export type {
  UpbitSourceDiagnostics,
  UpbitStreamStatus,
  UpbitWatchOptions,
  UpbitWebSocketEvents,
  UpbitWebSocketSource,
  WsMalformedFrameEvent,
  WsStateChange,
} from './source-types.js';
export { createUpbitWebSocketSource } from './websocket-source.js';
