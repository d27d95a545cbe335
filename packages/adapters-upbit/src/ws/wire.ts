// Wire-level tools of the Upbit WebSocket (exposed as the `@marketdata/adapters-upbit/wire` subpath): frame
// decoding exactly as the adapter does it, and the complete subscription request. For benchmarks and tools.
export {
  type DecodedWebSocketFrame,
  decodeWebSocketFrames,
  decodeWebSocketMessage,
  type WebSocketMalformedKind,
} from './decode/frame-decoder.js';
export { messageText as webSocketMessageText } from './decode/message-text.js';
export {
  buildSubscriptionRequest,
  type PartialSubscriptionSet,
  type UpbitOrderBookDepth,
  type UpbitStreamFormat,
  type WebSocketSubscriptionSet,
} from './protocol/subscription-request.js';
