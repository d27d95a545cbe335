import { type DecodedWebSocketFrame, decodeWebSocketFrames, webSocketMessageText } from '../../../src/ws/wire.js';

/**
 * The WebSocket decode path under attack, composed from the adapter's own functions exactly as the adapter composes
 * them: message bytes → `webSocketMessageText` (as the socket session does) → `decodeWebSocketMessage`.
 */
const RECEIVED_AT = 1_773_240_060_000;
const RECEIVED_AT_MONOTONIC = 86_400_000.5;

/** Decodes one WebSocket message (binary frame bytes) into the frames the adapter would handle. */
export function decodeWsBytes(bytes: Uint8Array): readonly DecodedWebSocketFrame[] {
  const text = webSocketMessageText(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  return decodeWebSocketFrames(text, RECEIVED_AT, RECEIVED_AT_MONOTONIC);
}
